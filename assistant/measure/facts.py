"""Pick the indicators and rows a question is about and turn them into MetricFacts (live from data/)."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from indexer.analysis import tokenize

from assistant.measure import metrics as m
from assistant.measure.knowledge import (Indicator, as_published, different_words, find_terms, frames_spec,
                                        load_entities, load_glossary, load_indicators)
from assistant.measure.metrics import statistics_frame
from assistant.types import Frame, MetricFact, QueryAnalysis

MAX_FACTS = 5
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


def structural_words(data_dir: Path) -> frozenset[str]:
    """Word stems that name a place, a kind of body or a question, never a subject."""
    return _structural(data_dir)[1]


@lru_cache(maxsize=4)
def indicator_words(data_dir: Path) -> frozenset[str]:
    """Word stems of the indicators' labels, in all languages."""
    vocab, _ = _indicator_vocabulary(data_dir)
    return frozenset(w for words in vocab.values() for w in words if ":" not in w)


def domain_terms(analysis: QueryAnalysis, data_dir: Path) -> tuple[str, ...]:
    """Glossary terms of the question that name a subject of the domain, not a place, a kind of body or a
    question word."""
    structural, _ = _structural(data_dir)
    return tuple(t for t in analysis.terms if t not in structural)


def question_vocabulary(analysis: QueryAnalysis, data_dir: Path) -> set[str]:
    """Question words and glossary terms (also as curated indicator terms), minus words that only name a place
    or a kind of body ("district", "department"), which would otherwise pull in structural counts."""
    skip_terms, skip_tokens = _structural(data_dir)
    terms = [t for t in analysis.terms if t not in skip_terms]
    words = {w for w in tokenize(analysis.question) if w not in skip_tokens}
    return words | {f"term:{t}" for t in terms} | {f"curated:{t}" for t in analysis.terms}  # curated: a deliberate link


CONTEXT_WEIGHT = 0.3  # how much the whole question counts when one part of it is matched


def pick_indicators(analysis: QueryAnalysis, data_dir: Path, limit: int = 2, yearly: bool | None = None,
                    context: QueryAnalysis | None = None) -> list[str]:
    """Indicators whose labels and curated terms share the most (IDF-weighted) with the question; when years or
    a change are asked (`yearly`), indicators with a yearly series come first. When `analysis` is one part of a
    longer question (`context`), the whole question breaks ties among the part's matches ("… and how many of
    those are electronic": those of the local executive bodies)."""
    ranked = ranked_indicators(analysis, data_dir, yearly, context)
    if not ranked:
        return []
    top = ranked[0][0]
    return [iid for s, iid in ranked if s >= top * 0.9][:limit]


def ranked_indicators(analysis: QueryAnalysis, data_dir: Path, yearly: bool | None = None,
                      context: QueryAnalysis | None = None) -> list[tuple[float, str]]:
    """(score, indicator) above the floor, best first (see `pick_indicators`)."""
    scores = _ratio_scores(_lexical_scores(analysis, data_dir), analysis.question, data_dir)
    if context is not None:
        whole = _lexical_scores(context, data_dir)
        scores = {iid: s + CONTEXT_WEIGHT * whole[iid] if s > 0 else 0.0 for iid, s in scores.items()}
    if yearly if yearly is not None else bool(analysis.years or TREND_WORDS.search(analysis.question)):
        yearly = _yearly_indicators(data_dir)
        scores = {iid: s + (3.0 if iid in yearly and s > 0 else 0.0) for iid, s in scores.items()}
    weighed = _weigh_by_unit_kind(scores, analysis, data_dir)
    ranked = sorted(((s, iid) for iid, s in weighed.items() if s >= MIN_INDICATOR_SCORE), reverse=True)
    if not ranked and context is None:
        # only an indicator of another kind of unit matches: keep it, so the frame can say the unit is missing
        # (not for a part of a longer question, which is not asked on its own)
        ranked = sorted(((s, iid) for iid, s in scores.items() if s >= MIN_INDICATOR_SCORE), reverse=True)[:1]
    return ranked


def same_table(first: str, second: str, data_dir: Path) -> bool:
    """Two indicators printed in one table (the LEBs' 176 services and the 125 of them that are electronic)."""
    files = _indicator_files(data_dir)
    return bool(files.get(first, frozenset()) & files.get(second, frozenset()))


@lru_cache(maxsize=4)
def _indicator_files(data_dir: Path) -> dict[str, frozenset[str]]:
    table = statistics_frame(data_dir)
    return {iid: frozenset(group["file"].dropna()) for iid, group in table.groupby("indicator")}


