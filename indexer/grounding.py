"""The grounding bar of an index, calibrated at build time from the index's own score distribution.

A question is answered only when its best passage is closer than the bar. The bar sits just above how close
everyday off-topic questions (indexer/grounding_probes.yaml, in ru/kk/en) come to this index's passages, and
below how close the passages' own opening sentences, asked as questions, come to them. So it follows the corpus
and the model, not numbers fitted to one set of notes.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from .chunking import sentence_spans
from .documents import Chunk

log = logging.getLogger(__name__)
PROBES_FILE = Path(__file__).with_name("grounding_probes.yaml")
POSITIVE_PROBES = 40  # passages sampled evenly across the index
PROBE_WORDS = 30
OFF_TOPIC_MARGIN = 0.015  # the bar sits this far above the closest off-topic probe…
POSITIVE_MARGIN = 0.02  # …unless that would come within this of the weakest tenth of the positives
_OFF_TOPIC_VECTORS: dict[str, dict[str, np.ndarray]] = {}


@lru_cache(maxsize=1)
def off_topic_probes() -> dict[str, list[str]]:
    return yaml.safe_load(PROBES_FILE.read_text(encoding="utf-8"))


def probe_of(chunk: Chunk) -> str:
    """A passage's opening sentence (or its section title), cut to a question-like length."""
    spans = sentence_spans(chunk.text)
    text = chunk.text[spans[0].start:spans[0].end] if spans else chunk.section
    return " ".join(text.split()[:PROBE_WORDS])


def _best_scores(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    return (np.asarray(vectors, dtype=np.float32) @ np.asarray(queries, dtype=np.float32).T).max(axis=0)


def _off_topic_vectors(embedder) -> dict[str, np.ndarray]:
    identity = getattr(embedder, "identity", "")
    if identity not in _OFF_TOPIC_VECTORS:
        _OFF_TOPIC_VECTORS[identity] = {lang: np.vstack([embedder.embed_query(q) for q in questions])
                                        for lang, questions in off_topic_probes().items()}
    return _OFF_TOPIC_VECTORS[identity]


def calibrate(chunks: list[Chunk], vectors: np.ndarray, embedder) -> dict:
    """{"bars": {lang: cosine}, …} for the manifest; {} for an index too small to calibrate."""
    texts = [i for i, c in enumerate(chunks) if c.doc_type != "data" and c.row is None]
    if len(texts) < 3:
        return {}
    step = max(1, len(texts) // POSITIVE_PROBES)
    sample = texts[::step][:POSITIVE_PROBES]
    positives = _best_scores(vectors, np.vstack([embedder.embed_query(probe_of(chunks[i])) for i in sample]))
    floor = float(np.quantile(positives, 0.1)) - POSITIVE_MARGIN
    off_topic = {lang: float(_best_scores(vectors, q).max()) for lang, q in _off_topic_vectors(embedder).items()}
    bars = {}
    for lang, worst in off_topic.items():
        bar = worst + OFF_TOPIC_MARGIN
        bars[lang] = round(bar if bar <= floor else (worst + floor + POSITIVE_MARGIN) / 2, 4)
    log.info("grounding bars %s (off-topic max %s, positives p10 %.3f)", bars, off_topic, floor + POSITIVE_MARGIN)
    return {"bars": bars, "off_topic_max": {k: round(v, 4) for k, v in off_topic.items()},
            "positive_p10": round(floor + POSITIVE_MARGIN, 4), "positive_median": round(float(np.median(positives)), 4),
            "probes": {"positive": len(sample), "off_topic": sum(len(v) for v in off_topic_probes().values())}}
