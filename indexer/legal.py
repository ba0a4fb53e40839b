"""The structure of law-like documents: chapter → article → paragraph (with its sub-paragraph list kept whole).

Works on any text a loader reads (Markdown, TXT, DOCX paragraphs, PDF lines with their page numbers), in the
heading styles of Kazakh legislation in Russian, Kazakh and English: «### Статья 25. …», «## 8-бап. …»,
«## Глава 1. …», «1-тарау.», a plain line «Статья 19-1. …» or «Article 11». Amendment notes («Сноска.»,
«Ескерту.», "Footnote.") are lifted out of the text and kept as the note of their article. The vocabulary is
data: indexer/legal_structure.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

VOCABULARY = Path(__file__).with_name("legal_structure.yaml")
_NUMBER = r"(\d{1,4}(?:-\d{1,3})*)"
_PARAGRAPH = re.compile(r"^(\d{1,3}(?:-\d{1,3})*)\.\s+\S")
_SUBPARAGRAPH = re.compile(r"^\d{1,3}(?:-\d{1,3})*\)\s")
_MD_HEADING = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True)
class LegalUnit:
    """One passage of a law: a numbered paragraph (or the unnumbered text of an article) with its article."""

    article: str  # "25", "19-1"; "" for text before the first article
    heading: str  # "Статья 25. Особенности рассмотрения жалоб …"
    paragraph: str  # "2", "2-1"; "" for an article's unnumbered text
    text: str  # verbatim, sub-paragraphs included
    chapter: str = ""
    note: str = ""  # the article's amendment notes, verbatim
    repealed: bool = False
    page: int | None = None


@dataclass(frozen=True)
class LegalText:
    units: tuple[LegalUnit, ...]
    chapter_notes: tuple[str, ...] = ()

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(u.article for u in self.units if u.article))


@dataclass(frozen=True)
class Vocabulary:
    article: re.Pattern
    chapter: re.Pattern
    note_markers: tuple[str, ...]
    repeal_words: tuple[str, ...]
    min_articles: int


def _words(words: list[str]) -> str:
    variants = {w for word in words for w in (word, word.upper())}
    return "|".join(re.escape(w) for w in sorted(variants, key=len, reverse=True))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    # A heading is the whole line: the number is followed by "." and a title, or by nothing at all
    # ("Статья 5 настоящего Закона …" wrapped onto a new line is a sentence, not a heading).
    tail = r"(?:\.\s*(?P<title>.*)|\s*)$"
    article = (rf"^(?:(?:{_words(data['article_words'])})\s*{_NUMBER}"
               rf"|{_NUMBER}-(?:{_words(data['article_suffixes'])})){tail}")
    roman = r"[IVXLCІ]+"
    chapter = (rf"^(?:(?:{_words(data['chapter_words'])})\s+(?:\d{{1,3}}|{roman})"
               rf"|\d{{1,3}}-(?:{_words(data['chapter_suffixes'])}))(?:[.\s].*)?$")
    return Vocabulary(article=re.compile(article), chapter=re.compile(chapter),
                      note_markers=tuple(data["note_markers"]), repeal_words=tuple(data["repeal_words"]),
                      min_articles=int(data["min_articles"]))


def bare_line(line: str) -> str:
    """The line without Markdown heading marks, bold marks and surrounding spaces."""
    return _MD_HEADING.sub("", line.strip()).strip("*_ \t\u00a0")


def article_of_heading(line: str) -> str | None:
    """'25' for «### Статья 25. …», '21-1' for «21-1-бап. …», None for any other line."""
    match = vocabulary().article.match(bare_line(line))
    if not match:
        return None
    return match.group(1) or match.group(2)


def is_chapter_heading(line: str) -> bool:
    return bool(vocabulary().chapter.match(bare_line(line)))


def looks_legal(lines: list[str]) -> bool:
    """At least a few distinct article headings: the document is a law, code, constitution or rules."""
    need = vocabulary().min_articles
    found: set[str] = set()
    for line in lines:
        number = article_of_heading(line) if len(line) < 400 else None
        if number:
            found.add(number)
            if len(found) >= need:
                return True
    return False


