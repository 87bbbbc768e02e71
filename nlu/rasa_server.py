"""Training Rasa and running its HTTP server in Rasa's own environment.

Rasa 3.6 needs Python 3.10 and pins that clash with the bot's stack, so it
lives in `.venv-rasa` and runs as `rasa run --enable-api` on loopback, the
way Rasa is deployed. The model is retrained only when the training data or
the pipeline changed (its name carries their hash).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import yaml

NLU_DIR = Path(__file__).resolve().parent
TRAINING_DATA = NLU_DIR / "data"
TEST_DATA = NLU_DIR / "data_test" / "nlu_test.yml"
START_TIMEOUT_SECONDS = 180
STOP_TIMEOUT_SECONDS = 30


def rasa_binary(venv: Path) -> Path:
    return venv / "bin" / "rasa"


def training_fingerprint(rasa_config: dict) -> str:
    digest = hashlib.sha256(yaml.safe_dump(rasa_config, sort_keys=True).encode())
    for path in sorted(TRAINING_DATA.rglob("*.y*ml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(model_dir: Path, fingerprint: str) -> Path:
    return model_dir / f"nlu-{fingerprint}.tar.gz"


def write_rasa_config(rasa_config: dict, work_dir: Path) -> Path:
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / "rasa-config.yml"
    path.write_text(yaml.safe_dump(rasa_config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def train(venv: Path, rasa_config: dict, model_dir: Path, work_dir: Path, log: Callable) -> Path:
    """Train the NLU model unless one for this data and pipeline exists."""
    fingerprint = training_fingerprint(rasa_config)
    target = model_path(model_dir, fingerprint)
    if target.exists():
        return target
    log(f"migbot: training the Rasa NLU model ({target.name}); this takes a few minutes")
    config_file = write_rasa_config(rasa_config, work_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    run_rasa(
        venv,
        ["train", "nlu", "--nlu", str(TRAINING_DATA), "--config", str(config_file),
         "--out", str(model_dir), "--fixed-model-name", target.name.removesuffix(".tar.gz")],
        work_dir,
        "rasa-train.log",
    )  # fmt: skip
    for old in model_dir.glob("nlu-*.tar.gz"):
        if old != target:
            old.unlink()
    return target


def run_rasa(venv: Path, arguments: list[str], work_dir: Path, log_name: str) -> None:
    """Run a rasa command with its chatter in a log file; on failure, raise with its tail."""
    command = [str(rasa_binary(venv)), *arguments]
    work_dir.mkdir(parents=True, exist_ok=True)  # a fresh data dir has none yet
    log_path = work_dir / log_name
    with log_path.open("wb") as output:
        finished = subprocess.run(
            command, cwd=work_dir, env=rasa_env(), stdout=output, stderr=subprocess.STDOUT,
            check=False,
        )  # fmt: skip
    if finished.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise subprocess.CalledProcessError(finished.returncode, command, output=tail)


def start_server(venv: Path, model: Path, port: int, work_dir: Path) -> subprocess.Popen:
    """Start `rasa run` detached, so that it outlives a one-off `migbot ask`."""
    work_dir.mkdir(parents=True, exist_ok=True)
    logs = work_dir / "rasa.log"
    command = [
        str(rasa_binary(venv)),
        "run",
        "--enable-api",
        "--model",
        str(model),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with logs.open("ab") as log_file:
        process = subprocess.Popen(
            command,
            cwd=work_dir,
            env=rasa_env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    (work_dir / "rasa.pid").write_text(str(process.pid))
    return process


def wait_until_up(url: str, process: subprocess.Popen | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        if is_up(url):
            return True
        time.sleep(0.5)
    return False


def wait_until_down(url: str, timeout: float) -> bool:
    """Whether the server at `url` stopped answering within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_up(url):
            return True
        time.sleep(0.2)
    return False


