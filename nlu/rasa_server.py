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


def is_up(url: str) -> bool:
    """Up means a model is loaded and answering, not only the port open."""
    try:
        response = httpx.post(f"{url}/model/parse", json={"text": "ping"}, timeout=2.0)
        return response.status_code == 200
    except httpx.HTTPError:
        return False


def stop_server(work_dir: Path) -> bool:
    pid_file = work_dir / "rasa.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text())
    pid_file.unlink()
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    return True


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

    None when Rasa cannot be had (no environment, failed training): the bot
    then works on retrieval alone.
    """
    url = f"http://127.0.0.1:{port}"
    if is_up(url):
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
