"""Language-aware tokens for BM25: Snowball stems for Russian and English, a suffix normaliser for Kazakh.

The choice is made per token, not per document, so a query and a passage always agree: Latin words get the
English stemmer, Cyrillic words with a Kazakh letter (ә ғ қ ң ө ұ ү һ і) the Kazakh normaliser, other Cyrillic
words the Russian stemmer.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import Stemmer

from .language import KAZAKH_LETTERS

_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)?|[^\W\d_]+", re.U)
_RU_STOP = {
    "и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так", "его", "но",
    "да", "ты", "к", "у", "же", "вы", "за", "бы", "по", "только", "ее", "мне", "было", "вот", "от", "меня", "еще",
    "нет", "о", "из", "ему", "теперь", "когда", "даже", "ну", "вдруг", "ли", "если", "уже", "или", "ни", "быть",
    "был", "него", "до", "вас", "нибудь", "опять", "уж", "вам", "ведь", "там", "потом", "себя", "ничего", "ей",
    "может", "они", "тут", "где", "есть", "надо", "ней", "для", "мы", "тебя", "их", "чем", "была", "сам", "чтоб",
    "без", "будто", "чего", "раз", "тоже", "себе", "под", "будет", "ж", "тогда", "кто", "этот", "того", "потому",
    "этого", "какой", "совсем", "ним", "здесь", "этом", "один", "почти", "мой", "тем", "чтобы", "нее", "были",
    "куда", "зачем", "всех", "никогда", "можно", "при", "наконец", "два", "об", "другой", "хоть", "после", "над",
    "больше", "тот", "через", "эти", "нас", "про", "всего", "них", "какая", "много", "разве", "три", "эту", "моя",
    "впрочем", "хорошо", "свою", "этой", "перед", "иногда", "лучше", "чуть", "том", "нельзя", "такой", "им",
    "более", "всегда", "конечно", "всю", "между", "это", "также", "является", "которые", "который", "которых",
}
_EN_STOP = {
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "by", "with", "is", "are", "was", "were", "be",
    "been", "it", "its", "this", "that", "these", "those", "as", "at", "from", "which", "what", "who", "how",
    "do", "does", "did", "has", "have", "had", "not", "no", "but", "if", "than", "then", "there", "their", "they",
    "them", "we", "our", "you", "your", "i", "me", "my", "he", "she", "his", "her", "so", "can", "will", "would",
    "should", "could", "may", "about", "into", "also", "such", "any", "all", "each", "other", "more", "most",
}
# Kazakh endings, longest first: plural, possessive, case and a few verbal endings. Only stripped while the
# stem keeps at least three letters, and at most three times, so short roots survive.
_KK_SUFFIXES = tuple(sorted({
    "лар", "лер", "дар", "дер", "тар", "тер",
    "ның", "нің", "дың", "дің", "тың", "тің",
    "ға", "ге", "қа", "ке", "на", "не",
    "да", "де", "та", "те", "нда", "нде",
    "ды", "ді", "ты", "ті", "ны", "ні",
    "дан", "ден", "тан", "тен", "нан", "нен",
    "мен", "бен", "пен",
    "сы", "сі", "ы", "і",
    "ғы", "гі", "қы", "кі", "дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі",
    "лық", "лік", "дық", "дік", "тық", "тік",
}, key=len, reverse=True))
_KK_MIN_STEM = 3
_KK_VOWELS = set("аәеиоөұүыіэюяу")
# Roots ending in -н/-с that the н-/с- endings would otherwise cut into (аудан+ы, not ауда+ны).
_KK_PROTECTED_ROOTS = ("аудан", "облыс", "орган", "бизнес", "процес", "сервис", "қатынас", "кеңес", "ақпарат",
                       "жергілікт")  # жергілікті "local" is not жер "land"
# Recorded in the index manifest: a build whose BM25 tokens were made by another version is redone (vectors kept).
ANALYSIS_VERSION = "2026-12-03"
_AFTER_VOWEL_ONLY = {"ны", "ні", "сы", "сі", "на", "не", "ның", "нің", "нан", "нен", "нда", "нде"}


@lru_cache(maxsize=1)
def _stemmers():
    return Stemmer.Stemmer("russian"), Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def kazakh_stop_words() -> frozenset[str]:
    import qaznltk

    path = Path(qaznltk.__file__).parent / "special_words" / "stop_words.txt"
    words = {w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()}
    return frozenset(words)


def normalise_kazakh(word: str) -> str:
    """Strip up to three Kazakh endings (plural, possessive, case), keeping a stem of three letters or more."""
    for _ in range(3):
        for suffix in _KK_SUFFIXES:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= _KK_MIN_STEM and _fits(stem, suffix):
                word = stem
                break
        else:
            break
    return word


def _fits(stem: str, suffix: str) -> bool:
    """Endings in н-/с- follow vowels; after a consonant the same ending is the bare -ы/-і form."""
    if any(root.startswith(stem) and len(stem) < len(root) for root in _KK_PROTECTED_ROOTS):
        return False
    return suffix not in _AFTER_VOWEL_ONLY or stem[-1] in _KK_VOWELS


def _is_kazakh(word: str) -> bool:
    return any(ch in KAZAKH_LETTERS for ch in word)


def _is_latin(word: str) -> bool:
    return word.isascii()


def analyse_word(word: str) -> str | None:
    """One lower-case word to its index term, or None for a stop word."""
    ru, en = _stemmers()
    if word[0].isdigit():
        return word.replace(",", ".")
    if _is_latin(word):
        return None if word in _EN_STOP else en.stemWord(word)
    if _is_kazakh(word) or word in kazakh_stop_words():
        return None if word in kazakh_stop_words() else normalise_kazakh(word)
    return None if word in _RU_STOP else ru.stemWord(word.replace("ё", "е"))


_ROMAN = set("ivxlc")
_CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһ]")


def unify_script(word: str) -> str:
    """One script per lower-case word: official texts type a Latin "i" inside Kazakh words (кейiн, бiрыңғай) and
    a Cyrillic "і" inside Roman numerals (241-VІ); both are read as the letter the word is written in."""
    if "i" in word and _CYRILLIC_WORD.search(word):
        return word.replace("i", "і")
    if "і" in word and set(word.replace("і", "i")) <= _ROMAN:
        return word.replace("і", "i")
    return word


def tokenize(text: str) -> list[str]:
    terms = []
    for raw in map(unify_script, _TOKEN.findall(text.lower())):
        if len(raw) == 1 and not raw.isdigit():
            continue
        term = analyse_word(raw)
        if term:
            terms.append(term)
    return terms
