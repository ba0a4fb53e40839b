"""The shipped corpus: valid front matter everywhere, complete translation groups, sound playbook triggers."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from assistant.measure.knowledge import load_indicators
from assistant.measure.metrics import YOY_SUFFIX
from indexer.loaders import parse_front_matter

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DATA = ROOT / "data"
NOTES = sorted(p for p in CORPUS.rglob("*.md") if p.parent != CORPUS)
TYPES = {"regulations": "regulation", "concepts": "concept", "findings": "finding", "practices": "practice",
         "playbook": "playbook", "project": "project", "legal": "law"}
NEEDS_KAZAKH = {"concept", "finding", "playbook"}


def front(path: Path) -> dict:
    meta, body, warnings = parse_front_matter(path.read_text(encoding="utf-8"))
    assert not warnings, f"{path}: {warnings}"
    return meta


def test_corpus_is_rich():
    assert len(NOTES) >= 150
    assert {p.parent.name for p in NOTES} == set(TYPES)


@pytest.mark.parametrize("path", NOTES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_front_matter_is_complete(path):
    meta = front(path)
    for key in ("id", "title", "type", "language", "translation_group", "sources"):
        assert meta.get(key), f"{path.name}: missing {key}"
    assert meta["type"] == TYPES[path.parent.name]
    assert meta["language"] in ("ru", "kk", "en")
    assert path.name == f"{meta['translation_group']}.{meta['language']}.md"
    assert meta["id"] == f"{meta['translation_group']}-{meta['language']}"
    assert isinstance(meta["sources"], list) and all(isinstance(s, dict) and s for s in meta["sources"])
    if meta["type"] == "regulation":
        for key in ("official_id", "adopted", "status_note"):
            assert meta.get(key), f"{path.name}: regulation without {key}"
    if meta["type"] == "law":
        for key in ("act", "adopted", "as_of", "source", "text_sha256", "status_note"):
            assert meta.get(key), f"{path.name}: official text without {key}"
        assert "adilet.zan.kz" in meta["status_note"]
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    assert re.search(r"^## ", body, re.M), "notes are organised under ## headings"


def test_ids_are_unique():
    ids = [front(p)["id"] for p in NOTES]
    assert len(ids) == len(set(ids))


def test_every_translation_group_is_complete():
    groups: dict[str, set] = defaultdict(set)
    types = {}
    for path in NOTES:
        meta = front(path)
        groups[meta["translation_group"]].add(meta["language"])
        types[meta["translation_group"]] = meta["type"]
    for group, langs in groups.items():
        needed = ({"ru", "en", "kk"} if types[group] in NEEDS_KAZAKH
                  else {"ru", "kk"} if types[group] == "law" else {"ru", "en"})
        assert needed <= langs, f"{group} has {sorted(langs)}, needs {sorted(needed)}"


def test_translations_state_the_same_figures():
    """Each language version of a finding carries the same numbers (format-normalised)."""
    def figures(path: Path) -> set[str]:
        text = path.read_text(encoding="utf-8").split("---", 2)[2]
        text = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", text)
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text) if ".en." in path.name else text
        return {n.replace(",", ".") for n in re.findall(r"\d+(?:[.,]\d+)?", text) if len(n) > 1 and "." in n.replace(",", ".")}
    by_group: dict[str, list[Path]] = defaultdict(list)
    for path in NOTES:
        if path.parent.name == "findings":
            by_group[front(path)["translation_group"]].append(path)
    for group, paths in by_group.items():
        sets = {p.name: figures(p) for p in paths}
        common = set.intersection(*sets.values())
        for name, found in sets.items():
            missing = found - common
            assert len(missing) <= 2, f"{group}: {name} has decimals the others lack: {sorted(missing)}"


PLAYBOOK = [p for p in NOTES if p.parent.name == "playbook"]


def test_at_least_twenty_levers():
    assert len({front(p)["lever_id"] for p in PLAYBOOK}) >= 20


@pytest.mark.parametrize("path", PLAYBOOK, ids=lambda p: p.name)
def test_playbook_lever_is_machine_readable(path):
    meta = front(path)
    known = set(load_indicators(DATA))
    groups = {front(p)["translation_group"] for p in NOTES}
    for key in ("lever_id", "problem_signature", "triggers", "actions", "responsible", "kpis",
                "expected_effect", "risks", "evidence"):
        assert meta.get(key), f"{path.name}: missing {key}"
    for trigger in meta["triggers"]:
        name = trigger["indicator"]
        base = name[: -len(YOY_SUFFIX)] if name.endswith(YOY_SUFFIX) else name
        assert base in known, f"{path.name}: trigger on undefined indicator {name}"
        assert trigger["op"] in (">", ">=", "<", "<=")
        assert isinstance(trigger["value"], (int, float))
    for kpi in meta["kpis"]:
        if kpi.get("indicator"):
            base = kpi["indicator"].removesuffix(YOY_SUFFIX)
            assert base in known, f"{path.name}: KPI on undefined indicator {kpi['indicator']}"
    for ref in meta["evidence"]:
        assert ref in groups, f"{path.name}: evidence {ref} is not a translation group"


LEGAL = [p for p in NOTES if p.parent.name == "legal"]


@pytest.mark.parametrize("path", LEGAL, ids=lambda p: p.name)
def test_official_text_is_verbatim(path):
    """The body of an official text is exactly what was shipped: its SHA-256 is recorded in the front matter."""
    import hashlib

    text = path.read_text(encoding="utf-8")
    body = text[text.index("\n---\n", 4) + 5:]
    assert hashlib.sha256(body.encode("utf-8")).hexdigest() == front(path)["text_sha256"]


def test_summaries_point_to_articles_that_exist():
    """A summary's `articles:` names only articles found as headings in the official text it points to."""
    from indexer.legal import parse_legal_text

    articles_of = {}
    for path in LEGAL:
        meta, body, _ = parse_front_matter(path.read_text(encoding="utf-8"))
        articles_of.setdefault(meta["translation_group"], set()).update(
            u.article for u in parse_legal_text(body).units)
    pointed = 0
    for path in NOTES:
        ref = front(path).get("articles")
        if not ref or not ref.get("official_text"):
            continue
        known = articles_of[ref["official_text"]]
        assert set(map(str, ref["numbers"])) <= known, f"{path.name}: {set(ref['numbers']) - known}"
        pointed += 1
    assert pointed >= 4
