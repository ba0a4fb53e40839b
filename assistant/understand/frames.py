"""The question frame: asks, units, indicators and periods, resolved against what the data and documents hold.

What was asked but is not there (a year the tables do not cover, a region outside the data, a person's contact
details) is named in `Frame.missing`, so the answer can say exactly that."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from indexer.analysis import tokenize

from assistant.measure.facts import pick_indicators, ranked_indicators, same_table
from assistant.measure.knowledge import find_terms, load_entities
from assistant.measure.metrics import statistics_frame
from assistant.types import Frame, Hit, Missing, QueryAnalysis
from assistant.understand.asks import combine, cue_asks, load_ask_data
from assistant.understand.cues import frame_cues, has_cue, without_names
from assistant.understand.units import unlisted_department
from assistant.understand.measures import (FIGURE_ASKS, asked_kind_first, count_of_a_share, figures_asked,
                                           hit_sentences, prints_figure, question_parts, ranked_count, share_asked,
                                           share_or_count, subject_words, unmeasured)

WORDS_FIRST = {"definition", "legal"}  # asked what something means or says: no figures unless asked for
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def period_of(question: str, years: tuple[int, ...], data_dir: Path, asks: tuple[str, ...] = ()) -> str:
    """"" (latest) | year | years (several named: each one's value) | range (from one to another) | since |
    after (since, without the year named) | before. Words inside quotes are a name («Народ прежде всего»), not a period."""
    if not years:
        return ""
    periods = frame_cues(data_dir)["periods"]
    question = without_names(question)
    if len(years) >= 2:
        spans = any(has_cue(question, periods[mode]) for mode in ("range", "since", "after", "before"))
        return "range" if spans or "change" in asks else "years"
    for mode in ("before", "after", "since"):
        if has_cue(question, periods[mode]):
            return mode
    return "year"


_BAR = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)%?(?![\w])")  # a number, perhaps a percentage


def asked_threshold(question: str) -> float | None:
    """A bar the question names ("above 1.0", "больше 0,5", "above 1%"), ignoring years."""
    for raw in _BAR.findall(question):
        if not _YEAR.fullmatch(raw):
            return float(raw.replace(",", "."))
    return None


def names_a_bar(question: str, data_dir: Path) -> bool:
    """A number (not a year) right after a comparison word or, in Kazakh, right before one («0,5-тен жоғары»)."""
    words = frame_cues(data_dir)["bar_words"]
    low = " ".join(question.lower().split())
    for match in _BAR.finditer(low):
        if _YEAR.fullmatch(match.group(1)):
            continue
        before, after = low[:match.start()].rstrip(), low[match.end():]
        after = re.sub(r"^[-‑–]?\w{0,4}\s*", "", after, count=1)  # the case ending of «0,5-тен»
        if any(before.endswith(w) for ws in words["before"].values() for w in ws) or \
                any(after.startswith(w) for ws in words["after"].values() for w in ws):
            return True
    return False


def has_change_words(question: str, data_dir: Path) -> bool:
    """The question's own words ask how something changed (the change ask's cues, or a "since"/"before" word)."""
    periods = frame_cues(data_dir)["periods"]
    return "change" in cue_asks(question, load_ask_data(data_dir)) or \
        any(has_cue(question, periods[mode]) for mode in ("since", "after", "before"))


def build_frame(analysis: QueryAnalysis, asks: tuple[str, ...], data_dir: Path, hits: list[Hit]) -> Frame:
    entities = load_entities(data_dir)
    inside = tuple(e for e in analysis.entities if e in entities and not entities[e].outside)
    outside = tuple(e for e in analysis.entities if e in entities and entities[e].outside)
    if "threshold" not in asks and names_a_bar(analysis.question, data_dir):
        asks = combine([*asks, "threshold"], {})  # "how many departments have less than 0.2": a threshold test
    if "change" in asks and len(analysis.years) == 1 and not has_change_words(analysis.question, data_dir):
        asks = tuple(a for a in asks if a != "change") or ("value",)  # one year, no word of change: its value
    wants_figures = bool(FIGURE_ASKS & set(asks)) and asks[0] not in WORDS_FIRST
    yearly = bool(analysis.years) or "change" in asks
    share = share_asked(analysis.question, asks, data_dir)
    asks = share_or_count(asks, share)
    by_part = indicators_by_part(analysis, asks, data_dir, yearly) if wants_figures else []
    indicators = tuple(by_part or (pick_indicators(analysis, data_dir, yearly=yearly) if wants_figures else ()))
    indicators = indicators if by_part else asked_kind_first(indicators, share, data_dir)
    cues = frame_cues(data_dir)
    frame = Frame(asks=asks, entities=inside, outside=outside, indicators=indicators, years=analysis.years,
                  period=period_of(analysis.question, analysis.years, data_dir, asks),
                  low=bool(has_cue(analysis.question, cues["low"])),
                  threshold=asked_threshold(analysis.question) if "threshold" in asks else None,
                  figures_asked=max(figures_asked(analysis.question, data_dir), len(by_part)),
                  top=ranked_count(analysis.question, data_dir) if "rank" in asks else 1)
    missing = missing_parts(frame, analysis, data_dir, hits)
    return Frame(**{**frame.__dict__, "missing": tuple(missing)})


MAX_PARTS = 3


def indicators_by_part(analysis: QueryAnalysis, asks: tuple[str, ...], data_dir: Path, yearly: bool) -> list[str]:
    """One indicator for each part of a question that joins several things asked ("how many employees and
    services…", «қанша бөлімше және қанша басқарма»), in the question's order, of the kind each part asks for
    (a share or a count); [] when fewer than two parts name one. A part that counts a subset of the one before
    ("… and how many of them are electronic", «из них», «оның ішінде») makes that one the whole it is part of:
    an indicator of the same table, when the earlier part matches one."""
    parts = question_parts(analysis.question, data_dir)
    if len(parts) < 2:
        return []
    subs = [replace(analysis, question=part, terms=find_terms(tuple(tokenize(part)), data_dir)) for part in parts]
    chosen: list[str] = []
    for sub in subs:
        found = pick_indicators(sub, data_dir, limit=2, yearly=yearly, context=analysis)
        chosen.append(next(iter(asked_kind_first(tuple(found), share_asked(sub.question, asks, data_dir),
                                                 data_dir)), ""))
    for i in range(1, len(subs)):
        if chosen[i] and chosen[i - 1] and has_cue(parts[i], frame_cues(data_dir)["subset_cues"]):
            chosen[i - 1] = _whole_of(subs[i - 1], chosen[i], chosen[i - 1], analysis, data_dir, yearly)
    picked = list(dict.fromkeys(c for c in chosen if c))
    return picked[:MAX_PARTS] if len(picked) >= 2 else []


def _whole_of(sub: QueryAnalysis, part_indicator: str, current: str, analysis: QueryAnalysis, data_dir: Path,
              yearly: bool) -> str:
    if same_table(current, part_indicator, data_dir):
        return current
    ranked = ranked_indicators(sub, data_dir, yearly, context=analysis)
    return next((iid for _, iid in ranked if iid != part_indicator and same_table(iid, part_indicator, data_dir)),
                current)


def missing_parts(frame: Frame, analysis: QueryAnalysis, data_dir: Path, hits: list[Hit]) -> list[Missing]:
    cues = frame_cues(data_dir)
    missing: list[Missing] = []
    personal = has_cue(analysis.question, cues["personal_data"])
    if personal:
        missing.append(Missing("personal_data", personal.strip()))
    entities = load_entities(data_dir)
    for place in frame.outside:
        missing.append(Missing("region" if entities[place].type == "region" else "city",
                               entities[place].name(analysis.language)))
    uncovered = [y for y in frame.years if y not in covered_years(frame, data_dir, hits, analysis)]
    missing += [Missing("year", str(y)) for y in uncovered]
    missing += [Missing("entity", name) for name in units_without_rows(frame, analysis.language, data_dir)]
    if frame.indicators and (unlisted := unlisted_department(analysis, data_dir)):
        missing.append(Missing("entity", unlisted))
    missing += [Missing("indicator", name) for name in unmeasured(frame, analysis, data_dir, hits)]
    if count_of_a_share(frame, analysis.question, data_dir):
        missing.append(Missing("indicator", cues["count_name"].get(analysis.language, cues["count_name"]["en"])))
    return missing


UNIT_TYPES = {"district", "regional_department", "city_department", "sector"}


def units_without_rows(frame: Frame, lang: str, data_dir: Path) -> list[str]:
    """Units the question names when none of them has a row for the frame's indicators (complaints are given
    for the region only, so "complaints in Taskala district" is not in the data)."""
    entities = load_entities(data_dir)
    named = [e for e in frame.entities if e in entities and entities[e].type in UNIT_TYPES]
    if not named or not frame.indicators:
        return []
    table = statistics_frame(data_dir)
    rows = table[table["indicator"].isin(frame.indicators) & table["entity"].isin(named)]
    return [] if not rows.empty else [entities[e].name(lang) for e in named[:2]]


def covered_years(frame: Frame, data_dir: Path, hits: list[Hit], analysis: QueryAnalysis | None = None) -> set[int]:
    """Years the frame's indicators have rows for (an undated table: the period its note names, unless one year
    is asked — a figure for 2019–2024 is not the figure of 2020); without an indicator, the years named (outside
    author-year references) by retrieved sentences that print a figure and speak of something the question
    names (a 2018 survey rank does not cover a question about 2022 because another sentence gives a 2022 share)."""
    years: set[int] = set()
    if frame.indicators:  # the data's own years, or the period an undated table was printed for
        table = statistics_frame(data_dir)
        rows = table[table["indicator"].isin(frame.indicators)]
        years = {int(y) for y in rows["year"].dropna()}
        undated = rows.loc[rows["year"].isna(), "note"] if frame.period != "year" else []
        texts = [str(note) for note in undated]
    else:
        texts = [_CITATION.sub(" ", s) for s in _figure_sentences(hits, analysis, data_dir, frame)]
    for text in texts:
        years |= {int(y) for y in _YEAR.findall(text)}
        for y1, y2 in (m.groups() for m in _YEAR_RANGE.finditer(text)):
            years |= set(range(int(y1), int(y2) + 1))
    return years


def _figure_sentences(hits: list[Hit], analysis: QueryAnalysis | None, data_dir: Path,
                      frame: Frame) -> list[str]:
    """The retrieved text in sentences; for a figure question only those printing a figure about what it asks."""
    sentences = hit_sentences(hits)
    if analysis is None or frame.primary not in FIGURE_ASKS:  # a law or a brief "of 2024" names its year
        return sentences
    asked = subject_words(analysis.question, data_dir)
    return [s for s in sentences if prints_figure(s) and asked & set(tokenize(s))]


# An author-year reference ("Samarkhanov et al., 2025", "eGov.kz, 2024–2025") dates a source, not the data.
_CITATION = re.compile(r"\([^()]*?(?:et al|\w[.,]?\s*,\s*(?:19|20)\d\d)[^()]*\)")
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[–—-]\s*((?:19|20)\d\d)\b")


GENERIC_PLACES = {"kz", "wkr"}  # named in passing by most questions ("in Kazakhstan", "in the region")


LOCAL_PLACES = {"district", "city"}  # a department or sector named beside another region is that region's


def blocking(frame: Frame, data_dir: Path) -> bool:
    """True when what is missing leaves nothing asked to answer: a person's data, only places outside the data,
    only years the data do not cover, or units the data hold no figure for."""
    kinds = {m.kind for m in frame.missing}
    if kinds & {"personal_data", "entity", "indicator"}:
        return True
    entities = load_entities(data_dir)
    local = [e for e in set(frame.entities) - GENERIC_PLACES if e in entities and entities[e].type in LOCAL_PLACES]
    if frame.outside and not local:
        return True
    missing_years = {int(m.detail) for m in frame.missing if m.kind == "year"}
    return bool(frame.years) and set(frame.years) <= missing_years
