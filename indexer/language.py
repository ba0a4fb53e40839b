"""Tell Russian, Kazakh and English apart by their letters."""
from __future__ import annotations

import re

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LATIN = re.compile(r"[a-zA-Z]")
LANGUAGES = ("ru", "kk", "en")


def detect_language(text: str, default: str = "en") -> str:
    """Return 'kk', 'ru' or 'en'.

    Kazakh is Cyrillic text in which the letters ә ғ қ ң ө ұ ү һ і make up a noticeable share: one such
    letter in a long Russian text (a quoted name) does not make it Kazakh.
    """
    sample = text[:20000]
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if cyrillic == 0 and latin == 0:
        return default
    if latin > cyrillic:
        return "en"
    kazakh = sum(1 for ch in sample if ch in KAZAKH_LETTERS)
    if kazakh >= 1 and kazakh / cyrillic >= 0.03:
        return "kk"
    return "ru"
