"""Recommendation drafts: playbook levers matched by retrieval and by triggers firing on the live data, filled
with the triggering figures, a legal basis passage, actions, responsible bodies, KPIs with baselines and evidence."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from indexer.analysis import tokenize

from assistant.draft.citations import CitationBook
from assistant.draft.drafting import format_fact
from assistant.draft.playbook import Lever, fired_triggers, load_levers
from assistant.measure import metrics as m
from assistant.measure.facts import make_fact
from assistant.measure.knowledge import load_entities, load_indicators
from assistant.measure.metrics import statistics_frame
from assistant.retrieve.articles import doc_legal
from assistant.retrieve.retrieval import Searcher
from assistant.types import Hit, QueryAnalysis, Recommendation
from assistant.understand.legal_refs import format_reference
from assistant.understand.query import find_entities

MAX_RECOMMENDATIONS = 3
MAX_TRIGGER_FACTS = 3
LAW_TYPE = "law"  # official texts (corpus/legal); a recommendation's legal basis is an article of one


def _lever_for(levers: dict, group: str, lang: str) -> Lever | None:
    return levers.get((group, lang)) or levers.get((group, "en")) or levers.get((group, "ru"))


def recommend(analysis: QueryAnalysis, searcher: Searcher, book: CitationBook,
              limit: int = MAX_RECOMMENDATIONS, vector=None) -> list[Recommendation]:
    """Up to `limit` drafts; `vector` is the question's embedding when the caller has it (saves embedding again)."""
    settings = searcher.settings
    levers = load_levers(settings.corpus_dirs)
    if not levers:
        return []
    frame = statistics_frame(settings.data_dir)
    entity_types = {e.id: e.type for e in load_entities(settings.data_dir).values()}
    if vector is None:
        vector = searcher.embedder.embed_query(analysis.question)
    hits = searcher.search_vector(vector, analysis.question, 8, analysis, {"playbook"})
    ranked = []
    for rank, hit in enumerate(hits):
        lever = _lever_for(levers, hit.chunk.translation_group, analysis.language)
        if lever is None:
            continue
        fired = fired_triggers(lever, frame, entity_types, analysis.entities)
        ranked.append((0 if fired else 1, rank, lever, hit, fired))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [_draft(lever, hit, fired, analysis, searcher, book, frame)
            for _, _, lever, hit, fired in ranked[:limit]]


def _draft(lever: Lever, hit: Hit, fired, analysis: QueryAnalysis, searcher: Searcher, book: CitationBook,
           frame: pd.DataFrame) -> Recommendation:
    lang = analysis.language
    data_dir = searcher.settings.data_dir
    indicators = load_indicators(data_dir)
    evidence = [book.passage(hit)]
    facts = []
    for trigger, rows in fired:
        base = trigger["indicator"].removesuffix(m.YOY_SUFFIX)
        indicator = indicators.get(base)
        if indicator is None:
            continue
        for _, row in rows.sort_values("value", ascending=trigger["op"].startswith("<")).head(MAX_TRIGGER_FACTS).iterrows():
            kind = "yoy" if trigger["indicator"].endswith(m.YOY_SUFFIX) else "breach"
            fact = make_fact(row, indicator, lang, data_dir, kind, rows[rows.index == row.name],
                         unit="ratio" if kind == "yoy" else None, previous=row.get("previous"))
            facts.append(fact)
            evidence.append(book.fact(fact))
    problem = lever.problem
    if facts:
        problem += " — " + "; ".join(format_fact(f, lang, data_dir) for f in facts[:MAX_TRIGGER_FACTS])
    legal = _legal_basis(lever, analysis, searcher, book, evidence)
    for group in lever.evidence[:2]:
        passage = searcher.group_passage(group, lang)
        if passage is not None and passage.chunk.doc_type != "playbook":
            evidence.append(book.passage(passage))
    kpis = tuple(_kpi_text(kpi, frame, indicators, lang, data_dir) for kpi in lever.kpis)
    return Recommendation(title=lever.title, problem=problem, actions=lever.actions, responsible=lever.responsible,
                          kpis=kpis, evidence=tuple(dict.fromkeys(evidence)), metrics=tuple(facts),
                          legal_basis=legal, expected_effect=lever.expected_effect, lever_id=lever.lever_id,
                          triggered=bool(facts))


