"""`migbot datasette`: browse the questions people asked, read-only, in a web browser.

Datasette serves a snapshot of the analytics tables (never `users`), with
texts past the retention period blanked and the others redacted (numbers,
links, usernames: bot.store.reports.redact), on 127.0.0.1 only. Each instance
has its own snapshot (in a folder named by its port, 0700; the file, 0600, is
always `analytics.db`, the name datasette_metadata.yml's rules are keyed on)
and removes only that.

/forget and the retention purge reach the served data: while datasette runs,
this process watches the live database (SQLite's `data_version`, every
REFRESH_SECONDS) and refreshes the snapshot in place when the bot committed
anything, so a forgotten person's texts are gone from the browser within
seconds (issue 15, item 2).
"""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

from bot.store.reports import data_version, write_snapshot

METADATA = Path(__file__).with_name("datasette_metadata.yml")
HOST = "127.0.0.1"
REFRESH_SECONDS = 2.0  # how often the live database is checked for changes


class PortInUse(OSError):
    """Another program (perhaps another `migbot datasette`) listens on the port."""


def check_port(port: int, host: str = HOST) -> None:
    """Raises PortInUse when `port` on `host` cannot be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            raise PortInUse(f"port {port} on {host} is in use (another datasette?)") from None


def snapshot_path(data_dir: Path, port: int) -> Path:
    return data_dir / f"datasette-{port}" / "analytics.db"


def serve(
    database_path: Path,
    data_dir: Path,
    retention_days: int,
    port: int,
    refresh_seconds: float = REFRESH_SECONDS,
) -> int:
    """Write this instance's snapshot and run datasette on it until Ctrl-C or SIGTERM,
    refreshing the snapshot whenever the live database changes.

    Returns datasette's exit status (0 after Ctrl-C).

    Raises:
        FileNotFoundError: no conversation database yet.
        PortInUse: the port is taken; nothing was written.
    """
    if not database_path.exists():
        raise FileNotFoundError(f"no conversation database at {database_path} yet")
    check_port(port)
    snapshot = snapshot_path(data_dir, port)
    snapshot.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    live = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    seen = data_version(live)
    copied = write_snapshot(database_path, snapshot, retention_days)
    command = [
        sys.executable, "-m", "datasette", "serve", str(snapshot),
        "--metadata", str(METADATA), "--host", HOST, "--port", str(port),
        "--setting", "allow_download", "off",
    ]  # fmt: skip
    print(f"Snapshot of {sum(copied.values())} rows; open http://{HOST}:{port}/{snapshot.stem}")
    print("Press Ctrl+C to stop.", flush=True)
    # SIGTERM ends this process the way Ctrl+C does, so the snapshot is always removed.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    server = subprocess.Popen(command)
    try:
        while True:
            try:
                return server.wait(timeout=refresh_seconds)
            except subprocess.TimeoutExpired:
                version = data_version(live)
                if version != seen:
                    seen = version
                    write_snapshot(database_path, snapshot, retention_days)
    except KeyboardInterrupt:
        server.terminate()
        server.wait(timeout=10)
        return 0
    finally:
        live.close()
        snapshot.unlink(missing_ok=True)
        with suppress(OSError):
            snapshot.parent.rmdir()
