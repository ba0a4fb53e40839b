"""The guard between a language model's draft and the user: pure functions, no I/O.

A draft is split into sentences. A sentence is dropped when it cites nothing, cites a [n] that is not among the
numbered sources, states a figure (in any ru/kk/en number format) that the sources it cites do not contain, or is
written in another language. If too little survives, the extractive answer is used instead.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from indexer.language import KAZAKH_LETTERS

from assistant.draft.llm_prompts import abbreviations
from assistant.draft.traceability import citation_numbers, numbers_in, unsupported_numbers
from assistant.types import Citation, GuardNote

MIN_KEPT_SHARE = 0.5  # fewer than half of the sentences survive → the draft is not trusted at all
GUARD_DECIMALS = (1, 2)  # a data row's value may be quoted to 1 or 2 decimals, never rounded to a whole number
_MARKERS = re.compile(r"\[\s*(\d+(?:\s*(?:[,;]|[-–])\s*\d+)*)\s*\]")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\s*\d+(?:\s*(?:[,;]|[-–])\s*\d+)*\s*\])+[.,;:]?")
# A stop, then a capital, a digit or a quote; or, whatever follows, a stop right after a [n] ("… [2]. және …").
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"»”)]*\s+(?=[\"«“(\[]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9\[])|(?<=\][.!?])\s+(?=\S)")
_LINE_LEAD = re.compile(r"^\s*(?:#+\s+|(?:[-*•–]|\d{1,2}[.)])\s+)")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LATIN = re.compile(r"[a-zA-Z]")
# Kazakh letters per Cyrillic letter: Russian corpus sentences stay below 0.02, Kazakh ones rarely fall below 0.03.
KAZAKH_SHARE_NOT_RUSSIAN = 0.06
KAZAKH_SHARE_NOT_KAZAKH = 0.01
MIN_LETTERS_FOR_LANGUAGE = 20


@dataclass(frozen=True)
class DraftSentence:
    text: str  # as written, with its [n] markers
    new_line: bool = False  # began a line of the draft
    bullet: bool = False  # that line was a list item


@dataclass(frozen=True)
class GuardResult:
    kept: tuple[DraftSentence, ...]
    dropped: tuple[GuardNote, ...]
    fallback: GuardNote | None  # set when the draft must not be used

    @property
    def text(self) -> str:
        return join_sentences(self.kept)


def join_sentences(sentences) -> str:
    out = []
    for s in sentences:
        lead = "- " if s.bullet else ""
        out.append((("\n" if out and s.new_line else " " if out else "") + lead + s.text))
    return "".join(out)


def markers(sentence: str) -> list[int]:
    """The citation numbers of a sentence: [3], [1][2], [1, 2] and [1–3] are all understood."""
    found = []
    for group in _MARKERS.findall(sentence):
        for part in re.split(r"\s*[,;]\s*", group):
            ends = [int(x) for x in re.split(r"\s*[-–]\s*", part)]
            found.extend(range(ends[0], ends[-1] + 1) if len(ends) == 2 and 0 < ends[1] - ends[0] < 20 else ends)
    return found


def split_draft(text: str) -> list[DraftSentence]:
    """Sentences of a draft, line by line; a [n] written after the full stop stays with its sentence, a stop
    after an abbreviation ("ст. 5", "p. 12") does not end one, list bullets and numbering are taken off."""
    pieces: list[DraftSentence] = []
    for line in text.splitlines():
        lead = _LINE_LEAD.match(line)
        body = line[lead.end():] if lead else line
        first = True
        for part in _split_line(body.strip()):
            pieces.append(DraftSentence(part, new_line=first, bullet=bool(lead) and first))
            first = False
    return _attach_leading_markers(pieces)


def _split_line(line: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        before = line[start:match.start()].rstrip()
        if _ends_with_abbreviation(before):
            continue
        parts.append(line[start:match.start()].strip())
        start = match.end()
    parts.append(line[start:].strip())
    return [p for p in parts if p]


def _ends_with_abbreviation(text: str) -> bool:
    if not text.endswith("."):
        return False
    word = re.split(r"[\s(«\"]", text[:-1])[-1].lower()
    return word in abbreviations() or (len(word) == 1 and word.isalpha())


def _attach_leading_markers(pieces: list[DraftSentence]) -> list[DraftSentence]:
    """"Text. [1] Next." → "Text. [1]" and "Next.": markers that open a piece belong to the piece before."""
    out: list[DraftSentence] = []
    for piece in pieces:
        lead = _LEADING_MARKERS.match(piece.text)
        if lead and out:
            prev = out[-1]
            out[-1] = DraftSentence(f"{prev.text} {lead.group(0).strip()}", prev.new_line, prev.bullet)
            rest = piece.text[lead.end():].strip()
            if rest:
                out.append(DraftSentence(rest, piece.new_line, piece.bullet))
            continue
        out.append(piece)
    return out


def support_of(citations: tuple[Citation, ...], shown: dict[int, str] | None = None) -> dict[int, set[str]]:
    """Per citation number, the numbers it supports: those of the citation itself and of what the model was
    shown for it (for a data row, the computed figure line, as the extractive answer prints it)."""
    shown = shown or {}
    return {c.n: citation_numbers(c, GUARD_DECIMALS) | numbers_in(shown.get(c.n, "")) for c in citations}


def check_sentence(sentence: str, support: dict[int, set[str]], language: str) -> GuardNote | None:
    """None when the sentence may be shown; otherwise why not."""
    cited = markers(sentence)
    if not cited:
        return GuardNote("uncited", sentence)
    dangling = [n for n in cited if n not in support]
    if dangling:
        return GuardNote("dangling_citation", sentence, " ".join(f"[{n}]" for n in dangling))
    body = _MARKERS.sub(" ", sentence)
    allowed = set().union(*(support[n] for n in cited))
    missing = unsupported_numbers(body, allowed)
    if missing:
        return GuardNote("unsupported_figure", sentence,
                         f"{', '.join(missing)} not in {''.join(f'[{n}]' for n in sorted(set(cited)))}")
    if not _in_language(body, language):
        return GuardNote("wrong_language", sentence, f"expected {language}")
    return None


def _in_language(text: str, language: str) -> bool:
    """False only when the sentence is clearly in another of the three languages."""
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if cyrillic + latin < MIN_LETTERS_FOR_LANGUAGE:
        return True
    if language == "en":
        return latin >= cyrillic
    if latin > cyrillic:
        return False
    share = sum(1 for ch in text if ch in KAZAKH_LETTERS) / max(cyrillic, 1)
    if language == "ru":
        return share < KAZAKH_SHARE_NOT_RUSSIAN
    if language == "kk":
        return share >= KAZAKH_SHARE_NOT_KAZAKH or cyrillic < MIN_LETTERS_FOR_LANGUAGE
    return True


def verdict(kept: list[DraftSentence], dropped: list[GuardNote], language: str) -> GuardNote | None:
    """The fallback note when the draft as a whole cannot be used, else None."""
    total = len(kept) + len(dropped)
    if total == 0:
        return GuardNote("fallback:too_little_left", "", "empty draft")
    reasons = Counter(note.reason for note in dropped)
    if reasons["wrong_language"] * 2 >= total or (kept and not _in_language(join_sentences(kept), language)):
        return GuardNote("fallback:wrong_language", "", f"expected {language}")
    if not kept or len(kept) / total < MIN_KEPT_SHARE:
        return GuardNote("fallback:too_little_left", "", f"{len(kept)} of {total} sentences passed the guard")
    return None


def guard_draft(draft: str, citations: tuple[Citation, ...], language: str,
                shown: dict[int, str] | None = None) -> GuardResult:
    """Check every sentence of `draft` against the numbered `citations`; see the module docstring."""
    support = support_of(citations, shown)
    kept, dropped = [], []
    for sentence in split_draft(draft):
        note = check_sentence(sentence.text, support, language)
        if note is None:
            kept.append(sentence)
        else:
            dropped.append(note)
    return GuardResult(tuple(kept), tuple(dropped), verdict(kept, dropped, language))


class SentenceStream:
    """Sentences of a draft that arrives in pieces: `feed` returns those that are complete (the text after them
    has begun, so a [n] written after the stop is already attached); `finish` returns the rest."""

    def __init__(self):
        self.buffer = ""
        self.emitted = 0

    def feed(self, piece: str) -> list[DraftSentence]:
        self.buffer += piece
        sentences = split_draft(self.buffer)
        if not sentences:
            return []
        last_has_begun = bool(_LETTER.search(_MARKERS.sub("", sentences[-1].text)))
        return self._take(sentences, len(sentences) - (1 if last_has_begun else 2))

    def finish(self) -> list[DraftSentence]:
        sentences = split_draft(self.buffer)
        return self._take(sentences, len(sentences))

    def _take(self, sentences: list[DraftSentence], ready: int) -> list[DraftSentence]:
        out = sentences[self.emitted:max(ready, self.emitted)]
        self.emitted = max(ready, self.emitted)
        return out
