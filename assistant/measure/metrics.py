"""Pure pandas functions over the long-format statistics: derived indicators, changes, trends, ranks, breaches.

Every MetricFact carries its source: the CSV file, the row numbers it was computed from, and the article table.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from assistant.measure.knowledge import Indicator, load_indicators, load_tables, tables_signature

YOY_SUFFIX = "_yoy_change"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def formula_inputs(formula: str) -> list[str]:
    return [name for name in _IDENT.findall(formula) if not name.replace("_", "").isdigit()]


def derive(frame: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """Rows of a derived indicator, computed per (entity, year) from the raw rows its formula names."""
    inputs = formula_inputs(indicator.formula)
    raw = frame[frame["indicator"].isin(inputs)]
    if raw.empty:
        return frame.iloc[0:0]
    keyed = raw.assign(year_key=raw["year"].fillna(-1).astype(int))
    values = keyed.pivot_table(index=["entity", "year_key"], columns="indicator", values="value", aggfunc="first")
    if any(name not in values.columns for name in inputs):
        return frame.iloc[0:0]
    values = values.dropna(subset=inputs)
    computed = values.eval(indicator.formula)
    meta = keyed.groupby(["entity", "year_key"]).agg(
        entity_type=("entity_type", "first"), parent=("parent", "first"), file=("file", "first"),
        rows=("row", lambda r: tuple(sorted(r))), source=("source", "first"), note=("note", "first"))
    out = meta.join(computed.rename("value"), how="inner").reset_index()
    out["indicator"] = indicator.id
    out["unit"] = indicator.unit
    out["year"] = pd.array([None if y == -1 else int(y) for y in out["year_key"]], dtype="Int64")
    return out.drop(columns=["year_key"])


def with_derived(frame: pd.DataFrame, indicators: dict[str, Indicator]) -> pd.DataFrame:
    """The raw rows plus every derived indicator's rows (raw rows get a one-row `rows` tuple)."""
    base = frame.assign(rows=[(int(r),) for r in frame["row"]])
    parts = [base] + [derive(frame, ind) for ind in indicators.values() if ind.kind == "derived" and ind.formula]
    return pd.concat([p for p in parts if not p.empty], ignore_index=True)


def source_text(rows: pd.DataFrame) -> str:
    """'tables/x.csv rows 4, 5 (Samarkhanov et al. 2025, Table 1)' for the rows a fact rests on."""
    parts = []
    for file, group in rows.groupby("file", sort=False):
        numbers = sorted({n for tup in group["rows"] for n in tup})
        parts.append(f"{file} row{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}")
    cited = "; ".join(dict.fromkeys(rows["source"]))
    return f"{'; '.join(parts)} ({cited})"


def period_of(rows: pd.DataFrame) -> str:
    years = sorted({int(y) for y in rows["year"].dropna()})
    if not years:
        note = " ".join(rows["note"].astype(str))
        match = re.search(r"(20\d\d)\s*[–-]\s*(20\d\d)", note)
        return f"{match.group(1)}–{match.group(2)}" if match else ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def select(frame: pd.DataFrame, indicator: str, entities: list[str] | None = None,
           entity_types: list[str] | None = None, years: list[int] | None = None) -> pd.DataFrame:
    rows = frame[frame["indicator"] == indicator]
    if entities:
        rows = rows[rows["entity"].isin(entities)]
    if entity_types:
        rows = rows[rows["entity_type"].isin(entity_types)]
    if years:
        rows = rows[rows["year"].isin(years)]
    return rows


def latest(rows: pd.DataFrame) -> pd.DataFrame:
    """For each entity, its row of the latest year (rows without a year count as the only value)."""
    if rows.empty:
        return rows
    ordered = rows.assign(_y=rows["year"].fillna(-1).astype(int)).sort_values(["entity", "_y"])
    return ordered.groupby("entity", sort=False).tail(1).drop(columns=["_y"])


def yoy_change(rows: pd.DataFrame) -> tuple[float, pd.Series, pd.Series] | None:
    """(fractional change, latest row, previous row) for one entity's yearly rows; None without two years."""
    yearly = rows.dropna(subset=["year"]).sort_values("year")
    if len(yearly) < 2:
        return None
    last, prev = yearly.iloc[-1], yearly.iloc[-2]
    if prev["value"] == 0:
        return None
    return (last["value"] - prev["value"]) / prev["value"], last, prev


def trend(rows: pd.DataFrame) -> dict | None:
    """Direction of one entity's yearly series: first and last value, total change, least-squares slope."""
    yearly = rows.dropna(subset=["year"]).sort_values("year")
    if len(yearly) < 3:
        return None
    years = yearly["year"].astype(float)
    values = yearly["value"].astype(float)
    slope = float(((years - years.mean()) * (values - values.mean())).sum() / ((years - years.mean()) ** 2).sum())
    first, last = float(values.iloc[0]), float(values.iloc[-1])
    return {"first_year": int(years.iloc[0]), "last_year": int(years.iloc[-1]), "first": first, "last": last,
            "change": (last - first) / first if first else math.nan, "slope": slope,
            "direction": "up" if slope > 0 else "down" if slope < 0 else "flat"}


def ranked(rows: pd.DataFrame, descending: bool = True) -> pd.DataFrame:
    """Latest value per entity, best first, with a 1-based rank column."""
    best = latest(rows).sort_values("value", ascending=not descending, kind="stable")
    return best.assign(rank=range(1, len(best) + 1))


def breaches(rows: pd.DataFrame, op: str, threshold: float) -> pd.DataFrame:
    """Latest rows whose value satisfies `value <op> threshold`."""
    current = latest(rows)
    return current[compare(current["value"], op, threshold)]


def compare(values, op: str, threshold: float):
    ops = {">": values > threshold, ">=": values >= threshold, "<": values < threshold, "<=": values <= threshold}
    if op not in ops:
        raise ValueError(f"unknown comparison {op!r}; use one of > >= < <=")
    return ops[op]


def yoy_frame(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """`<indicator>_yoy_change` rows, one per entity with two yearly values (latest year against the one before)."""
    rows = []
    for entity, group in select(frame, indicator).groupby("entity"):
        change = yoy_change(group)
        if change is None:
            continue
        value, last, prev = change
        rows.append({**last.to_dict(), "indicator": indicator + YOY_SUFFIX, "value": value, "unit": "ratio",
                     "rows": tuple(sorted(set(last["rows"]) | set(prev["rows"]))), "previous": prev["value"]})
    return pd.DataFrame(rows)


def indicator_rows(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Rows of any indicator id, including computed `<id>_yoy_change` ones."""
    if indicator.endswith(YOY_SUFFIX):
        return yoy_frame(frame, indicator[: -len(YOY_SUFFIX)])
    return select(frame, indicator)


def statistics_frame(data_dir: Path):
    """Raw rows plus derived indicators, recomputed only when a table file changes (so edits count at once)."""
    return _statistics_frame(Path(data_dir), tables_signature(data_dir))


@lru_cache(maxsize=4)
def _statistics_frame(data_dir: Path, signature: tuple):
    tables, _ = load_tables(data_dir)
    return with_derived(tables, load_indicators(data_dir))
