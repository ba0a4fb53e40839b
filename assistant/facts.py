"""Pick the indicators and rows a question is about and turn them into MetricFacts (live from data/)."""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd

from indexer.analysis import tokenize

from . import metrics as m
from .knowledge import Indicator, load_entities, load_glossary, load_indicators, statistics_frame, yoy_labels
from .query import QueryAnalysis

MAX_FACTS = 5
TREND_LABEL = {"ru": "{label}: с {start} года", "kk": "{label}: {start} жылдан бері", "en": "{label}: since {start}"}
MIN_INDICATOR_SCORE = 5.0
TREND_WORDS = re.compile(r"измен|динамик|тренд|trend|chang|өзгер|рост|сниз|сокра|growth|grow|declin|fell|rose|"
                         r"өс|азай|төменде", re.I)
@lru_cache(maxsize=4)
def _label_tokens(data_dir: Path) -> tuple[dict[str, set[str]], dict[str, float]]:
    """Each indicator's label tokens (all languages) and an IDF weight per token: shared words weigh little."""
    indicators = load_indicators(data_dir)
    tokens = {i.id: {t for label in i.labels.values() for t in tokenize(label)} for i in indicators.values()}
    frequency = Counter(t for group in tokens.values() for t in group)
    idf = {t: math.log(len(tokens) / df) for t, df in frequency.items()}
    return tokens, idf


def question_tokens(analysis: QueryAnalysis, data_dir: Path) -> set[str]:
    """The question's tokens plus every form of the glossary terms it contains, in all three languages."""
    words = set(tokenize(analysis.question))
    for term in load_glossary(data_dir):
        if term.id in analysis.terms:
            words.update(t for forms in term.forms.values() for form in forms for t in tokenize(form))
    return words


def pick_indicators(analysis: QueryAnalysis, data_dir: Path, limit: int = 2) -> list[str]:
    tokens, idf = _label_tokens(data_dir)
    question = question_tokens(analysis, data_dir)
    scores = {iid: sum(idf[t] for t in question & label) for iid, label in tokens.items()}
    if TREND_WORDS.search(analysis.question):
        yearly = _yearly_indicators(data_dir)
        scores = {iid: s + (3.0 if iid in yearly and s > 0 else 0.0) for iid, s in scores.items()}
    ranked = sorted(((s, iid) for iid, s in scores.items() if s >= MIN_INDICATOR_SCORE), reverse=True)
    if not ranked:
        return []
    top = ranked[0][0]
    return [iid for s, iid in ranked if s >= top * 0.9][:limit]


@lru_cache(maxsize=4)
def _yearly_indicators(data_dir: Path) -> frozenset[str]:
    frame = statistics_frame(data_dir)
    counts = frame.dropna(subset=["year"]).groupby("indicator")["year"].nunique()
    return frozenset(counts[counts >= 2].index)


def _entity_name(entity_id: str, lang: str, data_dir: Path) -> str:
    entity = load_entities(data_dir).get(entity_id)
    return entity.name(lang) if entity else entity_id


def _fact(row, indicator: Indicator, lang: str, data_dir: Path, kind: str, rows: pd.DataFrame,
          label: str | None = None, value: float | None = None, unit: str | None = None,
          previous: float | None = None) -> m.MetricFact:
    year = None if pd.isna(row["year"]) else int(row["year"])
    return m.MetricFact(indicator=row["indicator"], label=label or indicator.label(lang),
                        value=float(row["value"] if value is None else value), unit=unit or indicator.unit,
                        period=str(year) if year else m.period_of(rows), entity=row["entity"],
                        entity_name=_entity_name(row["entity"], lang, data_dir), source=m.source_text(rows),
                        kind=kind, year=year, previous=previous)


def facts_for(analysis: QueryAnalysis, data_dir: Path) -> list[m.MetricFact]:
    """MetricFacts for the question: values (and year-on-year change) for named entities, else a ranking."""
    indicator_ids = pick_indicators(analysis, data_dir) if analysis.intent != "definition" else []
    if not indicator_ids:
        return []
    indicators = load_indicators(data_dir)
    frame = statistics_frame(data_dir)  # recomputed whenever a CSV changes
    facts: list[m.MetricFact] = []
    for iid in indicator_ids:
        rows = m.select(frame, iid)
        named = rows[rows["entity"].isin(analysis.entities)]
        if not named.empty:
            facts.extend(_entity_facts(named, indicators[iid], analysis, data_dir))
        elif rows["entity"].nunique() > 1:
            facts.extend(_ranking_facts(rows, indicators[iid], analysis, data_dir))
        elif not rows.empty:
            facts.extend(_entity_facts(rows, indicators[iid], analysis, data_dir))
    return facts[:MAX_FACTS]


def _entity_facts(rows: pd.DataFrame, indicator: Indicator, analysis: QueryAnalysis, data_dir: Path):
    lang = analysis.language
    out = []
    for entity, group in rows.groupby("entity", sort=False):
        wanted = group[group["year"].isin(analysis.years)] if analysis.years else m.latest(group)
        if wanted.empty:
            wanted = m.latest(group)
        for _, row in wanted.iterrows():
            earlier = group[group["year"] < row["year"]] if pd.notna(row["year"]) else group.iloc[0:0]
            previous = float(earlier.sort_values("year")["value"].iloc[-1]) if not earlier.empty else None
            out.append(_fact(row, indicator, lang, data_dir, "value", group[group.index == row.name],
                             previous=previous))
            series = m.trend(group)
            if series and TREND_WORDS.search(analysis.question) and not analysis.years:
                label = TREND_LABEL.get(lang, TREND_LABEL["en"]).format(label=indicator.label(lang),
                                                                       start=series["first_year"])
                out.append(_fact(row, indicator, lang, data_dir, "trend", group, label=label,
                                 value=series["last"], previous=series["first"]))
            if previous:
                change = (row["value"] - previous) / previous
                label = yoy_labels(data_dir).get(lang, "{label}").format(label=indicator.label(lang))
                both = pd.concat([earlier.sort_values("year").tail(1), group[group.index == row.name]])
                out.append(_fact(row, indicator, lang, data_dir, "yoy", both, label=label, value=change,
                                 unit="ratio", previous=previous))
    return out


def _ranking_facts(rows: pd.DataFrame, indicator: Indicator, analysis: QueryAnalysis, data_dir: Path):
    lang = analysis.language
    if analysis.years:
        rows = rows[rows["year"].isin(analysis.years)] if rows["year"].isin(analysis.years).any() else rows
    high = indicator.thresholds.get("high")
    ranked = m.ranked(rows)
    chosen = ranked[ranked["value"] >= high] if high is not None else ranked.head(3)
    if chosen.empty:
        chosen = ranked.head(3)
    kind = "breach" if high is not None and (chosen["value"] >= high).all() else "rank"
    return [_fact(row, indicator, lang, data_dir, kind, rows[rows.index == row.name])
            for _, row in chosen.head(MAX_FACTS).iterrows()]
