"""Language knowledge for question frames, read from data/frames.yaml: cue lists per language, matched as
lowercase substrings of the question."""
from __future__ import annotations

import re
from pathlib import Path

from assistant.measure.knowledge import frames_spec


_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”")


def without_names(text: str) -> str:
    """The text without what it quotes: words in quotes are a name («Адамдар бірінші кезекте», "People First"),
    not a period or a quantity."""
    return _QUOTED.sub(" ", text)


def frame_cues(data_dir: Path) -> dict:
    return frames_spec(data_dir)


def has_cue(question: str, cues_by_lang: dict) -> str:
    low = " ".join(question.lower().split())
    return next((cue for cues in cues_by_lang.values() for cue in cues if cue in low), "")


def cue_word_starts(words: list[str], cue: str) -> list[int]:
    """Where a cue starts among the words: each cue word begins a word, in order, with at most one word between
    («как исправить» finds «как это исправить», «кадр ауыс» finds «кадрлардың ауысу»)."""
    parts = cue.split()
    found = []
    for start, word in enumerate(words):
        at = start if parts and word.startswith(parts[0]) else None
        for part in parts[1:]:
            if at is None:
                break
            at = next((j for j in range(at + 1, min(at + 3, len(words))) if words[j].startswith(part)), None)
        if at is not None:
            found.append(start)
    return found
