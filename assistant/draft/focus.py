"""Keep an answer on what was asked: the figure line that leads when no table answers the question, and, when
data rows settle a figure question, passages that add no other figure.

A passage that repeats other years' or other units' values beside the answered one ("9 in 2021, 44 in 2022, 46 in
2023 and 71 in 2024") corroborates the answer but also puts figures before the reader that were not asked for; it
is cited on the first line instead of being quoted.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from indexer.analysis import tokenize
from indexer.chunking import sentence_spans

from assistant.draft.passages import Unit, score_block
from assistant.draft.traceability import numbers_in, shows_value
from assistant.measure.knowledge import load_indicators
from assistant.types import Frame, MetricFact, QueryAnalysis
from assistant.understand.measures import prints_figure, strip_references

_YEAR = re.compile(r"^(?:19|20)\d\d$")
_PIECES = re.compile(r"(?<=[.!?;])\s+|\n")
BULLET = re.compile(r"^\s*(?:[-*•–]\s+)+")  # a list marker at the start of a line


def lead_line(units: list[Unit], analysis: QueryAnalysis, weights: dict[str, float]) -> tuple[str, Unit] | None:
    """The sentence or list item of the quoted passages that prints a figure and shares most with the question."""
    terms = set(tokenize(analysis.lexical_query))
    best: tuple[float, str, Unit] | None = None
    for unit in units:
        for piece in _PIECES.split(unit.text):
            line = BULLET.sub("", piece).strip()
            if len(line.split()) < 3 or line.endswith(":") or not prints_figure(line):
                continue
            score = score_block(line, terms, weights, True, analysis.years) + 0.05 / (1 + unit.rank)
            if best is None or score > best[0]:
                best = (score, line, unit)
    return (best[1], best[2]) if best else None


# The kinds of computed fact that answer each figure ask on the first line.
ANSWERED_BY = {"value": {"value", "max", "min", "breach"}, "share": {"value", "max", "min", "breach"},
               "compare": {"value"}, "rank": {"max", "min"}, "threshold": {"breach", "max", "min"},
               "change": {"change"}}
NAMED_PERIODS = ("year", "years", "range")  # periods whose every named year is shown on the first line


def settles(frame: Frame, used: list[MetricFact]) -> bool:
    """The first line answers everything asked from data rows: only figure asks, each answered by a fact of its
    kind (a comparison by two), every figure asked and every year named shown."""
    if not used or not set(frame.asks) <= set(ANSWERED_BY) or len(used) < frame.figures_asked:
        return False
    if frame.figures_asked > 1:  # several figures matched part by part: one may answer a neighbouring question
        return False
    kinds = [f.kind for f in used]
    if not all(any(k in ANSWERED_BY[ask] for k in kinds) for ask in frame.asks):
        return False
    if "compare" in frame.asks and kinds.count("value") < 2:
        return False
    shown = {int(y) for f in used for y in re.findall(r"\d{4}", f.period)}
    return (frame.period not in NAMED_PERIODS or set(frame.years) <= shown) and _belong_together(frame, used)


def _belong_together(frame: Frame, used: list[MetricFact]) -> bool:
    """Several figures of a value question are of one unit (or of the units named) and one period (or the years
    named); a second figure of another unit or period may answer a neighbouring question, so it settles nothing."""
    if len(used) < 2 or frame.wants("rank", "threshold", "compare", "change"):
        return True
    entities = {f.entity for f in used}
    periods = {f.period for f in used}
    return (len(entities) == 1 or entities <= set(frame.entities)) and \
        (len(periods) == 1 or all(_asked_period(p, frame) for p in periods))


def _asked_period(period: str, frame: Frame) -> bool:
    """A year named, or a year or span inside the range the question names ("2019–2021": 2020 too)."""
    years = [int(y) for y in re.findall(r"\d{4}", period)]
    if not years or not frame.years:
        return False
    if frame.period == "range":
        return all(min(frame.years) <= y <= max(frame.years) for y in years)
    return all(y in frame.years for y in years)


def answered_values(used: list[MetricFact]) -> list[float]:
    """The figures the first line shows: each fact's value and, for a change, its two ends."""
    return [v for f in used for v in (f.value, *f.inputs)]


