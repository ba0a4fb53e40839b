"""The question frame: asks, units, indicators and periods, resolved against what the data and documents hold.

What was asked but is not there (a year the tables do not cover, a region outside the data, a person's contact
details) is named in `Frame.missing`, so the answer can say exactly that."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.measure.facts import pick_indicators
from assistant.measure.knowledge import load_entities, load_indicators
from assistant.measure.metrics import formula_inputs, statistics_frame
from assistant.types import Frame, Hit, Missing, QueryAnalysis

FIGURE_ASKS = {"value", "compare", "rank", "threshold", "change", "share"}
WORDS_FIRST = {"definition", "legal"}  # asked what something means or says: no figures unless asked for
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@lru_cache(maxsize=4)
def frame_cues(data_dir: Path) -> dict:
    return yaml.safe_load((Path(data_dir) / "frames.yaml").read_text(encoding="utf-8"))


def _has_cue(question: str, cues_by_lang: dict) -> str:
    low = " ".join(question.lower().split())
    return next((cue for cues in cues_by_lang.values() for cue in cues if cue in low), "")


def period_of(question: str, years: tuple[int, ...], data_dir: Path) -> str:
    if not years:
        return ""
    if len(years) >= 2:
        return "range"
    periods = frame_cues(data_dir)["periods"]
    for mode in ("before", "since"):
        if _has_cue(question, periods[mode]):
            return mode
    return "year"


_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)(?![\w%])")


def figures_asked(question: str, data_dir: Path) -> int:
    """How many quantity cues the question holds ("сколько сотрудников … и сколько услуг" asks two figures)."""
    low = " ".join(question.lower().split())
    spans = {m.start() for cues in frame_cues(data_dir)["quantity"].values() for cue in cues
             for m in re.finditer(re.escape(cue), low)}
    return len(spans)


def asked_threshold(question: str) -> float | None:
    """A bar the question names ("above 1.0", "больше 0,5"), ignoring years."""
    for raw in _NUMBER.findall(question):
        if not _YEAR.fullmatch(raw):
            return float(raw.replace(",", "."))
    return None


def build_frame(analysis: QueryAnalysis, asks: tuple[str, ...], data_dir: Path, hits: list[Hit]) -> Frame:
    entities = load_entities(data_dir)
    inside = tuple(e for e in analysis.entities if e in entities and not entities[e].outside)
    outside = tuple(e for e in analysis.entities if e in entities and entities[e].outside)
    wants_figures = bool(FIGURE_ASKS & set(asks)) and asks[0] not in WORDS_FIRST
    yearly = bool(analysis.years) or "change" in asks
    share = share_asked(analysis.question, asks, data_dir)
    asks = _share_or_count(asks, share)
    indicators = tuple(pick_indicators(analysis, data_dir, yearly=yearly)) if wants_figures else ()
    indicators = asked_kind_first(indicators, share, data_dir)
    cues = frame_cues(data_dir)
    frame = Frame(asks=asks, entities=inside, outside=outside, indicators=indicators, years=analysis.years,
                  period=period_of(analysis.question, analysis.years, data_dir),
                  low=bool(_has_cue(analysis.question, cues["low"])),
                  threshold=asked_threshold(analysis.question) if "threshold" in asks else None,
                  figures_asked=figures_asked(analysis.question, data_dir))
    missing = missing_parts(frame, analysis, data_dir, hits)
    return Frame(**{**frame.__dict__, "missing": tuple(missing)})


def share_asked(question: str, asks: tuple[str, ...], data_dir: Path) -> bool:
    """A share is asked: the share ask, or a share cue ("what percentage"); a count cue without one asks a number."""
    cues = frame_cues(data_dir)
    if _has_cue(question, cues["share"]):
        return True
    return "share" in asks and not _has_cue(question, cues["count"])


def _share_or_count(asks: tuple[str, ...], share: bool) -> tuple[str, ...]:
    """A share ask where a count was asked ("сколько услуг…") becomes a value ask, and a share cue adds one."""
    if share and "share" not in asks and FIGURE_ASKS & set(asks):
        return (*asks, "share")
    if not share and "share" in asks:
        return tuple(dict.fromkeys("value" if a == "share" else a for a in asks))
    return asks


def asked_kind_first(indicators: tuple[str, ...], share: bool, data_dir: Path) -> tuple[str, ...]:
    """A share and the count it is computed from answer one matter: the kind asked for leads, its sibling
    follows (a count picked for "what share…" brings its share first, and the other way round)."""
    catalogue = load_indicators(data_dir)
    ordered: list[str] = []
    for iid in indicators:
        sibling = _sibling(iid, catalogue)
        is_share = iid in catalogue and catalogue[iid].unit == "%"
        pair = [iid, sibling] if sibling and is_share == share else [sibling, iid] if sibling else [iid]
        ordered += [p for p in pair if p not in ordered]
    return tuple(ordered[:max(2, len(indicators))])


def _sibling(iid: str, catalogue: dict) -> str:
    """The share computed from a count (its numerator), or the count a share is computed from."""
    indicator = catalogue.get(iid)
    if indicator is None:
        return ""
    if indicator.unit == "%" and indicator.formula:
        inputs = formula_inputs(indicator.formula)
        return inputs[0] if inputs and inputs[0] in catalogue else ""
    return next((other.id for other in catalogue.values() if other.unit == "%" and other.formula
                 and formula_inputs(other.formula)[:1] == [iid]), "")


def missing_parts(frame: Frame, analysis: QueryAnalysis, data_dir: Path, hits: list[Hit]) -> list[Missing]:
    cues = frame_cues(data_dir)
    missing: list[Missing] = []
    personal = _has_cue(analysis.question, cues["personal_data"])
    if personal:
        missing.append(Missing("personal_data", personal.strip()))
    entities = load_entities(data_dir)
    for place in frame.outside:
        missing.append(Missing("region" if entities[place].type == "region" else "city",
                               entities[place].name(analysis.language)))
    uncovered = [y for y in frame.years if y not in covered_years(frame, data_dir, hits)]
    missing += [Missing("year", str(y)) for y in uncovered]
    missing += [Missing("entity", name) for name in units_without_rows(frame, analysis.language, data_dir)]
    missing += [Missing("indicator", name) for name in unmeasured(frame, analysis, data_dir, hits)]
    if count_of_a_share(frame, analysis.question, data_dir):
        missing.append(Missing("indicator", cues["count_name"].get(analysis.language, cues["count_name"]["en"])))
    return missing


def count_of_a_share(frame: Frame, question: str, data_dir: Path) -> bool:
    """A number asked ("how many violations…") where the data give only a share: the leading indicator is still
    a percentage after the asked kind was put first, so no count exists to answer with."""
    cues = frame_cues(data_dir)
    if not frame.indicators or not set(frame.asks) <= {"value", "list"} or _has_cue(question, cues["share"]):
        return False
    catalogue = load_indicators(data_dir)
    lead = catalogue.get(frame.indicators[0])
    low = question.lower()
    counted = any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", low) for cs in cues["count"].values() for c in cs)
    return counted and lead is not None and lead.unit == "%"  # whole words: «қаншалықты» (how far) asks no count


ACTION_ASKS = ("what_to_do", "swot", "pest", "brief", "why", "legal")


def unmeasured(frame: Frame, analysis: QueryAnalysis, data_dir: Path, hits: list[Hit]) -> list[str]:
    """Quantities a figure question asks for (a salary, a budget, a waiting time…) that neither a picked indicator
    nor a retrieved sentence printing a figure speaks of: the documents give no such figure."""
    cues = frame_cues(data_dir)
    if frame.wants(*ACTION_ASKS) or not _has_cue(analysis.question, cues["quantity"]):
        return []
    named = [m for m in cues["measures"].values() if _names(analysis.question.lower(), m["cues"])]
    if not named:
        return []
    evidence = _figure_evidence(frame, hits, data_dir)
    return [m["name"].get(analysis.language, m["name"]["en"]) for m in named if not _names(evidence, m["cues"])]


def _names(text: str, stems: list[str]) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(stem), text) for stem in stems)


def _figure_evidence(frame: Frame, hits: list[Hit], data_dir: Path) -> str:
    """The picked indicators' labels (all languages) and the retrieved sentences that print a figure."""
    catalogue = load_indicators(data_dir)
    labels = [label for iid in frame.indicators if iid in catalogue for label in catalogue[iid].labels.values()]
    sentences = [s for h in hits for s in re.split(r"(?<=[.!?;:])\s+|\n", h.chunk.text) if prints_figure(s)]
    return " ".join(labels + sentences).lower()