@dataclass
class _Article:
    number: str
    heading: str
    chapter: str
    page: int | None
    paragraphs: list = field(default_factory=list)  # [number, [lines], page]
    notes: list = field(default_factory=list)


def _join(lines: list[str]) -> str:
    """Lines of one paragraph: a list item or a line after a full stop starts a new line, a wrapped line
    (a PDF line break inside a sentence) is joined with a space."""
    text = ""
    for line in lines:
        line = line.strip()
        if not text:
            text = line
        elif _SUBPARAGRAPH.match(line) or text.endswith((".", ";", ":", "!", "?")):
            text += "\n" + line
        else:
            text += " " + line
    return text


class _Parser:
    def __init__(self):
        self.vocab = vocabulary()
        self.chapter = ""
        self.article: _Article | None = None
        self.preamble: list = []  # [lines, page]
        self.units: list[LegalUnit] = []
        self.chapter_notes: list[str] = []
        self.note_target: list | None = None  # the list a note continues in

    def feed(self, line: str, page: int | None, markdown: bool) -> None:
        bare = bare_line(line)
        if not bare:
            self.note_target = None
            return
        if markdown and line.lstrip().startswith("# "):
            return  # the document title
        number = article_of_heading(line) if len(bare) < 400 else None
        if number:
            self._close_article()
            self.article = _Article(number, bare, self.chapter, page)
            self.note_target = None
        elif len(bare) < 400 and is_chapter_heading(line):
            self._close_article()
            self.chapter, self.note_target = bare, None
        elif bare.startswith(self.vocab.note_markers):
            self.note_target = self.article.notes if self.article else self.chapter_notes
            self.note_target.append(bare)
        elif self.note_target is not None and not _PARAGRAPH.match(bare):
            self.note_target[-1] += " " + bare
        else:
            self.note_target = None
            self._text_line(bare, page)

    def _text_line(self, bare: str, page: int | None) -> None:
        if self.article is None:
            self.preamble.append((bare, page))
            return
        match = _PARAGRAPH.match(bare)
        if match or not self.article.paragraphs:
            self.article.paragraphs.append([match.group(1) if match else "", [bare], page])
        else:
            self.article.paragraphs[-1][1].append(bare)

    def _close_article(self) -> None:
        art, self.article = self.article, None
        if art is None:
            return
        note = "\n".join(art.notes)
        text_of = [(_join(lines), number, page) for number, lines, page in art.paragraphs]
        body = " ".join(t for t, _, _ in text_of)
        repealed = self._repealed(art.heading, body, note)
        if not text_of:
            self.units.append(LegalUnit(art.number, art.heading, "", art.heading, art.chapter, note, repealed,
                                        art.page))
        for text, number, page in text_of:
            self.units.append(LegalUnit(art.number, art.heading, number, text, art.chapter, note, repealed, page))

    def _repealed(self, heading: str, body: str, note: str) -> bool:
        words = tuple(w.lower() for w in self.vocab.repeal_words)
        title = heading.lower()
        if any(w in title for w in words):
            return True
        return not body.strip() and any(w in note.lower() for w in words)

    def finish(self) -> LegalText:
        self._close_article()
        units = []
        if self.preamble:
            units.append(LegalUnit("", "", "", _join([line for line, _ in self.preamble]), "", "", False,
                                   self.preamble[0][1]))
        return LegalText(tuple(units + self.units), tuple(self.chapter_notes))


def parse_legal_lines(lines: list[tuple[str, int | None]], markdown: bool = False) -> LegalText:
    """Parse (line, page) pairs; page is None for documents without pages."""
    parser = _Parser()
    for line, page in lines:
        parser.feed(line, page, markdown)
    return parser.finish()


def parse_legal_text(text: str, markdown: bool = True) -> LegalText:
    return parse_legal_lines([(line, None) for line in text.splitlines()], markdown=markdown)


def legal_blocks(legal: LegalText) -> list:
    """Blocks for the chunker: one per paragraph, carrying its article, paragraph number and the article's notes."""
    from .documents import Block

    return [Block(text=u.text, page=u.page, section=u.heading, article=u.article, paragraph=u.paragraph,
                  note=u.note) for u in legal.units if u.text.strip()]
