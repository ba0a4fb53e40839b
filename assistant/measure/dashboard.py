"""Chart data for the metrics dashboard, from the same live tables the assistant uses (pure pandas, no UI)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from assistant.measure.knowledge import load_entities, load_indicators

from assistant.measure.metrics import statistics_frame

WORKLOAD_LEVELS = {"regional_department": ("regional_department",), "district": ("district", "city"),
                   "city_department": ("city_department",)}
AWARENESS = ("broadcasts_department_media", "elge_qyzmet_broadcasts", "broadcasts_service_providers",
             "service_fairs", "social_media_videos", "people_first_participants", "citizens_advised")


@dataclass(frozen=True)
class ChartData:
    frame: pd.DataFrame  # tidy: one row per mark
    source: str  # the files and the article tables behind the chart
    threshold: float | None = None


def _named(frame: pd.DataFrame, data_dir: Path, lang: str) -> pd.DataFrame:
    entities = load_entities(data_dir)
    indicators = load_indicators(data_dir)
    out = frame.copy()
    out["entity_name"] = [entities[e].name(lang) if e in entities else e for e in out["entity"]]
    out["indicator_label"] = [indicators[i].label(lang) if i in indicators else i for i in out["indicator"]]
    return out


def _source(rows: pd.DataFrame) -> str:
    files = ", ".join(dict.fromkeys(rows["file"]))
    cited = "; ".join(dict.fromkeys(rows["source"]))
    return f"{files} ({cited})"


def _series(data_dir: Path, lang: str, indicators: tuple[str, ...], years: tuple[int, int] | None) -> ChartData:
    frame = statistics_frame(data_dir)
    rows = frame[frame["indicator"].isin(indicators) & frame["year"].notna()]
    if years:
        rows = rows[(rows["year"] >= years[0]) & (rows["year"] <= years[1])]
    rows = _named(rows, data_dir, lang)
    tidy = rows[["year", "indicator", "indicator_label", "value", "unit"]].assign(year=rows["year"].astype(int))
    return ChartData(tidy.reset_index(drop=True), _source(rows) if len(rows) else "")


def service_volumes(data_dir: Path, lang: str, years=None) -> ChartData:
    return _series(data_dir, lang, ("services_provided_total", "services_provided_electronic_is",
                                    "services_provided_paper"), years)


def paper_share(data_dir: Path, lang: str, years=None) -> ChartData:
    return _series(data_dir, lang, ("paper_share",), years)


def complaints_and_rights(data_dir: Path, lang: str, years=None) -> ChartData:
    return _series(data_dir, lang, ("complaints", "rights_restored_share"), years)


def awareness(data_dir: Path, lang: str, years=None) -> ChartData:
    return _series(data_dir, lang, AWARENESS, years)


def workload(data_dir: Path, lang: str, level: str) -> ChartData:
    """Workload coefficient of every unit of one level, with the overload threshold and a flag per unit."""
    frame = statistics_frame(data_dir)
    rows = frame[(frame["indicator"] == "workload_coefficient") & frame["entity_type"].isin(WORKLOAD_LEVELS[level])]
    threshold = float(load_indicators(data_dir)["workload_coefficient"].thresholds.get("high", 1.0))
    rows = _named(rows, data_dir, lang)
    tidy = rows[["entity", "entity_name", "value"]].assign(overloaded=rows["value"] >= threshold)
    return ChartData(tidy.sort_values("value", ascending=False).reset_index(drop=True), _source(rows), threshold)


def violations(data_dir: Path, lang: str) -> ChartData:
    frame = statistics_frame(data_dir)
    rows = _named(frame[frame["indicator"] == "violations_share"], data_dir, lang)
    tidy = rows[["entity", "entity_name", "value"]].sort_values("value", ascending=False).reset_index(drop=True)
    return ChartData(tidy, _source(rows))
