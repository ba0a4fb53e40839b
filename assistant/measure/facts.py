"""Pick the indicators and rows a question is about and turn them into MetricFacts (live from data/)."""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd

from indexer.analysis import tokenize

from assistant.measure import metrics as m
from assistant.measure.knowledge import (Indicator, find_terms, load_entities, load_glossary, load_indicators,
                                        yoy_labels)
from assistant.measure.metrics import statistics_frame
from assistant.types import MetricFact, QueryAnalysis

MAX_FACTS = 5
BEFORE_WORDS = re.compile(r"\bbefore\b|\bдо\s+(20\d\d|того|расширен)|\bпрежде\b|дейін|бұрын", re.I)
LOW_WORDS = re.compile(r"наимен|меньш|низк|минимал|lowest|least|fewest|smallest|minimum|ең аз|ең төмен|аз жүкт|"
                       r"недогруж|under-?load|spare capacity|резерв", re.I)
TREND_LABEL = {"ru": "{label}: с {start} года", "kk": "{label}: {start} жылдан бері", "en": "{label}: since {start}"}
MIN_INDICATOR_SCORE = 3.5
TREND_WORDS = re.compile(r"измен|динамик|тренд|trend|chang|өзгер|рост|сниз|сокра|growth|grow|declin|fell|rose|"
                         r"өс|азай|төменде|fewer|than (it|they) used to|than before|раньше|бұрынғы|увелич|выросл|"
                         r"уменьш|momentum", re.I)
@lru_cache(maxsize=4)
def _indicator_vocabulary(data_dir: Path) -> tuple[dict[str, set[str]], dict[str, float]]:
    """Each indicator's label words and glossary terms (all languages), and an IDF weight per word or term:
    what many labels share ("services", "number") weighs little, what one label owns ("complaints") a lot."""
    indicators = load_indicators(data_dir)
    vocab = {}
    for ind in indicators.values():
        text = " ".join(ind.labels.values())
        tokens = tuple(tokenize(text))
        found = set(find_terms(tokens, data_dir))
        vocab[ind.id] = set(tokens) | {f"term:{t}" for t in found} | {f"curated:{t}" for t in ind.terms}
    frequency = Counter(w for words in vocab.values() for w in words)
    idf = {w: math.log(len(vocab) / df) for w, df in frequency.items()}
    return vocab, idf


STRUCTURAL_GROUPS = {"territory", "bodies", "questions"}  # say where or who is asked about, not which indicator


@lru_cache(maxsize=4)
def _structural(data_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    terms = [t for t in load_glossary(data_dir) if t.group in STRUCTURAL_GROUPS]
    tokens = {tok for t in terms for forms in t.forms.values() for form in forms for tok in tokenize(form)}
    return frozenset(t.id for t in terms), frozenset(tokens)


def question_vocabulary(analysis: QueryAnalysis, data_dir: Path) -> set[str]:
    """Question words and glossary terms (also as curated indicator terms), minus words that only name a place
    or a kind of body ("district", "department"), which would otherwise pull in structural counts."""
    skip_terms, skip_tokens = _structural(data_dir)
    terms = [t for t in analysis.terms if t not in skip_terms]
    words = {w for w in tokenize(analysis.question) if w not in skip_tokens}
    return words | {f"term:{t}" for t in terms} | {f"curated:{t}" for t in terms}


def pick_indicators(analysis: QueryAnalysis, data_dir: Path, limit: int = 2) -> list[str]:
    vocab, idf = _indicator_vocabulary(data_dir)
    question = question_vocabulary(analysis, data_dir)
    scores = {iid: sum(idf[w] for w in _shared(question, words)) for iid, words in vocab.items()}
    if analysis.years or TREND_WORDS.search(analysis.question):  # years or change asked: yearly series first
        yearly = _yearly_indicators(data_dir)
        scores = {iid: s + (3.0 if iid in yearly and s > 0 else 0.0) for iid, s in scores.items()}
    ranked = sorted(((s, iid) for iid, s in scores.items() if s >= MIN_INDICATOR_SCORE), reverse=True)
    if not ranked:
        return []
    top = ranked[0][0]
    return [iid for s, iid in ranked if s >= top * 0.9][:limit]


def _shared(question: set[str], words: set[str]) -> set[str]:
    """Words of the question found in a label; stems that agree on five letters count (ярмарок ~ ярмарк)."""
    shared = question & words
    for word in question - shared:
        if len(word) >= 5 and ":" not in word:
            shared |= {w for w in words if len(w) >= 5 and w[:5] == word[:5]}
    return shared


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
          previous: float | None = None) -> MetricFact:
    year = None if pd.isna(row["year"]) else int(row["year"])
    return MetricFact(indicator=row["indicator"], label=label or indicator.label(lang),
                        value=float(row["value"] if value is None else value), unit=unit or indicator.unit,
                        period=str(year) if year else m.period_of(rows), entity=row["entity"],
                        entity_name=_entity_name(row["entity"], lang, data_dir), source=m.source_text(rows),
                        kind=kind, year=year, previous=previous)


