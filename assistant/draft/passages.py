"""Passages as units: the best paragraph of each of the best retrieved passages, in rank order, a list kept with
its intro. Never a heading, a question, or a bibliography line."""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.analysis import tokenize

from assistant.retrieve.retrieval import LIST_SECTIONS
from assistant.types import Hit, QueryAnalysis

MAX_UNITS = 3
MAX_CHARS = 700
MAX_LIST_CHARS = 1000
RELATIVE_FLOOR = 0.45  # a further passage must score at least this share of the best one
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+")
_NOT_AN_ANSWER = re.compile(r"^\s*(?:#|\**(?:source|sources|источник|источники|дереккөз|дереккөздер|see also|"
                            r"см\. также|сондай-ақ қараңыз)\b|\**doi\b)", re.I)
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Unit:
    hit: Hit
    rank: int
    text: str
    score: float


def paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs; a line ending with ':' keeps the list items that follow it."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.rstrip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if blocks and _LIST_ITEM.match(lines[0]) and blocks[-1].rstrip().endswith(":"):
            blocks[-1] = blocks[-1] + "\n" + "\n".join(lines)
        else:
            blocks.append("\n".join(lines))
    return [b for b in blocks if is_answer_text(b)]


def is_answer_text(block: str) -> bool:
    first = block.strip().splitlines()[0]
    if _NOT_AN_ANSWER.match(first):
        return False
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", block.strip()) if s]
    if sentences and all(s.rstrip().endswith("?") for s in sentences):
        return False  # a question the note asks, not an answer
    return len(block.split()) >= 6


def trim(block: str) -> str:
    limit = MAX_LIST_CHARS if "\n" in block else MAX_CHARS
    if len(block) <= limit:
        return block
    cut = block[:limit]
    end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind("; "))
    return (cut[:end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + " …").strip()


def score_block(block: str, query_terms: set[str], weights: dict[str, float], wants_figures: bool,
                years: tuple[int, ...]) -> float:
    terms = set(tokenize(block))
    total = sum(weights.get(t, 1.0) for t in query_terms) or 1.0
    score = sum(weights.get(t, 1.0) for t in terms & query_terms) / total
    if wants_figures and _NUMBER.search(block):
        score += 0.15
    if years and any(str(y) in block for y in years):
        score += 0.2
    return score


def passage_units(candidates: list[tuple[int, Hit]], analysis: QueryAnalysis, weights: dict[str, float],
                  wants_figures: bool, limit: int = MAX_UNITS) -> list[Unit]:
    """The best paragraph of the top passage always, then of other passages that score close to it."""
    query_terms = set(tokenize(analysis.lexical_query))
    best_by_hit: dict[int, Unit] = {}
    for rank, hit in candidates:
        if hit.chunk.doc_type == "data" or any(w in hit.chunk.section.lower() for w in LIST_SECTIONS):
            continue
        for block in paragraphs(hit.chunk.text):
            score = score_block(block, query_terms, weights, wants_figures, analysis.years) + 0.2 / (1 + rank)
            current = best_by_hit.get(hit.position)
            if current is None or score > current.score:
                best_by_hit[hit.position] = Unit(hit, rank, trim(block), score)
    if not best_by_hit:
        return []
    units = sorted(best_by_hit.values(), key=lambda u: -u.score)
    top_rank = min(u.rank for u in units)
    lead = max((u for u in units if u.rank == top_rank), key=lambda u: u.score)
    chosen = [lead] + [u for u in units if u is not lead and u.score >= RELATIVE_FLOOR * units[0].score]
    chosen = _distinct(chosen)[:limit]
    return sorted(chosen, key=lambda u: (u.rank, -u.score))


def _distinct(units: list[Unit]) -> list[Unit]:
    seen, out = set(), []
    for unit in units:
        key = unit.text[:120]
        if key not in seen:
            seen.add(key)
            out.append(unit)
    return out