def _ratio_scores(scores: dict[str, float], question: str, data_dir: Path) -> dict[str, float]:
    """A ratio asked ("per employee", «на одного работника») with both of a derived indicator's inputs named
    (services and employees): the derived indicator scores at least what its inputs score together."""
    if not asks_ratio(question, data_dir):
        return scores
    out = dict(scores)
    for ind in load_indicators(data_dir).values():
        inputs = m.formula_inputs(ind.formula) if ind.formula else []
        if len(inputs) == 2 and all(scores.get(i, 0.0) > 0 for i in inputs):
            out[ind.id] = max(out.get(ind.id, 0.0), sum(scores[i] for i in inputs))
    return out


def asks_ratio(question: str, data_dir: Path) -> bool:
    low = " ".join(question.lower().split())
    return any(re.search(rf"(?<!\w){re.escape(cue)}", low) for cue in ratio_words(data_dir))


def ratio_words(data_dir: Path) -> tuple[str, ...]:
    return tuple(cue for cues in (frames_spec(data_dir).get("ratio_words") or {}).values() for cue in cues)


UNIT_KIND_MISMATCH = 0.5  # an indicator with no rows for the kind of unit the question names or ranks


def _weigh_by_unit_kind(scores: dict[str, float], analysis: QueryAnalysis, data_dir: Path) -> dict[str, float]:
    """Halve indicators whose table has no rows for the kinds of unit the question is about: a question about
    the region is not answered from the national register, nor one ranking districts from a regional total."""
    entities = load_entities(data_dir)
    asked = asked_entity_types(analysis)
    named = {entities[e].type for e in analysis.entities if e in entities}
    wanted = asked if asked and RANKING_ASKS & set(analysis.asks) else named | asked  # ranked: the kind ranked
    if not wanted:
        return scores
    kinds = _indicator_unit_kinds(data_dir)
    return {iid: s * (UNIT_KIND_MISMATCH if kinds.get(iid) and not kinds[iid] & wanted else 1.0)
            for iid, s in scores.items()}


@lru_cache(maxsize=4)
def _indicator_unit_kinds(data_dir: Path) -> dict[str, frozenset[str]]:
    table = statistics_frame(data_dir)
    return {iid: frozenset(group["entity_type"].dropna()) for iid, group in table.groupby("indicator")}


MAX_STEM_GAP = 5  # a longer word is an inflection of a shorter one, not a compound (услуг ≠ услугодател)


def _lexical_scores(analysis: QueryAnalysis, data_dir: Path) -> dict[str, float]:
    vocab, idf = _indicator_vocabulary(data_dir)
    question = question_vocabulary(analysis, data_dir)
    return {iid: sum(idf[w] for w in _shared(question, words, data_dir)) for iid, words in vocab.items()}


def _shared(question: set[str], words: set[str], data_dir: Path) -> set[str]:
    """Words of the question found in a label; stems that agree on five letters count (ярмарок ~ ярмарк)."""
    shared = question & words
    for word in question - shared:
        if len(word) >= 5 and ":" not in word:
            shared |= {w for w in words if len(w) >= 5 and w[:5] == word[:5]
                       and abs(len(w) - len(word)) <= MAX_STEM_GAP and not different_words(w, word, data_dir)}
    return shared


@lru_cache(maxsize=4)
def _yearly_indicators(data_dir: Path) -> frozenset[str]:
    frame = statistics_frame(data_dir)
    counts = frame.dropna(subset=["year"]).groupby("indicator")["year"].nunique()
    return frozenset(counts[counts >= 2].index)


def _entity_name(entity_id: str, lang: str, data_dir: Path) -> str:
    entity = load_entities(data_dir).get(entity_id)
    return entity.name(lang) if entity else entity_id


def make_fact(row, indicator: Indicator, lang: str, data_dir: Path, kind: str, rows: pd.DataFrame,
          label: str | None = None, value: float | None = None, unit: str | None = None,
          previous: float | None = None) -> MetricFact:
    year = None if pd.isna(row["year"]) else int(row["year"])
    shown = float(row["value"] if value is None else value)
    if kind not in ("change", "trend", "yoy"):
        shown = as_published(shown, row["entity"], row["indicator"], year, data_dir)
    return MetricFact(indicator=row["indicator"], label=label or indicator.label(lang),
                      value=shown, unit=unit or indicator.unit,
                      period=str(year) if year and kind not in ("change", "trend") else m.period_of(rows),
                      entity=row["entity"], entity_name=_entity_name(row["entity"], lang, data_dir),
                      source=m.source_text(rows), kind=kind, year=year, previous=previous,
                      decimals=indicator.decimals)


