"""Playbook levers: read their machine-readable front matter and test their triggers on the live data."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from indexer.loaders import parse_front_matter

from assistant.measure import metrics as m


@dataclass(frozen=True)
class Lever:
    lever_id: str
    group: str
    language: str
    title: str
    problem: str
    triggers: tuple[dict, ...]
    actions: tuple[str, ...]
    responsible: tuple[str, ...]
    kpis: tuple[dict, ...]
    evidence: tuple[str, ...]
    expected_effect: str = ""


def load_levers(corpus_dirs: tuple[Path, ...]) -> dict[tuple[str, str], Lever]:
    """(translation group, language) → Lever, for every note with `type: playbook` under the corpus folders.

    Parsed once per set of files and modification times, so an edited lever counts at the next question."""
    files = tuple(sorted((str(p), p.stat().st_mtime_ns) for root in corpus_dirs
                         for p in Path(root).rglob("*.md") if _is_playbook(p)))
    return _parse_levers(files)


def _is_playbook(path: Path) -> bool:
    with open(path, encoding="utf-8", errors="replace") as fh:
        head = fh.read(600)
    return "type: playbook" in head


@lru_cache(maxsize=4)
def _parse_levers(files: tuple[tuple[str, int], ...]) -> dict[tuple[str, str], Lever]:
    levers = {}
    for name, _ in files:
        meta, _, warnings = parse_front_matter(Path(name).read_text(encoding="utf-8"))
        if warnings or meta.get("type") != "playbook" or not meta.get("triggers"):
            continue
        lever = Lever(lever_id=str(meta.get("lever_id", meta["translation_group"])),
                      group=meta["translation_group"], language=meta.get("language", "en"),
                      title=str(meta.get("title", "")), problem=str(meta.get("problem_signature", "")),
                      triggers=tuple(meta.get("triggers") or ()), actions=tuple(meta.get("actions") or ()),
                      responsible=tuple(meta.get("responsible") or ()), kpis=tuple(meta.get("kpis") or ()),
                      evidence=tuple(meta.get("evidence") or ()),
                      expected_effect=str(meta.get("expected_effect", "")))
        levers[(lever.group, lever.language)] = lever
    return levers


def trigger_rows(frame: pd.DataFrame, trigger: dict, entity_types: dict[str, str]) -> pd.DataFrame:
    """The latest rows on which one trigger fires (entity and entity-type filters applied)."""
    rows = m.indicator_rows(frame, trigger["indicator"])
    if rows.empty:
        return rows
    if trigger.get("entity"):
        rows = rows[rows["entity"] == trigger["entity"]]
    if trigger.get("entity_type"):
        rows = rows[rows["entity"].map(lambda e: entity_types.get(e) == trigger["entity_type"])]
    if rows.empty:
        return rows
    return m.breaches(rows, trigger["op"], float(trigger["value"]))


def fired_triggers(lever: Lever, frame: pd.DataFrame, entity_types: dict[str, str],
                   entities: tuple[str, ...] = ()) -> list[tuple[dict, pd.DataFrame]]:
    """Triggers that fire, with their rows; when the question names entities, only rows about them count."""
    fired = []
    for trigger in lever.triggers:
        rows = trigger_rows(frame, trigger, entity_types)
        named = rows[rows["entity"].isin(entities)] if entities else rows
        if entities and not named.empty:
            rows = named
        if not rows.empty:
            fired.append((trigger, rows))
    return fired
