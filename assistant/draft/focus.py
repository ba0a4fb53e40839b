"""Keep an answer on what was asked: the figure line that leads when no table answers the question, and, when one
data row settles a one-figure question, passages that add no other figure.

A passage that repeats other years' or other units' values beside the answered one ("9 in 2021, 44 in 2022, 46 in
2023 and 71 in 2024") corroborates the answer but also puts figures before the reader that were not asked for; it
is cited on the first line instead of being quoted.
"""
from __future__ import annotations

import re

from indexer.analysis import tokenize

from assistant.draft.passages import Unit, score_block
from assistant.draft.traceability import numbers_in, shows_value
from assistant.types import Frame, MetricFact, QueryAnalysis
from assistant.understand.measures import prints_figure, strip_references

ONE_FIGURE_ASKS = {"value", "share"}
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


def settles(frame: Frame, used: list[MetricFact]) -> bool:
    """One figure asked (a value or a share of one unit and at most one year) and one data row giving it."""
    return (len(used) == 1 and frame.figures_asked <= 1 and set(frame.asks) <= ONE_FIGURE_ASKS and len(frame.years) <= 1
            and used[0].kind == "value")


def other_figures(text: str, fact: MetricFact) -> set[str]:
    """Figures a passage prints besides the answered value (years and source references aside)."""
    found = numbers_in(strip_references(text))
    return {n for n in found if not _YEAR.match(n) and not shows_value(n, fact.value)}


def split_settled(units: list[Unit], fact: MetricFact) -> tuple[list[Unit], list[Unit]]:
    """(quoted, corroborating): passages with no other figure are quoted; those that also print the answered
    value among others are cited on the first line; the rest say nothing about the asked figure and are left.
    When no passage repeats the value and the best one prints others, the row may answer a neighbouring
    indicator, so every passage is quoted as usual."""
    quoted, corroborating = [], []
    for unit in units:
        others = other_figures(unit.text, fact)
        if not others:
            quoted.append(unit)
        elif any(shows_value(n, fact.value) for n in numbers_in(strip_references(unit.text))):
            corroborating.append(unit)
    if units and not corroborating and other_figures(units[0].text, fact):
        return units, []  # the best passage prints other figures and none repeats ours: not settled after all
    return quoted, corroborating