def is_up(url: str) -> bool:
    """Up means a model is loaded and answering, not only the port open."""
    try:
        response = httpx.post(f"{url}/model/parse", json={"text": "ping"}, timeout=2.0)
        return response.status_code == 200
    except httpx.HTTPError:
        return False


def is_our_server(pid: int) -> bool:
    """Whether `pid` is alive, leads its own process group and runs `rasa run`.

    A pid file can outlive its server (a reboot, a kill -9) and the number be
    reused by an unrelated process: only a process that is still a `rasa run`
    started by start_server (its own session) may be signalled.
    """
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        leads_group = os.getpgid(pid) == pid
    except (OSError, ProcessLookupError):
        return False
    words = [Path(w.decode(errors="replace")).name for w in cmdline if w]
    return leads_group and "rasa" in words and "run" in words


def stop_server(work_dir: Path) -> bool:
    """Stop the Rasa server started by start_server in `work_dir`.

    Returns True when one was running and was sent SIGTERM; False when there is no
    pid file, or it names a process that is gone or is not our `rasa run` (the
    stale file is removed, nothing is signalled).
    """
    pid_file = work_dir / "rasa.pid"
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text())
    except ValueError:
        pid_file.unlink()
        return False
    pid_file.unlink()
    if not is_our_server(pid):
        return False
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    return True


def served_model(url: str) -> str | None:
    """The file name of the model a Rasa server serves (its /status), None if unknown."""
    try:
        response = httpx.get(f"{url}/status", timeout=2.0)
        response.raise_for_status()
        model_file = response.json().get("model_file")
    except (httpx.HTTPError, ValueError):
        return None
    return Path(model_file).name if model_file else None


def ensure_server(
    port: int,
    venv: Path,
    model_dir: Path,
    work_dir: Path,
    rasa_config: dict,
    start: bool = True,
    log: Callable = print,
) -> str | None:
    """URL of a running Rasa server on our port, starting one if needed.

    A server already answering must serve the model of the current training data
    and pipeline (its /status `model_file`, compared with `model_path`): if it
    serves another one and was started by us (the pid file in `work_dir`), it is
    stopped and a new one started with the newest model (trained if needed);
    otherwise (someone else's server, or start=False) `log` gets a warning naming
    both models and the server is used as it is.

    None when Rasa cannot be had (no environment, failed training): the bot
    then works on retrieval alone.
    """
    url = f"http://127.0.0.1:{port}"
    if is_up(url):
        wanted = model_path(model_dir, training_fingerprint(rasa_config)).name
        served = served_model(url)
        if served == wanted:
            return url
        ours = (work_dir / "rasa.pid").exists()
        if not (start and ours and rasa_binary(venv).exists()):
            log(
                f"migbot: warning: the Rasa server at {url} serves {served or 'an unknown model'}, "
                f"not the newest ({wanted}); `migbot nlu stop` (or stopping it) and a new "
                "start load the newest"
            )
            return url
        log(f"migbot: the Rasa server at {url} serves {served}, not {wanted}: restarting it")
        if not stop_server(work_dir) or not wait_until_down(url, STOP_TIMEOUT_SECONDS):
            log(f"migbot: warning: could not stop the Rasa server at {url}; it keeps {served}")
            return url
    if not start or not rasa_binary(venv).exists():
        log(f"migbot: no Rasa NLU server at {url} and none started: retrieval only")
        return None
    try:
        model = train(venv, rasa_config, model_dir, work_dir, log)
    except subprocess.CalledProcessError as error:
        log(f"migbot: Rasa training failed ({error}): retrieval only")
        return None
    log(f"migbot: starting the Rasa NLU server on {url} (log: {work_dir / 'rasa.log'})")
    process = start_server(venv, model, port, work_dir)
    if wait_until_up(url, process, START_TIMEOUT_SECONDS):
        return url
    log("migbot: the Rasa NLU server did not start: retrieval only")
    return None


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    # Rasa's telemetry would try to reach the internet; TensorFlow is chatty.
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="3",
        PYTHONWARNINGS="ignore",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env
