"""Settings: the `migbot:` section of config.yml, overridden by the environment.

This module is the only reader of config.yml and of the environment: the
rest of the code takes what it needs as parameters. config.yml also holds the
Rasa pipeline (its top-level keys), so that one file describes the whole
system; `Settings.rasa_config` is that part of the same file. Secrets never
live in it: they come from the environment only (`Settings.secrets`).

Every `migbot:` key can be overridden as MIGBOT_<SECTION>__<KEY> (top-level
ones as MIGBOT_<KEY>); the README's variables in ENV_ALIASES and SECRET_ENV.
The defaults below are the values of config.yml (a test keeps them equal).
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.yml"
RASA_KEYS = ("recipe", "assistant_id", "language", "pipeline", "policies")


@dataclass(frozen=True)
class KnowledgeBaseSettings:
    entries_dir: str = "knowledge_base/entries"


@dataclass(frozen=True)
class EmbeddingSettings:
    model: str = "intfloat/multilingual-e5-small"
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    backend: str = "onnx-int8"  # torch | onnx | onnx-int8 (knowledge_base/embedder.py)
    threads: int = 1  # CPU threads of one encoding; 0 = all cores
    # Steps of the encoder's fine-tuning on the entries (knowledge_base/tuning.py); 0: none.
    tune_steps: int = 200


@dataclass(frozen=True)
class RetrievalSettings:
    top_k: int = 3
    # Weighted reciprocal rank fusion (knowledge_base.search.Fusion): k and one
    # weight per ranker, chosen on the tuning sets (docs/quality.md, "ranking and calibration").
    rrf_k: float = 10.0
    dense_weight: float = 0.5
    classifier_weight: float = 2.0
    lexical_weight: float = 1.0
    answer_threshold: float = 0.2
    suggest_threshold: float = 0.05
    # Retrieval confidence at which a message is a question whatever Rasa's intent.
    question_over_intent: float = 0.2
    # Retrieval confidence at which a question about a non-danger entry is answered
    # although Rasa reads it as urgent (the danger signals still make it urgent).
    question_over_urgent: float = 0.2
    # Retrieval confidence at which a message is a question although Rasa is sure
    # the person asks for a counsellor.
    question_over_handoff: float = 0.7
    # Retrieval confidence at which a danger topic (an `urgent` entry) makes the
    # message urgent by itself, whatever answer_threshold.
    danger_topic_threshold: float = 0.3


@dataclass(frozen=True)
class RasaSettings:
    url: str = ""
    port: int = 5005
    venv: str = ".venv-rasa"
    model_dir: str = "var/rasa-models"
    timeout_seconds: float = 2.0
    intent_threshold: float = 0.5
    # Rasa's urgent alone: the danger signals carry recall (docs/quality.md, issue 12).
    urgent_intent_threshold: float = 0.9
    # Greetings, thanks and goodbyes need this much: "my grandmother is fine" was goodbye at 0.75.
    smalltalk_intent_threshold: float = 0.9


@dataclass(frozen=True)
class TelegramSettings:
    api_url: str = "https://api.telegram.org"
    mode: str = "polling"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    max_messages_per_minute: int = 20
    # Over that limit, danger messages still pass, but the emergency reply is
    # sent at most once per this many seconds, and a ticket's topic gets the
    # repeats as one batched message with a counter (issue 15, item 1).
    urgent_repeat_window_seconds: float = 60.0
    max_message_chars: int = 2000
    typing_after_seconds: float = 0.5


@dataclass(frozen=True)
class OfficeHours:
    timezone: str = "Asia/Tbilisi"
    days: tuple[int, ...] = (1, 2, 3, 4, 5)
    start: str = "10:00"
    end: str = "18:00"


@dataclass(frozen=True)
class CounsellorSettings:
    chat_id: int = 0
    on_duty_ids: tuple[int, ...] = ()
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    unanswered_before_handoff: int = 2
    language: str = "ka"  # of everything the bot writes in the counsellors' group: ka | en


@dataclass(frozen=True)
class AdminSettings:
    ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PrivacySettings:
    # Every stored text (messages, tickets' question and recent conversation,
    # outbox payloads) is blanked this many days after it was written; idle
    # users' rows (chat id, language) go after as many days without a message.
    retention_days: int = 30
    # An open ticket nobody wrote in for this many days is closed as abandoned,
    # with a note in its topic (bot.handoff.Handoff.close_abandoned).
    abandon_open_tickets_after_days: int = 14
    # /clear: the message confirming that the chat was deleted deletes itself
    # after this many seconds (bot.telegram.handlers.clear).
    clear_confirmation_seconds: float = 30.0


@dataclass(frozen=True)
class InsightsSettings:
    # `kb gaps`: answers below this confidence count as "low confidence" (the
    # bot answered, at or above retrieval.answer_threshold, but may be wrong).
    unsure_below: float = 0.45
    # `kb gaps`: cosine distance under which two groups of questions merge.
    group_distance: float = 0.78


@dataclass(frozen=True)
class Secrets:
    """From the environment only; never in config.yml, never logged (repr hides them)."""

    telegram_token: str = field(default="", repr=False)  # TELEGRAM_BOT_TOKEN
    pseudonym_key: str = field(default="", repr=False)  # MIGBOT_PSEUDONYM_KEY
    webhook_secret: str = field(default="", repr=False)  # MIGBOT_WEBHOOK_SECRET


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("var")
    cache_dir: Path = Path("~/.cache/migbot")
    knowledge_base: KnowledgeBaseSettings = field(default_factory=KnowledgeBaseSettings)
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    rasa: RasaSettings = field(default_factory=RasaSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    counsellors: CounsellorSettings = field(default_factory=CounsellorSettings)
    admins: AdminSettings = field(default_factory=AdminSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    insights: InsightsSettings = field(default_factory=InsightsSettings)
    # Not settings of the `migbot:` section: filled in by load_settings.
    secrets: Secrets = field(default_factory=Secrets, metadata={"internal": True})
    rasa_config: dict[str, Any] = field(default_factory=dict, metadata={"internal": True})

    @property
    def entries_dir(self) -> Path:
        return resolve(self.knowledge_base.entries_dir)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "migbot.db"

    @property
    def model_cache_dir(self) -> Path:
        return self.cache_dir / "models"


# Environment names that the README documents, mapped to setting paths.
ENV_ALIASES = {
    "TELEGRAM_API_URL": "telegram.api_url",
    "MIGBOT_COUNSELLOR_CHAT_ID": "counsellors.chat_id",
    "MIGBOT_ADMIN_IDS": "admins.ids",
    "MIGBOT_RASA_URL": "rasa.url",
}
# Secrets: environment variable -> Secrets field.
SECRET_ENV = {
    "TELEGRAM_BOT_TOKEN": "telegram_token",
    "MIGBOT_PSEUDONYM_KEY": "pseudonym_key",
    "MIGBOT_WEBHOOK_SECRET": "webhook_secret",
}
CONFIG_ENV = "MIGBOT_CONFIG"  # another config file
# MIGBOT_ variables that are not settings: the config file's path and secrets.
ENV_NOT_SETTINGS = {CONFIG_ENV, *SECRET_ENV}


class SettingsError(ValueError):
    """config.yml or the environment holds something that is not a valid setting."""


def resolve(path: str | Path) -> Path:
    """Relative paths in config.yml are relative to the project, not the cwd."""
    expanded = Path(path).expanduser()
    return expanded if expanded.is_absolute() else PROJECT_ROOT / expanded


def load_settings(
    config_path: Path | None = None, environ: typing.Mapping[str, str] | None = None
) -> Settings:
    """The settings of config.yml (or `config_path`, or $MIGBOT_CONFIG) and the environment.

    Raises:
        SettingsError: the file is missing or not YAML, or a key or value is not a
            valid setting (the message names it).
    """
    environ = os.environ if environ is None else environ
    config_path = Path(environ.get(CONFIG_ENV) or config_path or DEFAULT_CONFIG)
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise SettingsError(
            f"cannot read the config file {config_path}: {error.strerror}"
        ) from None
    except yaml.YAMLError as error:
        raise SettingsError(f"{config_path} is not valid YAML: {error}") from None
    values: dict[str, Any] = dict(raw.get("migbot") or {})
    for name, value in environ.items():
        path = ENV_ALIASES.get(name)
        if path is None and name.startswith("MIGBOT_") and name not in ENV_NOT_SETTINGS:
            path = name.removeprefix("MIGBOT_").lower().replace("__", ".")
        if path:
            _set_path(values, path.split("."), value, name)
    try:
        settings = _build(Settings, values)
    except (TypeError, ValueError) as error:
        raise SettingsError(str(error)) from None
    secrets = Secrets(
        **{field_: environ.get(name, "").strip() for name, field_ in SECRET_ENV.items()}
    )
    return dataclasses.replace(
        settings,
        data_dir=resolve(settings.data_dir),
        cache_dir=resolve(settings.cache_dir),
        secrets=secrets,
        rasa_config={key: raw[key] for key in RASA_KEYS if key in raw},
    )


def _set_path(values: dict[str, Any], path: list[str], value: str, variable: str) -> None:
    node = values
    for key in path[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise SettingsError(f"{variable}: {'.'.join(path)} is not a setting")
    node[path[-1]] = value


def _build(cls: type, values: dict[str, Any]) -> Any:
    if not isinstance(values, dict):
        raise ValueError(f"{cls.__name__}: expected a section of settings, got {values!r}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown setting(s) in {cls.__name__}: {', '.join(sorted(unknown))}")
    kwargs = {}
    for name, value in values.items():
        try:
            kwargs[name] = _coerce(hints[name], value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{cls.__name__}.{name}: {value!r} is not valid ({error})") from None
    return cls(**kwargs)


def _coerce(hint: Any, value: Any) -> Any:
    """Turn YAML values and environment strings into the declared type."""
    if dataclasses.is_dataclass(hint):
        return _build(hint, value or {})
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item_type, _) = typing.get_args(hint)
        if isinstance(value, str):
            value = [part for part in value.replace(";", ",").split(",") if part.strip()]
        return tuple(item_type(item) for item in value or ())
    if origin in (typing.Union, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if hint is bool and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if hint is Path:
        return Path(str(value))
    return hint(value)
