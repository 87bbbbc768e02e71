"""`migbot nlu train | test | serve | stop`: the Rasa NLU model and its server."""

from __future__ import annotations

import argparse

from bot.config import Settings, resolve


def add_commands(commands: argparse._SubParsersAction) -> None:
    nlu = commands.add_parser("nlu", help="the Rasa NLU model and server")
    nlu_commands = nlu.add_subparsers(dest="nlu_command", required=True)
    nlu_commands.add_parser("train", help="train the NLU model if the data changed").set_defaults(
        handler=cmd_train
    )
    test = nlu_commands.add_parser("test", help="held-out and cross-validation reports")
    test.add_argument("--folds", type=int, default=0, help="cross-validation folds (0: skip)")
    test.set_defaults(handler=cmd_test)
    nlu_commands.add_parser("serve", help="start the Rasa server (if not running)").set_defaults(
        handler=cmd_serve
    )
    nlu_commands.add_parser("stop", help="stop the Rasa server migbot started").set_defaults(
        handler=cmd_stop
    )


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    from nlu.rasa_server import train

    model = train(
        resolve(settings.rasa.venv),
        settings.rasa_config,
        resolve(settings.rasa.model_dir),
        settings.data_dir / "rasa",
        log=print,
    )
    print(f"NLU model: {model}")
    return 0


def cmd_test(settings: Settings, args: argparse.Namespace) -> int:
    from nlu.rasa_test import run_tests

    return run_tests(
        resolve(settings.rasa.venv),
        settings.rasa_config,
        resolve(settings.rasa.model_dir),
        settings.data_dir / "rasa",
        folds=args.folds,
    )


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.assemble import rasa_client_for

    client = rasa_client_for(settings, start=True)
    if client is None:
        return 1
    print(f"Rasa NLU server: {client.url}")
    return 0


def cmd_stop(settings: Settings, args: argparse.Namespace) -> int:
    from nlu.rasa_server import stop_server

    stopped = stop_server(settings.data_dir / "rasa")
    print("stopped" if stopped else "no server started by migbot is running")
    return 0
