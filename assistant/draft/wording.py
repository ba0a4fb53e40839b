"""Numbers and units as a reader expects them: the source's precision (1,00), ru/kk decimal commas, Russian
number agreement (71 жалоба, 44 жалобы, 65 жалоб), changes of a share in percentage points."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from assistant.types import MetricFact


@lru_cache(maxsize=4)
def load_templates(data_dir: Path) -> dict:
    return yaml.safe_load((Path(data_dir) / "answer_templates.yaml").read_text(encoding="utf-8"))


def phrase(data_dir: Path, lang: str, key: str, **slots) -> str:
    templates = load_templates(data_dir)
    return templates.get(lang, templates["en"])[key].format(**slots)


def format_number(value: float, lang: str, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = 0 if float(value).is_integer() and abs(value) >= 1 else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}"
    if lang in ("ru", "kk"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def plural_index(value: float, lang: str) -> int:
    """Index into a unit's forms: ru [one, few, many], en [one, other], kk a single form."""
    if lang == "kk":
        return 0
    if not float(value).is_integer():
        return 1
    n = abs(int(value))
    if lang == "en":
        return 0 if n == 1 else 1
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return 1
    return 2


def unit_word(unit: str, value: float, lang: str, data_dir: Path) -> str:
    forms = (load_templates(data_dir).get("units") or {}).get(unit, {}).get(lang)
    if not forms:
        return unit if unit not in ("count", "ratio", "pp", "%") else ""
    return forms[min(plural_index(value, lang), len(forms) - 1)]


def with_unit(value: float, unit: str, lang: str, data_dir: Path, decimals: int | None = None) -> str:
    number = format_number(value, lang, decimals)
    if unit == "%":
        return f"{number}\u00a0%" if lang in ("ru", "kk") else f"{number}%"
    word = unit_word(unit, value, lang, data_dir)
    return f"{number} {word}".strip()


def fact_value(fact: MetricFact, lang: str, data_dir: Path) -> str:
    """A fact's value as shown: a count with its unit, a share with %, a change as a signed delta."""
    if fact.unit in ("ratio", "pp"):
        return format_delta(fact, lang, data_dir)
    return with_unit(fact.value, fact.unit, lang, data_dir, fact.decimals)


def format_delta(fact: MetricFact, lang: str, data_dir: Path) -> str:
    sign = "+" if fact.value > 0 else ("−" if fact.value < 0 else "±")
    if fact.unit == "pp":
        return f"{sign}{format_number(abs(fact.value), lang, 1)} {phrase(data_dir, lang, 'pp')}"
    percent = format_number(abs(fact.value) * 100, lang, 1)
    return f"{sign}{percent}\u00a0%" if lang in ("ru", "kk") else f"{sign}{percent}%"