# What looks like a figure but is not one: a source reference, a list or paragraph number, a year.
_REFERENCE = re.compile(r"\([^()]*\b(?:et al|table|таблиц|кесте|diagram|диаграмм|раздел|section|бөлім)[^()]*\)",
                        re.I)
_ENUMERATION = re.compile(r"^\s*[-*•]?\s*\d+(?:-\d+)?[.)]\s")


def strip_references(text: str) -> str:
    """The text without its source references («(Samarkhanov et al., 2025, Table 5)») and list numbers."""
    return "\n".join(_ENUMERATION.sub(" ", line) for line in _REFERENCE.sub(" ", text).splitlines())


def prints_figure(sentence: str) -> bool:
    return bool(re.search(r"\d", _YEAR.sub(" ", strip_references(sentence))))


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


def covered_years(frame: Frame, data_dir: Path, hits: list[Hit]) -> set[int]:
    """Years the frame's indicators have rows for (an undated table: the period its note names, unless one year
    is asked — a figure for 2019–2024 is not the figure of 2020); without an indicator, the years the retrieved
    passages name outside their author-year references."""
    years: set[int] = set()
    if frame.indicators:  # the data's own years, or the period an undated table was printed for
        table = statistics_frame(data_dir)
        rows = table[table["indicator"].isin(frame.indicators)]
        years = {int(y) for y in rows["year"].dropna()}
        undated = rows.loc[rows["year"].isna(), "note"] if frame.period != "year" else []
        texts = [str(note) for note in undated]
    else:
        texts = [_CITATION.sub(" ", h.chunk.text) for h in hits]
    for text in texts:
        years |= {int(y) for y in _YEAR.findall(text)}
        for y1, y2 in (m.groups() for m in _YEAR_RANGE.finditer(text)):
            years |= set(range(int(y1), int(y2) + 1))
    return years


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
