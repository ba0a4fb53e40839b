"""Property tests (hypothesis): chunking loses no text and keeps overlap small, fusion and metrics behave."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.measure import metrics as m
from assistant.retrieve.fusion import mmr, reciprocal_rank_fusion, top_items
from indexer.chunking import chunk_document, chunk_spans
from indexer.documents import Block, Document
from indexer.settings import ChunkerSettings

WORD = st.text(alphabet="абвгдежзиклмнопрстуфхцчшщыэюяәғқңөұүһіabcdefghij0123456789", min_size=1, max_size=12)
SENTENCE = st.builds(lambda words, end: " ".join(words) + end, st.lists(WORD, min_size=1, max_size=40),
                     st.sampled_from([".", "!", "?", "", "…"]))
TEXT = st.builds(lambda sentences, sep: sep.join(s.capitalize() for s in sentences),
                 st.lists(SENTENCE, min_size=1, max_size=60), st.sampled_from([" ", "\n", "\n\n", "  "]))
CFG = ChunkerSettings()


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_chunking_loses_no_text_and_bounds_size_and_overlap(text):
    windows = chunk_spans(text, CFG)
    covered = set()
    for start, end in windows:
        covered.update(range(start, end))
        assert len(text[start:end].split()) <= CFG.max_words
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    for (a1, b1), (a2, b2) in zip(windows, windows[1:]):
        assert a1 < a2 and b1 < b2
        overlap = text[a2:b1].split() if a2 < b1 else []
        assert len(overlap) <= CFG.overlap_words


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_chunks_never_cross_pages(pages):
    doc = Document("d", "T", "d.pdf", "document", "ru", "d",
                   tuple(Block(text, page=n) for n, text in enumerate(pages, start=1)))
    for chunk in chunk_document(doc, CFG):
        assert chunk.text == pages[chunk.page - 1][chunk.char_start:chunk.char_end].strip()


RANKING = st.lists(st.integers(0, 30), unique=True, max_size=20)


@given(st.lists(RANKING, min_size=1, max_size=4))
def test_rrf_scores_are_positive_and_agreement_never_hurts(rankings):
    fused = reciprocal_rank_fusion(rankings)
    assert set(fused) == {x for r in rankings for x in r}
    assert all(score > 0 for score in fused.values())
    for item, score in fused.items():
        appearances = sum(item in r for r in rankings)
        assert score <= appearances / 61 + 1e-12
    ordered = [item for item, _ in top_items(fused, len(fused))]
    assert ordered == sorted(fused, key=lambda i: (-fused[i], str(i)))


@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=12), st.integers(1, 12))
def test_mmr_returns_distinct_candidates(relevance, n):
    rng = np.random.default_rng(len(relevance))
    vectors = rng.normal(size=(len(relevance), 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    picked = mmr(list(range(len(relevance))), relevance, vectors, n)
    assert len(picked) == min(n, len(relevance)) and len(set(picked)) == len(picked)
    assert picked[0] == int(np.argmax(relevance)) or relevance[picked[0]] == max(relevance)


def _series(values: list[float], start: int = 2019) -> pd.DataFrame:
    return pd.DataFrame({"entity": "wkr", "entity_type": "region", "indicator": "x",
                         "year": pd.array([start + i for i in range(len(values))], dtype="Int64"),
                         "value": values, "rows": [(i + 2,) for i in range(len(values))],
                         "file": "tables/x.csv", "source": "S", "note": ""})


POSITIVE = st.floats(0.01, 1e7, allow_nan=False, allow_infinity=False)


@given(st.lists(POSITIVE, min_size=2, max_size=8))
def test_yoy_change_is_last_over_previous(values):
    change, last, prev = m.yoy_change(_series(values))
    assert math.isclose(change, values[-1] / values[-2] - 1, rel_tol=1e-9, abs_tol=1e-12)
    assert last["value"] == values[-1] and prev["value"] == values[-2]


@given(st.lists(POSITIVE, min_size=3, max_size=8))
def test_trend_direction_matches_slope_sign(values):
    result = m.trend(_series(values))
    assert result["first"] == values[0] and result["last"] == values[-1]
    if all(b > a for a, b in zip(values, values[1:])):
        assert result["direction"] == "up"
    if all(b < a for a, b in zip(values, values[1:])):
        assert result["direction"] == "down"


ENTITY_VALUES = st.dictionaries(st.sampled_from(list("abcdefgh")), st.floats(0, 5, allow_nan=False), min_size=1)


def _entities(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"entity": list(values), "value": list(values.values()),
                         "year": pd.array([None] * len(values), dtype="Int64")})


@given(ENTITY_VALUES, st.sampled_from([">", ">=", "<", "<="]), st.floats(0, 5, allow_nan=False))
def test_breaches_are_exactly_the_values_past_the_threshold(values, op, threshold):
    hit = set(m.breaches(_entities(values), op, threshold)["entity"])
    expected = {e for e, v in values.items() if {">": v > threshold, ">=": v >= threshold,
                                                  "<": v < threshold, "<=": v <= threshold}[op]}
    assert hit == expected


@given(ENTITY_VALUES)
def test_ranking_is_sorted_and_complete(values):
    ranked = m.ranked(_entities(values))
    assert list(ranked["rank"]) == list(range(1, len(values) + 1))
    assert list(ranked["value"]) == sorted(values.values(), reverse=True)