def other_figures(text: str, used: list[MetricFact]) -> set[str]:
    """Figures a passage prints besides the answered values (years and source references aside)."""
    values = answered_values(used)
    found = numbers_in(strip_references(text))
    return {n for n in found if not _YEAR.match(n) and not any(shows_value(n, v) for v in values)}


def split_settled(units: list[Unit], used: list[MetricFact], firm: bool = False) -> tuple[list[Unit], list[Unit]]:
    """(quoted, corroborating) under a settled first line. Quoted: passages with no other figure, whole, and
    passages that print an answered value among others, as an excerpt of their sentences and list items mostly
    about the answered values or with no figure at all. Corroborating: passages that repeat an answered value
    only among others ("9 in 2021, 44 in 2022, 46 in 2023…"), cited on the first line. The rest speak of other
    figures only and are left. When no passage repeats an answered value and the best one prints others, the row
    may answer a neighbouring indicator, so every passage is quoted whole — unless the question named the unit
    and the indicator itself (`firm`, see `firmly_asked`)."""
    values = answered_values(used)
    if not firm and units and other_figures(units[0].text, used) and \
            not any(_prints_value(u.text, values) for u in units):
        return units, []  # not settled after all
    quoted, corroborating = [], []
    for unit in units:
        if not other_figures(unit.text, used):
            quoted.append(unit)
        elif _prints_value(unit.text, values):
            kept = excerpt(unit.text, used)
            if kept:
                quoted.append(replace(unit, text=kept))
            else:
                corroborating.append(unit)
    return quoted, corroborating


def firmly_asked(frame: Frame, used: list[MetricFact], analysis: QueryAnalysis, data_dir: Path) -> bool:
    """Every answered row is of a unit the question names and of an indicator one of its glossary terms links to
    ("the workload coefficient of Uralsk city"): no neighbouring indicator can be meant."""
    catalogue = load_indicators(data_dir)
    return bool(used) and all(f.entity in frame.entities and f.indicator in catalogue
                              and set(catalogue[f.indicator].terms) & set(analysis.terms) for f in used)


def _prints_value(text: str, values: list[float]) -> bool:
    return any(shows_value(n, v) for n in numbers_in(strip_references(text)) for v in values)


def excerpt(text: str, used: list[MetricFact]) -> str:
    """The passage without its sentences and list items that print mostly figures other than the answered ones
    (each run left out shows as "…"); "" when what is left prints no answered value."""
    values = answered_values(used)
    lines: list[str] = []
    skipped = False
    for line in text.splitlines():
        marker = BULLET.match(line) or _NUMBERED.match(line)
        head, body = (line[:marker.end()], line[marker.end():]) if marker else ("", line)
        words: list[str] = []
        for piece in [p for p in (body[s.start:s.end].strip() for s in sentence_spans(body)) if p] or [body.strip()]:
            if _keeps(piece, values):
                words += (["…"] if skipped and not (head and not words) else []) + [piece]
                skipped = False
            else:
                skipped = True
        if words:
            lines.append((head if lines else "") + " ".join(words))
    if skipped and lines:
        lines[-1] += " …"
    kept = "\n".join(lines)
    return kept if _prints_value(kept, values) else ""


_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
MOSTLY = 0.5  # a sentence stays when at least this share of the figures it prints are answered ones


def _keeps(piece: str, values: list[float]) -> bool:
    """A sentence mostly about the answered values, or one with no figure at all (context), stays."""
    figures = {n for n in numbers_in(strip_references(piece)) if not _YEAR.match(n)}
    if not figures:
        return True
    answered = {n for n in figures if any(shows_value(n, v) for v in values)}
    return len(answered) >= MOSTLY * len(figures)