def facts_for(analysis: QueryAnalysis, data_dir: Path, frame: Frame | None = None) -> list[MetricFact]:
    """MetricFacts that match the frame (indicator × unit × period): values of the units named, else a ranking
    or a threshold test over the kind of unit asked about; a change only when a change is asked."""
    frame = frame or Frame(asks=("value",), entities=analysis.entities, years=analysis.years,
                           indicators=tuple(pick_indicators(analysis, data_dir)))
    if not frame.indicators:
        return []
    indicators = load_indicators(data_dir)
    table = statistics_frame(data_dir)  # recomputed whenever a CSV changes
    facts: list[MetricFact] = []
    scope = asked_entity_types(analysis)
    for iid in frame.indicators:
        rows = m.select(table, iid)
        scoped = rows[rows["entity_type"].isin(scope)] if scope else rows.iloc[0:0]
        named = rows[rows["entity"].isin(frame.entities)]
        series = one_series(named if not named.empty else rows)
        if series is not None and _over_years(frame):  # "in which year was it highest?", "did it ever go above…?"
            facts.extend(_year_facts(_within_period(series, frame), indicators[iid], analysis, frame, data_dir))
        elif not scoped.empty and not _names_unit_of(analysis, scope, data_dir):
            facts.extend(_ranking_facts(scoped, indicators[iid], analysis, frame, data_dir))
        elif not named.empty:
            facts.extend(_entity_facts(named, indicators[iid], analysis, frame, data_dir))
        elif rows["entity"].nunique() > 1:
            facts.extend(_ranking_facts(rows, indicators[iid], analysis, frame, data_dir))
        elif not rows.empty:
            facts.extend(_entity_facts(rows, indicators[iid], analysis, frame, data_dir))
        if facts and frame.primary in RANKING_ASKS:
            break  # one indicator answers a ranking; a second would be "related", not asked
    if frame.period in SPANS:
        return facts  # a bounded period: each change with the value of every year of it, no course cut short
    breaches = [f for f in facts if f.kind == "breach"]  # "how many are above…": all of them, counted
    room = max(MAX_FACTS, frame.top) - len(breaches)
    return breaches + [f for f in facts if f.kind != "breach"][:max(0, room)]


RANKING_ASKS = {"rank", "threshold", "compare"}
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
    if "district" in types and "city" in analysis.terms and not departments:
        types = types | {"city"}  # "districts or the city": Uralsk is a row of the district table
    return types


UNIT_TYPES = {"district", "regional_department", "city_department"}


def _names_unit_of(analysis: QueryAnalysis, scope: set[str], data_dir: Path) -> bool:
    """True when the question names a particular unit (a district, a department, or the city as a row of the
    district table — not when it ranks the city's departments): its own value is wanted."""
    entities = load_entities(data_dir)
    types = UNIT_TYPES | ({"city"} if "city_department" not in scope else set())
    return any(entities[e].type in types for e in analysis.entities if e in entities)


def wanted_rows(group: pd.DataFrame, frame: Frame) -> pd.DataFrame:
    """One entity's rows for the frame's period: the years named, the last year before one, every year of a
    range or of "since" ("after": from the year after), else the latest."""
    yearly = group.dropna(subset=["year"]).sort_values("year")
    if not frame.years or yearly.empty:
        return m.latest(group)
    first = min(frame.years)
    if frame.period == "before":
        return m.latest(yearly[yearly["year"] < first])
    if frame.period in SPANS:
        last = max(frame.years) if frame.period == "range" else int(yearly["year"].max())
        first = first + 1 if frame.period == "after" else first
        return yearly[(yearly["year"] >= first) & (yearly["year"] <= last)]  # the course, year by year
    return yearly[yearly["year"].isin(frame.years)]


def _entity_facts(rows: pd.DataFrame, indicator: Indicator, analysis: QueryAnalysis, frame: Frame,
                  data_dir: Path) -> list[MetricFact]:
    lang = analysis.language
    out = []
    for _, group in rows.groupby("entity", sort=False):
        wanted = wanted_rows(group, frame)
        if wanted.empty:
            continue
        change = _change_fact(group, wanted, indicator, analysis, frame, data_dir)
        if change is not None:
            out.append(change)  # first: what the question asks about a period, before the values it rests on
        for _, row in wanted.iterrows():
            out.append(make_fact(row, indicator, lang, data_dir, "value", group[group.index == row.name]))
    return out