_LEGAL_CACHE: dict[tuple, list[Hit]] = {}


def _legal_basis(lever: Lever, analysis: QueryAnalysis, searcher: Searcher, book: CitationBook,
                 evidence: list[int]) -> str:
    """The article of an official text closest to the lever's problem (a regulation summary only when the index
    holds no official text); looked up once per lever and index."""
    key = (id(searcher.store), lever.group, lever.language)
    if key not in _LEGAL_CACHE:
        query = f"{lever.title}. {lever.problem}"
        _LEGAL_CACHE[key] = (searcher.search(query, k=1, doc_types={LAW_TYPE})
                             or searcher.search(query, k=1, doc_types={"regulation"}))
    hits = _LEGAL_CACHE[key]
    if not hits:
        return ""
    n = book.passage(hits[0])
    evidence.append(n)
    chunk = hits[0].chunk
    if not chunk.article:
        return f"{chunk.title} [{n}]"
    as_of = doc_legal(searcher.store, chunk).get("as_of", "")
    return f"{format_reference(chunk, analysis.language, as_of, searcher.settings.data_dir)} [{n}]"


KPI_BASELINE = {"ru": ("текущее значение", "текущее максимальное значение"),
                "kk": ("қазіргі мән", "қазіргі ең жоғары мән"),
                "en": ("current value", "current highest value")}


def _kpi_text(kpi: dict, frame: pd.DataFrame, indicators: dict, lang: str, data_dir: Path) -> str:
    """The KPI with its target and its baseline: the value of the unit or sector the KPI names, else (a KPI
    about all units) the current highest value. Entity ids in a target are shown as names."""
    text = str(kpi.get("text", ""))
    target = _names_for_ids(str(kpi.get("target") or ""), lang, data_dir)
    if target:
        text += f" ({target})"
    base = str(kpi.get("indicator") or "").removesuffix(m.YOY_SUFFIX)
    if base not in indicators:
        return text
    rows = m.indicator_rows(frame, kpi["indicator"])
    if rows.empty:
        return text
    named = _kpi_entities(f"{kpi.get('text', '')} {kpi.get('target', '')}", set(rows["entity"]), data_dir)
    current = m.latest(rows[rows["entity"].isin(named)]) if named else m.ranked(rows).head(1)
    is_yoy = kpi["indicator"].endswith(m.YOY_SUFFIX)
    label = KPI_BASELINE.get(lang, KPI_BASELINE["en"])[0 if named else 1]
    shown = []
    for _, row in current.head(2).iterrows():
        fact = make_fact(row, indicators[base], lang, data_dir, "yoy" if is_yoy else "value", current[current.index == row.name],
                     unit="ratio" if is_yoy else None)
        shown.append(format_fact(fact, lang, data_dir))
    return f"{text}; {label}: {'; '.join(shown)}"


def _kpi_entities(text: str, with_rows: set[str], data_dir: Path) -> list[str]:
    """Units a KPI names, by id ("ud_architecture") or by name or alias, among those the indicator has rows for."""
    ids = [e for e in re.findall(r"[a-z]+_[a-z_]+", text) if e in with_rows]
    found = find_entities(tuple(tokenize(text)), text, data_dir)
    return list(dict.fromkeys(ids + [e for e in found if e in with_rows]))


def _names_for_ids(text: str, lang: str, data_dir: Path) -> str:
    entities = load_entities(data_dir)
    return re.sub(r"\b[a-z]+_[a-z_]+\b", lambda mt: entities[mt.group(0)].name(lang) if mt.group(0) in entities
                  else mt.group(0), text)
