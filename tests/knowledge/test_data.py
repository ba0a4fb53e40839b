"""data/: every row sourced, every derived figure recomputed, gazetteer and glossary complete."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from assistant.measure.knowledge import TABLE_COLUMNS, load_entities, load_glossary, load_indicators, load_published, \
    load_tables
from assistant.measure.metrics import derive, formula_inputs

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def tables():
    frame, problems = load_tables(DATA)
    assert problems == []
    return frame


def test_tables_have_the_tidy_header():
    for path in sorted((DATA / "tables").glob("*.csv")):
        assert pd.read_csv(path, nrows=0).columns.tolist() == TABLE_COLUMNS, path.name


def test_every_row_has_a_source_and_known_ids(tables):
    indicators = load_indicators(DATA)
    entities = load_entities(DATA)
    assert (tables["source"].str.strip() != "").all()
    assert tables["source"].str.contains("Samarkhanov et al. 2025").all()
    assert set(tables["indicator"]) <= set(indicators)
    assert set(tables["entity"]) <= set(entities)
    for _, row in tables.iterrows():
        assert pd.notna(row["year"]) or row["note"].strip(), f"{row['file']} row {row['row']}: no year and no note"


def test_indicator_definitions_are_complete():
    indicators = load_indicators(DATA)
    for ind in indicators.values():
        assert set(ind.labels) >= {"ru", "kk", "en"}, ind.id
        assert ind.unit and ind.source, ind.id
        if ind.kind == "derived":
            assert ind.formula and set(formula_inputs(ind.formula)) <= set(indicators), ind.id
    assert indicators["workload_coefficient"].thresholds["high"] == 1.0


def test_raw_counts_match_the_article(tables):
    def value(entity, indicator, year=None):
        rows = tables[(tables.entity == entity) & (tables.indicator == indicator)]
        if year is not None:
            rows = rows[rows.year == year]
        assert len(rows) == 1, (entity, indicator, year)
        return float(rows.value.iloc[0])
    assert value("ud_land_relations", "employees") == 7 and value("ud_land_relations", "services_count") == 12
    assert value("zhangala", "employees") == 93 and value("zhangala", "services_count") == 62
    assert value("wkr", "services_provided_total", 2024) == 4018049
    assert value("wkr", "services_provided_paper", 2019) == 456682
    assert value("wkr", "complaints", 2024) == 71 and value("wkr", "people_first_participants", 2022) == 233
    assert value("kz", "register_services_total") == 1360


def recomputed_differences(tables) -> pd.DataFrame:
    """Every published ratio against the one recomputed from raw counts, rounded as published."""
    indicators = load_indicators(DATA)
    published = load_published(DATA)
    derived = pd.concat([derive(tables, ind) for ind in indicators.values() if ind.kind == "derived"])
    merged = published.merge(derived[["entity", "indicator", "year", "value"]],
                             on=["entity", "indicator", "year"], how="left")
    decimals = merged["published_value"].map(lambda v: len(f"{v}".split(".")[1]) if "." in f"{v}" else 0)
    merged["recomputed"] = [round(v, max(d, 1)) for v, d in zip(merged["value"], decimals)]
    merged["difference"] = (merged["recomputed"] - merged["published_value"]).round(4)
    return merged


def test_every_derived_figure_is_recomputed(tables):
    merged = recomputed_differences(tables)
    assert merged["value"].notna().all(), "a published value has no raw counts to recompute it from"
    assert len(merged) >= 45
    off = merged[merged["difference"].abs() > 0]
    listed = {(r.entity, r.indicator, None if pd.isna(r.year) else int(r.year)) for r in off.itertuples()}
    # The article's known slips (documented in data/README.md): reported, not hidden.
    assert listed == {("wkr", "electronic_is_share", 2020), ("kz", "register_electronic_share", None)}, off
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "94.8" in readme and "92.3" in readme


def test_gazetteer_names_every_entity_in_three_languages():
    entities = load_entities(DATA)
    assert len(entities) >= 40
    for entity in entities.values():
        assert all(entity.names.get(lang) for lang in ("ru", "kk", "en")), entity.id
    aliases = {a.lower() for a in entities["zhangala"].aliases["ru"] + entities["zhangala"].aliases["kk"]
               + entities["zhangala"].aliases["en"]}
    assert {"жангалинский", "жаңақала", "zhangaly"} <= aliases
    assert "орал" in {a.lower() for a in entities["uralsk"].aliases["kk"]}


def test_glossary_is_aligned():
    terms = load_glossary(DATA)
    assert len(terms) >= 150
    for term in terms:
        assert all(term.forms[lang] for lang in ("ru", "kk", "en")), term.id
    workload = next(t for t in terms if t.id == "workload")
    assert "жүктеме" in workload.forms["kk"] and "нагрузка" in workload.forms["ru"]
