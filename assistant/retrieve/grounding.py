"""Is a question answerable from this index at all? The calibrated cosine bar (indexer/grounding.py) with a small
margin for questions that name the domain's units and terms, and a lexical check for questions that name none."""
from __future__ import annotations

from pathlib import Path

from indexer.analysis import tokenize

from assistant.measure.knowledge import alias_index
from assistant.types import Hit, QueryAnalysis

# Calibrated on the shipped corpus: out-of-scope questions reach at most ~0.81 cosine with any passage in
# Russian and English, ~0.84 in Kazakh (the model is weaker there); answerable ones score higher.
GROUNDED_COSINE = {"ru": 0.83, "en": 0.83, "kk": 0.855}
DOMAIN_MARGIN = 0.03  # recognised domain entities or terms lower the bar by this much
GENERIC_ENTITY_TYPES = {"country", "region"}


TOP_PASSAGES = 3  # the passages a question's own words are looked for in


def is_grounded(hits: list[Hit], analysis: QueryAnalysis, calibrated: float | None = None) -> bool:
    """The best passage must reach the index's calibrated bar (indexer/grounding.py), or the fixed one of an
    index too small to calibrate. A question that names a unit beside a term of the glossary, or two terms, gets
    a small margin: a place alone ("weather in Uralsk") gets none."""
    if not hits:
        return False
    best = max(h.dense for h in hits)
    bar = calibrated or GROUNDED_COSINE.get(analysis.language, 0.83)
    specific = [e for e in analysis.entities if _entity_type(e) not in GENERIC_ENTITY_TYPES]
    if (specific and analysis.terms) or len(analysis.terms) >= 2:
        bar -= DOMAIN_MARGIN
    return best >= bar


def off_topic(analysis: QueryAnalysis, hits: list[Hit], vocabulary: dict[str, float], data_dir: Path) -> bool:
    """A question that names no term of the glossary is outside the domain, however close its vector lands to a
    passage naming the same city, when most of its words occur in no document or none of its words besides
    place names occurs in the best passages ("weather in Uralsk tomorrow", "a good hotel in Uralsk")."""
    if analysis.terms:
        return False
    places = {tok for tokens, entity in alias_index(data_dir) if entity in analysis.entities for tok in tokens}
    words = set(tokenize(analysis.question)) - places
    if not words:
        return False
    known = [w for w in words if w in vocabulary]
    if len(known) * 2 <= len(words):
        return True
    best = {tok for h in hits[:TOP_PASSAGES] for tok in tokenize(h.chunk.text)}
    return not words & best


def _entity_type(entity_id: str) -> str:
    return {"kz": "country", "wkr": "region"}.get(entity_id, "")
