"""Can a sentence's figures be traced to the sources it cites? Number normalisation shared by the evaluation
(every extractive answer) and the LLM guard (every drafted sentence).

Numbers are compared as values, whatever the ru/kk/en format: "4 018 049", "4,018,049" and "4018049" are one
number; "92,3" and "92.3" are one number; "0,67" is 0.67. A comma before exactly three digits is read as a
thousands separator ("1,256" = 1256), as in the data tables.
"""
from __future__ import annotations

import re

from assistant.types import Citation

_THOUSANDS_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
MARKER = re.compile(r"\[(\d+)\]")


def numbers_in(text: str) -> set[str]:
    """Numbers as written, normalised: '4 018 049' and '4,018,049' → '4018049', '0,67' → '0.67'."""
    text = _THOUSANDS_COMMA.sub("", _THOUSANDS_SPACE.sub("", text))
    return {n.replace(",", ".").rstrip(".") for n in _NUMBER.findall(text)}


def shows_value(number: str, value: float) -> bool:
    """A written number shows a value, rounded to 0, 1 or 2 decimals ('1.71' shows 1.7142…)."""
    try:
        shown = float(number)
    except ValueError:
        return False
    return any(abs(round(value, d) - shown) < 1e-9 for d in (0, 1, 2)) or abs(shown - value) < 1e-9


def same_number(a: str, b: str) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except ValueError:
        return a == b


def citation_numbers(citation: Citation, decimals: tuple[int, ...] = (0, 1, 2)) -> set[str]:
    """Every number a citation supports: those written in its passage, title and section and, for a data row,
    its value, previous value, the row values a change rests on and the bar a threshold test used (rounded to
    each of `decimals`, and ×100 to one decimal for a ratio shown as a percentage) and period."""
    allowed = numbers_in(" ".join((citation.text, citation.title, citation.section,
                                   getattr(citation, "reference", "") or "")))
    if citation.kind == "data":
        meta = citation.meta
        for value in [meta.get("value"), meta.get("previous"), meta.get("threshold"), *(meta.get("inputs") or ())]:
            if value is not None:
                allowed |= {_rounded(abs(value), d) for d in decimals}
                allowed |= {f"{abs(value) * 100:.1f}".rstrip("0").rstrip(".")}
        allowed |= numbers_in(str(citation.meta.get("period", "")))
    return allowed


def _rounded(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def unsupported_numbers(body: str, allowed: set[str]) -> list[str]:
    """The numbers of `body` (markers already removed) that are not among `allowed`."""
    missing = []
    for number in sorted(numbers_in(body)):
        normal = number.rstrip("0").rstrip(".") if "." in number else number
        if not any(same_number(normal, a) or same_number(number, a) for a in allowed):
            missing.append(number)
    return missing


def untraceable(answer) -> list[str]:
    """Problems with an answer's citations: [n] that resolve to nothing, numbers found in no cited source (a line
    citing several data rows may also state how many it cites)."""
    cited = {c.n: c for c in answer.citations}
    problems = []
    for line in answer.text.splitlines():
        markers = [int(n) for n in MARKER.findall(line)]
        if not markers:
            continue
        missing = [n for n in markers if n not in cited]
        if missing:
            problems.append(f"[{missing[0]}] resolves to nothing")
            continue
        allowed = set().union(*(citation_numbers(cited[n]) for n in markers))
        rows = {n for n in markers if cited[n].kind == "data"}
        if len(rows) >= 2:  # "Yes, 2 values: …" counts the data rows the line cites
            allowed.add(str(len(rows)))
        for number in unsupported_numbers(MARKER.sub("", line), allowed):
            problems.append(f"{number} not in its cited source: {line[:120]}")
    return problems