def facts_for(analysis: QueryAnalysis, data_dir: Path) -> list[MetricFact]:
    """MetricFacts for the question: values (and year-on-year change) for named entities, else a ranking."""
    indicator_ids = pick_indicators(analysis, data_dir) if analysis.intent != "definition" else []
    if not indicator_ids:
        return []
    indicators = load_indicators(data_dir)
    frame = statistics_frame(data_dir)  # recomputed whenever a CSV changes
    facts: list[MetricFact] = []
    scope = asked_entity_types(analysis)
    for iid in indicator_ids:
        rows = m.select(frame, iid)
        scoped = rows[rows["entity_type"].isin(scope)] if scope else rows.iloc[0:0]
        if not scoped.empty and not _names_unit_of(analysis, data_dir):
            facts.extend(_ranking_facts(scoped, indicators[iid], analysis, data_dir))
            continue
        named = rows[rows["entity"].isin(analysis.entities)]
        if not named.empty:
            facts.extend(_entity_facts(named, indicators[iid], analysis, data_dir))
        elif rows["entity"].nunique() > 1:
            facts.extend(_ranking_facts(rows, indicators[iid], analysis, data_dir))
        elif not rows.empty:
            facts.extend(_entity_facts(rows, indicators[iid], analysis, data_dir))
    return facts[:MAX_FACTS]


TYPE_TERMS = {"district": {"district"}, "district_akimat": {"district"},
              "regional_department": {"regional_department", "city_department"},
              "city_department": {"city_department"}}
REGIONAL_CUES = re.compile(r"област|облыс|regional|region's", re.I)


def asked_entity_types(analysis: QueryAnalysis) -> set[str]:
    """Kinds of unit a question ranks ("which districts…", "departments in Uralsk", "regional departments")."""
    types = set().union(*(TYPE_TERMS[t] for t in analysis.terms if t in TYPE_TERMS)) if analysis.terms else set()
    departments = types & {"regional_department", "city_department"}
    if departments and "uralsk" in analysis.entities:
        types = (types - {"regional_department"}) | {"city_department"}
    elif departments and REGIONAL_CUES.search(analysis.question):
        types = (types - {"city_department"}) | {"regional_department"}
    return types


UNIT_TYPES = {"district", "regional_department", "city_department"}


def _names_unit_of(analysis: QueryAnalysis, data_dir: Path) -> bool:
    """True when the question names a particular unit (a district or a department): its own value is wanted."""
    entities = load_entities(data_dir)
    return any(entities[e].type in UNIT_TYPES for e in analysis.entities if e in entities)


def _entity_facts(rows: pd.DataFrame, indicator: Indicator, analysis: QueryAnalysis, data_dir: Path):
    lang = analysis.language
    out = []
    for entity, group in rows.groupby("entity", sort=False):
        wanted = group[group["year"].isin(analysis.years)] if analysis.years else m.latest(group)
        if analysis.years and BEFORE_WORDS.search(analysis.question):  # "before 2022": the last year before it
            wanted = m.latest(group[group["year"] < min(analysis.years)])
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
    low_wanted = bool(LOW_WORDS.search(analysis.question))
    threshold = indicator.thresholds.get("low" if low_wanted else "high")
    ranked = m.ranked(rows, descending=not low_wanted)
    if threshold is None:
        chosen = ranked.head(3)
    else:
        chosen = ranked[ranked["value"] < threshold] if low_wanted else ranked[ranked["value"] >= threshold]
    if chosen.empty:
        chosen = ranked.head(3)
    kind = "breach" if threshold is not None and not low_wanted and (chosen["value"] >= threshold).all() else "rank"
    return [_fact(row, indicator, lang, data_dir, kind, rows[rows.index == row.name])
            for _, row in chosen.head(MAX_FACTS).iterrows()]
