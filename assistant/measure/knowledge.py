"""Read data/: statistics tables (CSV, long format), indicator definitions, gazetteer and glossary.

Tables are read fresh on every call (they are small), so editing a CSV changes the next answer without a rebuild.
"""
from __future__ import annotations

import os

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from indexer.analysis import tokenize
from indexer.errors import QoljetimError

TABLE_COLUMNS = ["entity", "entity_type", "parent", "indicator", "year", "value", "unit", "source", "note"]
LANGS = ("ru", "kk", "en")


class DataError(QoljetimError):
    """A data file that cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Indicator:
    id: str
    labels: dict
    unit: str
    kind: str
    formula: str = ""
    direction: str = "neutral"
    thresholds: dict = field(default_factory=dict, hash=False, compare=False)
    source: str = ""
    decimals: int | None = None
    terms: tuple[str, ...] = ()  # glossary term ids that ask about this indicator

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    parent: str | None
    names: dict
    aliases: dict
    sector: str | None = None
    coverage: str = "data"  # "outside": recognised, but the documents hold no data for it

    @property
    def outside(self) -> bool:
        return self.coverage == "outside"

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.id


@dataclass(frozen=True)
class Term:
    id: str
    forms: dict  # lang -> tuple of forms, main term first
    group: str = ""


def _number(text: str) -> float:
    """Parse '1 256', '1,256', '92,3%', '0.67' → float. Raise ValueError when it is not a number."""
    clean = str(text).strip().replace("\u00a0", " ").replace("%", "").strip()
    clean = re.sub(r"(?<=\d)[ \u202f](?=\d{3}\b)", "", clean)
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+", clean):
        clean = clean.replace(",", "")
    clean = clean.replace(",", ".")
    return float(clean)


def read_table(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """One long-format CSV → (rows with file/row columns, problems). Bad rows are reported, the rest kept."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="skip", engine="python")
    except Exception as exc:
        return pd.DataFrame(columns=TABLE_COLUMNS), [f"{path.name}: unreadable CSV ({exc})"]
    missing = [c for c in ("entity", "indicator", "value", "source") if c not in frame.columns]
    if missing:
        return pd.DataFrame(columns=TABLE_COLUMNS), [
            f"{path.name}: missing column(s) {', '.join(missing)}; the header must be {','.join(TABLE_COLUMNS)}"]
    for column in TABLE_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    problems, values, years = [], [], []
    for i, (value, year) in enumerate(zip(frame["value"], frame["year"]), start=2):
        try:
            values.append(_number(value))
        except ValueError:
            values.append(float("nan"))
            problems.append(f"{path.name}, row {i}: value {value!r} is not a number; row ignored")
        years.append(int(float(year)) if str(year).strip() else None)
    frame = frame[TABLE_COLUMNS].copy()
    frame["value"] = values
    frame["year"] = pd.array(years, dtype="Int64")
    frame["file"] = f"tables/{path.name}"
    frame["row"] = range(2, len(frame) + 2)
    return frame.dropna(subset=["value"]), problems


def load_tables(data_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    frames, problems = [], []
    for path in sorted((Path(data_dir) / "tables").glob("*.csv")):
        frame, issues = read_table(path)
        frames.append(frame)
        problems.extend(issues)
    if not frames:
        return pd.DataFrame(columns=TABLE_COLUMNS + ["file", "row"]), [f"no CSV tables in {data_dir}/tables"]
    return pd.concat(frames, ignore_index=True), problems


def _read_yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise DataError(f"{path} is missing; restore it from the repository") from exc
    except yaml.YAMLError as exc:
        raise DataError(f"{path} is not valid YAML ({str(exc).splitlines()[0]}); fix the syntax") from exc


@lru_cache(maxsize=8)
def load_indicators(data_dir: Path) -> dict[str, Indicator]:
    raw = _read_yaml(Path(data_dir) / "indicators.yaml")
    result = {}
    for item in raw.get("indicators", []):
        result[item["id"]] = Indicator(
            id=item["id"], labels=item.get("labels", {}), unit=str(item.get("unit", "")),
            kind=item.get("kind", "raw"), formula=item.get("formula", ""),
            direction=item.get("direction", "neutral"), thresholds=item.get("thresholds") or {},
            source=item.get("source", ""), decimals=item.get("decimals"), terms=tuple(item.get("terms") or ()))
    return result


@lru_cache(maxsize=8)
def yoy_labels(data_dir: Path) -> dict:
    return _read_yaml(Path(data_dir) / "indicators.yaml").get("yoy_labels", {})


@lru_cache(maxsize=8)
def load_entities(data_dir: Path) -> dict[str, Entity]:
    raw = _read_yaml(Path(data_dir) / "entities.yaml")
    return {
        e["id"]: Entity(id=e["id"], type=e.get("type", ""), parent=e.get("parent"), names=e.get("names", {}),
                        aliases={k: tuple(v or ()) for k, v in (e.get("aliases") or {}).items()},
                        sector=e.get("sector"), coverage=e.get("coverage", "data"))
        for e in raw.get("entities", [])
    }


@lru_cache(maxsize=8)
def load_glossary(data_dir: Path) -> tuple[Term, ...]:
    raw = _read_yaml(Path(data_dir) / "glossary.yaml")
    return tuple(Term(id=t["id"], forms={lang: tuple(t.get(lang) or ()) for lang in LANGS}, group=t.get("group", ""))
                 for t in raw.get("terms", []))


def load_published(data_dir: Path) -> pd.DataFrame:
    frame = pd.read_csv(Path(data_dir) / "published_values.csv", dtype=str, keep_default_na=False)
    frame["published_value"] = frame["published_value"].map(_number)
    frame["year"] = pd.array([int(y) if y.strip() else None for y in frame["year"]], dtype="Int64")
    return frame


def as_published(value: float, entity: str, indicator: str, year: int | None, data_dir: Path) -> float:
    """A recomputed ratio as the source printed it (92.35 → 92.3 where the article truncated), when the two differ
    by rounding only; any other value is returned unchanged."""
    path = Path(data_dir) / "published_values.csv"
    printed = _published_index(path, path.stat().st_mtime_ns if path.exists() else 0).get((entity, indicator, year))
    return printed if printed is not None and abs(printed - value) < 0.1 else value


@lru_cache(maxsize=4)
def _published_index(path: Path, _mtime: int) -> dict:
    if not path.exists():
        return {}
    frame = load_published(path.parent)
    return {(r.entity, r.indicator, None if pd.isna(r.year) else int(r.year)): float(r.published_value)
            for r in frame.itertuples()}


def tables_signature(data_dir: Path) -> tuple:
    """Names, sizes and modification times of the CSV tables: changes whenever a table is edited."""
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                 for p in sorted((Path(data_dir) / "tables").glob("*.csv")))


def contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    return bool(occurrences(haystack, needle))


def occurrences(haystack: tuple[str, ...], needle: tuple[str, ...]) -> list[int]:
    """Start positions of a token sequence inside another."""
    n = len(needle)
    return [i for i in range(len(haystack) - n + 1) if n > 0 and haystack[i:i + n] == needle]


@lru_cache(maxsize=4)
def alias_index(data_dir: Path) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(token sequence of an alias or name, entity id), longest first, built once per data folder."""
    pairs = set()
    for entity in load_entities(data_dir).values():
        forms = list(entity.names.values()) + [a for lang in entity.aliases.values() for a in lang]
        for form in forms:
            tokens = tuple(tokenize(str(form)))
            if tokens:
                pairs.add((tokens, entity.id))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))  # a fixed order: runs do not depend on hashing


@lru_cache(maxsize=4)
def _term_index(data_dir: Path) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(form tokens, term id), longest forms first. A phrase that shrinks to one word once its stop words go
    ("на сотрудника" → сотрудник, «соңғы жыл» → жыл) is left out when another term owns that word: it would
    match every question with the word (every mention of employees as "per employee")."""
    glossary = load_glossary(data_dir)
    forms = [(term.id, str(form), tuple(tokenize(str(form)))) for term in glossary for lang in LANGS
             for form in term.forms[lang] if not re.search(r"\be-", str(form), re.I)]  # e-services ≠ services
    owners: dict[str, set[str]] = {}
    for term_id, form, tokens in forms:
        if len(tokens) == 1 and len(form.split()) == 1:
            owners.setdefault(tokens[0], set()).add(term_id)
    pairs = {(tokens, term_id) for term_id, form, tokens in forms if tokens and not (
        len(tokens) == 1 and len(form.split()) > 1 and owners.get(tokens[0], set()) - {term_id})}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))  # a fixed order: runs do not depend on hashing


FUZZY_PREFIX = 6


def find_terms(tokens: tuple[str, ...], data_dir: Path) -> tuple[str, ...]:
    """Glossary terms in the token sequence; one-word forms also match a word sharing their first six letters
    (недовольство ~ недовольных), which Snowball stems apart, unless the two part into different words."""
    found: list[str] = []
    long_tokens = [t for t in tokens if len(t) > FUZZY_PREFIX]
    for form, term_id in _term_index(data_dir):
        if term_id in found:
            continue
        if contains(tokens, form) or (len(form) == 1 and len(form[0]) > FUZZY_PREFIX and any(
                t[:FUZZY_PREFIX] == form[0][:FUZZY_PREFIX] and not different_words(t, form[0], data_dir)
                for t in long_tokens)):
            found.append(term_id)
    return tuple(found)


def different_words(a: str, b: str, data_dir: Path) -> bool:
    """Two words that share a beginning but where one goes on with a word-forming ending (қызмет / қызметкер,
    қызметтер / қызметкер): `derivational_suffixes` in data/frames.yaml."""
    common = len(os.path.commonprefix([a, b]))
    rests = (a[common:], b[common:])
    return any(rest.startswith(suffix) for rest in rests for suffix in _derivational_suffixes(data_dir))


@lru_cache(maxsize=4)
def frames_spec(data_dir: Path) -> dict:
    """data/frames.yaml (language knowledge for question frames), read once per data folder; {} without one."""
    path = Path(data_dir) / "frames.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def _derivational_suffixes(data_dir: Path) -> tuple[str, ...]:
    spec = frames_spec(data_dir)
    return tuple(s for by_lang in (spec.get("derivational_suffixes") or {}).values() for s in by_lang or () if s)
