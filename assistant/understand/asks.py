"""What a question asks (value, compare, rank, threshold, what-to-do, …): nearest neighbours among labelled
example questions (data/asks.yaml) on the question vector already computed, with lexical cues as a backstop.

The examples are embedded once per embedder and cached beside the index (a few seconds the first time)."""
from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from indexer.errors import QoljetimError

from assistant.understand.cues import cue_word_starts

log = logging.getLogger(__name__)
NEIGHBOURS = 9
MIN_VOTE_SHARE = 0.5  # a neighbour vote this strong adds its ask even when no cue fired
# Asks that test or compare (a bar, two units, an order, two periods) leave a trace in the wording; with no cue
# in the question, the neighbours must give one of them more than a third of their weight, else it is a value.
TRACE_ASKS = {"threshold", "change", "compare", "rank"}
# Asked only in words of their own (почему / неге / why; что такое / деген не / what is meant): neighbours that
# share the topic ("Workload coefficient of the Department of Education?" lies near "why is … loaded?") do not
# make a question one of these.
CUE_ONLY_ASKS = {"why", "definition"}
MIN_TRACELESS_SHARE = 1 / 3


class AskDataError(QoljetimError):
    """data/asks.yaml is missing or malformed."""


@dataclass(frozen=True)
class AskData:
    cues: dict  # ask -> lang -> tuple of lowercase cue strings
    examples: tuple[tuple[str, str], ...]  # (ask, example question)
    digest: str


@lru_cache(maxsize=4)
def load_ask_data(data_dir: Path) -> AskData:
    path = Path(data_dir) / "asks.yaml"
    try:
        raw = path.read_bytes()
        asks = yaml.safe_load(raw)["asks"]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise AskDataError(f"{path}: cannot read the ask examples ({exc}); restore it from the repository.") from exc
    cues = {ask: {lang: tuple(c.lower() for c in (spec.get("cues") or {}).get(lang) or ())
                  for lang in ("ru", "kk", "en")} for ask, spec in asks.items()}
    examples = tuple((ask, text) for ask, spec in asks.items()
                     for texts in (spec.get("examples") or {}).values() for text in texts or ())
    return AskData(cues=cues, examples=examples, digest=hashlib.sha256(raw).hexdigest()[:16])


def cue_asks(question: str, data: AskData) -> list[str]:
    """Asks whose cues occur in the question (any language's cues), in order of first occurrence."""
    low = " ".join(question.lower().split())
    words = re.findall(r"[\w%-]+", low)
    found = {}
    for ask, by_lang in data.cues.items():
        positions = [p for cues in by_lang.values() for cue in cues if cue for p in [cue_position(cue, low, words)]
                     if p is not None]
        if positions:
            found[ask] = min(positions)
    return sorted(found, key=found.get)


def cue_position(cue: str, low: str, words: list[str]) -> int | None:
    """Where a cue occurs: as a substring, or its words in order with at most one word between each
    ("как это исправить" matches the cue "как исправить"); each cue word may be a word's beginning."""
    at = low.find(cue)
    if at >= 0:
        return at
    if len(cue.split()) < 2:
        return None
    starts = cue_word_starts(words, cue)
    return len(" ".join(words[:starts[0]])) if starts else None


def neighbour_votes(vector: np.ndarray, matrix: np.ndarray, labels: tuple[str, ...], k: int = NEIGHBOURS) -> dict:
    """Similarity-weighted vote share of each ask among the k nearest examples."""
    if matrix.size == 0:
        return {}
    sims = matrix @ vector.astype(np.float32)
    top = np.argsort(-sims)[:k]
    votes: dict[str, float] = defaultdict(float)
    for i in top:
        votes[labels[i]] += max(float(sims[i]), 0.0)
    total = sum(votes.values()) or 1.0
    return {ask: v / total for ask, v in sorted(votes.items(), key=lambda kv: -kv[1])}


PRECEDENCE = ("swot", "pest", "brief", "legal", "definition", "why", "what_to_do", "threshold", "compare", "rank",
              "change", "share", "list", "value")  # the more specific ask leads when several are found


def combine(cues: list[str], votes: dict) -> tuple[str, ...]:
    """The frame's asks, most specific first: every ask a cue found, plus the neighbours' choice when no cue
    fired or when their vote is strong."""
    asks = list(cues)
    best = next((a for a in votes if a not in CUE_ONLY_ASKS), None)  # a reason or a definition needs its words
    if best in TRACE_ASKS and not asks and votes[best] <= MIN_TRACELESS_SHARE:
        best = "value"  # "what is the workload in Karatobe district?" tests no bar
    if best and (not asks or votes.get(best, 0.0) >= MIN_VOTE_SHARE) and best not in asks:
        asks.append(best)
    asks = ["brief" if a == "talking_points" else a for a in asks]  # trainers' talking points are a brief
    order = {ask: i for i, ask in enumerate(PRECEDENCE)}
    return tuple(sorted(dict.fromkeys(asks), key=lambda a: order.get(a, len(order)))) or ("value",)


class AskClassifier:
    """Holds the example vectors for one embedder; classify() costs one matrix-vector product."""

    def __init__(self, data_dir: Path, embedder, cache_dir: Path | None = None):
        self.data = load_ask_data(data_dir)
        self.labels = tuple(ask for ask, _ in self.data.examples)
        self.matrix = self._vectors(embedder, cache_dir)

    def classify(self, question: str, vector: np.ndarray) -> tuple[str, ...]:
        return combine(cue_asks(question, self.data), neighbour_votes(vector, self.matrix, self.labels))

    def _vectors(self, embedder, cache_dir: Path | None) -> np.ndarray:
        identity = str(getattr(embedder, "identity", type(embedder).__name__))
        key = hashlib.sha256(f"{identity}|{self.data.digest}".encode()).hexdigest()[:16]
        path = Path(cache_dir) / f"asks-{key}.npy" if cache_dir else None
        if path is not None and path.exists():
            try:
                matrix = np.load(path)
                if matrix.shape[0] == len(self.labels):
                    return matrix
            except (OSError, ValueError):
                log.warning("ask-example cache %s is unreadable; recomputing it", path)
        log.info("embedding %d ask examples (once per embedder)", len(self.labels))
        texts = [text for _, text in self.data.examples]
        matrix = np.concatenate([embedder.embed_queries(texts[i:i + 64]) for i in range(0, len(texts), 64)])
        matrix = matrix.astype(np.float32)
        if path is not None:
            _save_atomically(path, matrix)
        return matrix


def _save_atomically(path: Path, matrix: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, matrix)
        tmp.replace(path)
    except OSError as exc:  # a read-only index folder only costs the few seconds again next time
        log.warning("could not cache the ask examples in %s: %s", path.parent, exc)
