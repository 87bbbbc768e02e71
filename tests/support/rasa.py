"""Helpers around the session's real Rasa server (the `rasa_server` fixture in conftest)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def restart_rasa_server(server: dict) -> None:
    """Start the session's Rasa server again on its port after a test stopped it."""
    from nlu.rasa_server import start_server, wait_until_up

    server["process"].wait(timeout=30)
    server["process"] = start_server(
        server["venv"], server["model"], server["port"], server["work_dir"]
    )
    assert wait_until_up(server["url"], server["process"], 240)