def _change_fact(group: pd.DataFrame, wanted: pd.DataFrame, indicator: Indicator, analysis: QueryAnalysis,
                 frame: Frame, data_dir: Path) -> MetricFact | None:
    """From the first to the last wanted year (or, when a change is asked with no years, the year before the
    latest): a share changes in percentage points, a count by a relative change."""
    yearly = group.dropna(subset=["year"]).sort_values("year")
    if len(wanted) >= 2 and (frame.wants("change") or frame.period in SPANS):
        start, end = wanted.iloc[0], wanted.iloc[-1]
    elif frame.wants("change") and len(yearly) >= 2 and not frame.years:
        start, end = yearly.iloc[-2], yearly.iloc[-1]
    else:
        return None
    if not start["value"] and indicator.unit != "%":
        return None
    both = pd.concat([group[group.index == start.name], group[group.index == end.name]])
    if indicator.unit == "%":
        value, unit = end["value"] - start["value"], "pp"
    else:
        value, unit = (end["value"] - start["value"]) / start["value"], "ratio"
    label = CHANGE_LABEL.get(analysis.language, CHANGE_LABEL["en"]).format(label=indicator.label(analysis.language))
    fact = make_fact(end, indicator, analysis.language, data_dir, "change", both, label=label, value=value, unit=unit,
                 previous=float(start["value"]))
    return replace(fact, inputs=(float(start["value"]), float(end["value"])),
                   period=f"{int(start['year'])}–{int(end['year'])}")


CHANGE_LABEL = {"ru": "{label}: изменение", "kk": "{label}: өзгеріс", "en": "{label}: change"}


def one_series(rows: pd.DataFrame) -> pd.DataFrame | None:
    """The dated rows when they are one unit's yearly series (two years or more), else None."""
    dated = rows.dropna(subset=["year"])
    return dated if dated["entity"].nunique() == 1 and dated["year"].nunique() >= 2 else None


def _over_years(frame: Frame) -> bool:
    """A ranking or a threshold test over one unit's years: no year named, or years that bound a period."""
    return frame.wants("rank", "threshold") and (not frame.years or frame.period in SPANS)


SPANS = ("range", "since", "after")  # periods that bound a stretch of years


def _within_period(series: pd.DataFrame, frame: Frame) -> pd.DataFrame:
    if not frame.years:
        return series
    last = max(frame.years) if frame.period == "range" else int(series["year"].max())
    first = min(frame.years) + (1 if frame.period == "after" else 0)
    return series[(series["year"] >= first) & (series["year"] <= last)]


def _year_facts(series: pd.DataFrame, indicator: Indicator, analysis: QueryAnalysis, frame: Frame,
                data_dir: Path) -> list[MetricFact]:
    """The years past the bar when a threshold is tested, else the years ranked."""
    bar = frame.threshold if frame.threshold is not None else indicator.thresholds.get("low" if frame.low else "high")
    if not frame.wants("threshold") or frame.wants("rank") or bar is None:
        return _year_ranking_facts(series, indicator, analysis, frame, data_dir)
    past = series[series["value"] <= bar] if frame.low else series[series["value"] >= bar]
    kind = "breach" if not past.empty else ("min" if frame.low else "max")
    chosen = past.sort_values("year") if not past.empty else series.sort_values("value", ascending=frame.low).head(1)
    return [replace(make_fact(row, indicator, analysis.language, data_dir, kind, series[series.index == row.name]),
                    threshold=float(bar)) for _, row in chosen.iterrows()]


def _year_ranking_facts(series: pd.DataFrame, indicator: Indicator, analysis: QueryAnalysis, frame: Frame,
                        data_dir: Path) -> list[MetricFact]:
    """The highest (or lowest) year of one unit's series, with its value (the runner-up was not asked, unless the
    question asks for several: "the two years with the most complaints")."""
    ordered = series.sort_values("value", ascending=frame.low, kind="stable")
    kind = "min" if frame.low else "max"
    top = ordered.head(frame.top)
    return [make_fact(row, indicator, analysis.language, data_dir, kind if i == 0 else "rank",
                      series[series.index == row.name]) for i, (_, row) in enumerate(top.iterrows())]


def _ranking_facts(rows: pd.DataFrame, indicator: Indicator, analysis: QueryAnalysis, frame: Frame,
                   data_dir: Path) -> list[MetricFact]:
    lang = analysis.language
    if frame.years and rows["year"].isin(frame.years).any():
        rows = rows[rows["year"].isin(frame.years)]
    ranked = m.ranked(rows, descending=not frame.low)
    if frame.wants("threshold"):
        bar = frame.threshold if frame.threshold is not None else indicator.thresholds.get("low" if frame.low
                                                                                          else "high")
        if bar is not None:
            chosen = ranked[ranked["value"] <= bar] if frame.low else ranked[ranked["value"] >= bar]
            kind = "breach" if not chosen.empty else ("min" if frame.low else "max")
            chosen = chosen if not chosen.empty else ranked.head(1)
            return [replace(make_fact(row, indicator, lang, data_dir, kind, rows[rows.index == row.name]),
                            threshold=float(bar)) for _, row in chosen.iterrows()]  # every unit past the bar
    kind = "min" if frame.low else "max"
    return [make_fact(row, indicator, lang, data_dir, kind if i == 0 else "rank", rows[rows.index == row.name])
            for i, (_, row) in enumerate(ranked.head(max(3, frame.top)).iterrows())]
