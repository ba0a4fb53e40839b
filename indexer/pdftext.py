"""Clean the text pypdf extracts from PDF pages: page furniture removed, hyphenated line ends joined.

Furniture is a line near the top or bottom of a page that repeats, digits aside, on many pages: "6/50", a
running title, a site address, "© OECD 2024". Page numbers stay known as the block's page, not as text.
"""
from __future__ import annotations

import re
from collections import Counter

from .legal import article_of_heading, is_chapter_heading

EDGE_LINES = 3  # lines at the top and at the bottom of a page where furniture lives
MIN_SHARE = 0.4  # a line repeated at the edge of at least this share of pages (and 3 pages) is furniture
_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"(\w)[-\u00ad]\n[ \t]*(?=[a-zа-яёәғқңөұүһі])")
_PAGE_NUMBER = re.compile(r"^(?:page\s+|стр\.\s*|бет\s+)?#(?:\s*(?:/|of|из)\s*#)?$", re.I)


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).lower()


def _edges(lines: list[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])


def _is_heading(line: str) -> bool:
    """Article and chapter headings often open a page; they repeat digits aside but are text, not furniture."""
    return len(line) < 300 and bool(article_of_heading(line) or is_chapter_heading(line))


def furniture(pages: list[list[str]]) -> set[str]:
    """Keys of the lines that repeat at page edges."""
    counts: Counter = Counter()
    for lines in pages:
        counts.update({_key(lines[i]) for i in _edges(lines) if not _is_heading(lines[i])})
    need = max(3, int(MIN_SHARE * len(pages) + 0.999))
    return {key for key, n in counts.items() if n >= need and key}


def clean_pages(texts: list[str]) -> list[str]:
    """The pages' text with furniture and bare page numbers at their edges removed, hyphenated words joined."""
    pages = [text.splitlines() for text in texts]
    repeated = furniture(pages) if len(pages) >= 3 else set()
    cleaned = []
    for lines in pages:
        edges = _edges(lines)
        kept = [line for i, line in enumerate(lines)
                if not (i in edges and (_key(line) in repeated or _PAGE_NUMBER.match(_key(line))))]
        cleaned.append(_HYPHENATED.sub(r"\1", "\n".join(kept)))
    return cleaned
