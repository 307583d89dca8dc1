"""One settings object, read from PROCBOT_* environment variables and a `.env` file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.errors import ConfigError

#: The knowledge folder that ships with the project (the founding example lives there).
SHIPPED_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def _alias(*names: str) -> AliasChoices:
    return AliasChoices(*names)


def user_cache() -> Path:
    """This user's cache folder for procbot (XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "procbot"


class Settings(BaseSettings):
    """Every knob of procbot; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_prefix="PROCBOT_", env_file=".env", extra="ignore", populate_by_name=True
    )

    # Knowledge and index
    data_dir: Path = Path(".procbot")
    knowledge: Annotated[list[Path], NoDecode] = Field(default_factory=lambda: [SHIPPED_KNOWLEDGE])
    chroma_url: str | None = Field(
        None, validation_alias=_alias("CHROMA_URL", "PROCBOT_CHROMA_URL")
    )
    collection: str = "procbot"
    embedder: str = "minilm"  # minilm | chroma-default | openai:MODEL | ollama:MODEL
    # The district court the person's case is in ("E.D. Cal."): whose local rules a bare
    # "L.R. 230" means, and outside which an order is persuasive only. Unset: the court most
    # indexed orders come from.
    court: str | None = None
    # How many graph neighbours Chroma's HNSW index visits per dense query. Chroma's default
    # (100) returned 91.5% of the exact cosine top 36 over the 4,493-passage evaluation index,
    # missing passages in 25 of 113 questions, and which ones changed with every build; 400
    # returned 99.4% (one question lost one passage, as at 800) for +1.3 ms a query
    # (benchmarks/dense_recall.py measures it on any index).
    hnsw_ef_search: int = Field(400, ge=1)
    # Where the shipped model's ONNX query graph is kept, once per machine rather than per data
    # folder: an index run exports it, and serving encodes questions with it instead of torch.
    model_cache: Path = Field(default_factory=user_cache)

    # Answers
    composer: Literal["extractive", "llm"] = "extractive"
    llm: str | None = None  # "openai:gpt-4o-mini", "ollama:llama3.1" (LangChain init_chat_model)
    llm_timeout_s: float = Field(30.0, gt=0)
    k: int = Field(5, ge=1, le=50)  # passages handed to the composer
    # Cosine (question vs a guide's closest ask) a guide needs to answer; below it the passages
    # do. None: the cross-validated default (bot.answer.guides.THRESHOLD). A clinic with its own
    # guides and questions can choose its own with benchmarks/guide_threshold.py.
    guide_threshold: float | None = Field(None, ge=0.0, le=1.0)

    # Telegram front end
    telegram_bot_token: SecretStr | None = Field(
        None, validation_alias=_alias("TELEGRAM_BOT_TOKEN", "PROCBOT_TELEGRAM_BOT_TOKEN")
    )
    telegram_base_url: str | None = Field(
        None, validation_alias=_alias("TELEGRAM_BASE_URL", "PROCBOT_TELEGRAM_BASE_URL")
    )
    webhook_url: str | None = None  # public HTTPS URL; polling when unset
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8443, ge=1, le=65535)
    allowed_chat_ids: Annotated[frozenset[int], NoDecode] = frozenset()  # empty: everyone
    admin_chat_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    rate_limit_per_minute: int = Field(6, ge=1)  # questions per user per minute
    history_turns: int = Field(6, ge=0)  # earlier messages kept for follow-ups
    history_max_age_minutes: int = Field(60, ge=1)
    # A person's uploaded order: kept in memory only, for follow-up questions, this long.
    upload_retention_hours: float = Field(24.0, gt=0)
    poll_interval_s: float = Field(0.0, ge=0)

    log_level: str = "INFO"

    # Reliability: one writer per data folder, bounded network calls, room on the disk
    lock_timeout_s: float = Field(60.0, ge=0)  # how long an index run waits for another
    chroma_timeout_s: float = Field(10.0, gt=0)  # each Chroma server request
    chroma_retries: int = Field(2, ge=0)  # extra tries when the server cannot be reached
    dense_retry_s: float = Field(30.0, ge=0)  # after a vector-store failure, BM25 only this long
    min_free_mb: int = Field(50, ge=0)  # free space an index run leaves on the disk, at least
    telegram_start_retries: int = Field(3, ge=0)  # Bot API tries at start-up before giving up

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator(
        "court",
        "chroma_url",
        "llm",
        "telegram_bot_token",
        "telegram_base_url",
        "webhook_url",
        "webhook_secret",
        "guide_threshold",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `.env.example` lists every variable; a copied file leaves optional ones blank.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("model_cache", mode="before")
    @classmethod
    def _blank_is_user_cache(cls, value: object) -> object:
        return user_cache() if isinstance(value, str) and not value.strip() else value

    @field_validator("knowledge", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(p) for p in value.split(os.pathsep) if p.strip()]
        return value

    @field_validator("allowed_chat_ids", "admin_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(v) for v in value.replace(",", " ").split())
        return value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def history_path(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def cache_dir(self) -> Path:
        """Vectors of the texts procbot ships (examples, events' asks), kept between starts."""
        return self.data_dir / "cache"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with explicit overrides winning."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except UnicodeDecodeError:
        raise ConfigError(
            f"{Path('.env').resolve()} is not a UTF-8 text file of NAME=value lines; fix or "
            "remove it (settings are read from it and from PROCBOT_* variables)."
        ) from None
    except OSError as error:
        raise ConfigError(
            f"Cannot read the settings file .env ({error.strerror or error})."
        ) from None
    except ValidationError as error:
        problems = "; ".join(
            f"{_variable(problem['loc'])}: {problem['msg']}" for problem in error.errors()
        )
        raise ConfigError(f"Invalid setting. {problems}") from None


def _variable(loc: tuple[object, ...]) -> str:
    """The environment variable a pydantic error location refers to."""
    name = str(loc[0]) if loc else "?"
    field = Settings.model_fields.get(name)
    alias = field and field.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"PROCBOT_{name.upper()}"
