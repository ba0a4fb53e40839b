"""Language knowledge for question frames, read from data/frames.yaml: cue lists per language, matched as
lowercase substrings of the question."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml


@lru_cache(maxsize=4)
def frame_cues(data_dir: Path) -> dict:
    return yaml.safe_load((Path(data_dir) / "frames.yaml").read_text(encoding="utf-8"))


def has_cue(question: str, cues_by_lang: dict) -> str:
    low = " ".join(question.lower().split())
    return next((cue for cues in cues_by_lang.values() for cue in cues if cue in low), "")
