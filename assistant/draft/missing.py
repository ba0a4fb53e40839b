"""An answer that says exactly what is missing, in the question's language, and gives the nearest available
facts with their citations («Данных за 2025 год в документах нет; последние — за 2024 год: 71 жалоба [1]»)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from assistant.draft.citations import CitationBook
from assistant.draft.drafting import format_fact
from assistant.draft.wording import phrase
from assistant.measure.facts import facts_for
from assistant.measure.knowledge import load_entities
from assistant.types import Citation, Frame, MetricFact, QueryAnalysis

COVERAGE_ENTITY = "wkr"  # the region the data cover
MAX_NEAREST = 3


def missing_answer(analysis: QueryAnalysis, frame: Frame, data_dir: Path
                   ) -> tuple[str, list[Citation], list[MetricFact]]:
    lang = analysis.language
    kinds = {m.kind for m in frame.missing}
    if "personal_data" in kinds:
        return phrase(data_dir, lang, "personal_data"), [], []
    if "indicator" in kinds:  # no figure of that quantity at all: nothing nearer to give
        return phrase(data_dir, lang, "missing_indicator", what=_details(frame, "indicator")), [], []
    lines = [_line(kind, frame, lang, data_dir) for kind in ("entity", "region", "year")
             if _has(frame, kind)]
    nearest = nearest_facts(analysis, frame, data_dir)
    book = CitationBook()
    if nearest and "year" in kinds:
        lines[-1] = phrase(data_dir, lang, "missing_year", years=_details(frame, "year"),
                           latest=max(f.period for f in nearest))
    elif nearest:
        lines.append(phrase(data_dir, lang, "missing_place_nearest", coverage=_coverage(lang, data_dir)))
    lines += [""] + [f"- {format_fact(f, lang, data_dir)} [{book.fact(f)}]" for f in nearest] if nearest else []
    return "\n".join(lines), book.citations, nearest


def nearest_facts(analysis: QueryAnalysis, frame: Frame, data_dir: Path) -> list[MetricFact]:
    """The same indicators for the latest period and the units the data do cover."""
    relaxed = replace(frame, years=(), period="", outside=(), missing=(),
                      asks=tuple(a for a in frame.asks if a != "change") or ("value",))
    facts = facts_for(replace(analysis, years=()), data_dir, relaxed)
    return [f for f in facts if f.kind != "change"][:MAX_NEAREST]


def _has(frame: Frame, kind: str) -> bool:
    kinds = {"region": ("region", "city")}.get(kind, (kind,))
    return any(m.kind in kinds for m in frame.missing)


def _details(frame: Frame, kind: str) -> str:
    kinds = {"region": ("region", "city")}.get(kind, (kind,))
    return ", ".join(dict.fromkeys(m.detail for m in frame.missing if m.kind in kinds))


def _coverage(lang: str, data_dir: Path) -> str:
    entity = load_entities(data_dir).get(COVERAGE_ENTITY)
    return entity.name(lang) if entity else COVERAGE_ENTITY


def _line(kind: str, frame: Frame, lang: str, data_dir: Path) -> str:
    if kind == "entity":
        return phrase(data_dir, lang, "missing_unit", places=_details(frame, "entity"))
    if kind == "region":
        return phrase(data_dir, lang, "missing_place", places=_details(frame, "region"),
                      coverage=_coverage(lang, data_dir))
    return phrase(data_dir, lang, "missing_year_no_data", years=_details(frame, "year"))
