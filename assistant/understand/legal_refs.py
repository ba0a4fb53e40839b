"""Article references in a question — «статья 25», «ст. 25 закона о госуслугах», «п. 2 ст. 25», «25-бап»,
"Article 25(2) of the Law on public services" — and the acts they name. The acts, their aliases and the words
of a reference are data: data/acts.yaml."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from indexer.analysis import unify_script
from indexer.documents import Chunk

ACTS_FILE = "acts.yaml"
_NUM = r"(\d{1,3}(?:-\d{1,2})*)"
_WORDISH = re.compile(r"\w+", re.U)


@dataclass(frozen=True)
class Act:
    id: str
    number: str
    names: dict
    short: dict
    aliases: tuple[str, ...]
    title_words: tuple[str, ...]
    default: bool = False

    def owns(self, chunk: Chunk) -> bool:
        """Whether an index passage belongs to this act (by its act number, or by its document's title/file)."""
        if self.number and chunk.act == self.number:
            return True
        where = f"{chunk.title} {chunk.source}".lower()
        return any(word in where for word in self.title_words)


@dataclass(frozen=True)
class ArticleRef:
    article: str
    paragraph: str = ""
    act: Act | None = None
    language: str = ""  # "kk" when written the Kazakh way («25-бап»): the question may have no other Kazakh word


@dataclass(frozen=True)
class LegalData:
    acts: tuple[Act, ...]
    article: re.Pattern
    paragraph: re.Pattern
    citation: dict
    answer: dict


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def legal_data(data_dir: Path) -> LegalData:
    raw = yaml.safe_load((Path(data_dir) / ACTS_FILE).read_text(encoding="utf-8"))
    acts = tuple(Act(id=a["id"], number=str(a.get("number") or ""), names=a["names"], short=a["short"],
                     aliases=tuple(x.lower() for x in a.get("aliases", ())),
                     title_words=tuple(x.lower() for x in a.get("title_words", ())),
                     default=bool(a.get("default"))) for a in raw["acts"])
    refs = raw["references"]
    article = re.compile(
        rf"(?<!\w)(?:{_alternatives(refs['article_words'])})\s*{_NUM}(?:\s*\((\d{{1,3}})\))?"
        rf"|(?<![\w-]){_NUM}-(?:{_alternatives(refs['article_suffixes'])})\w*")
    paragraph = re.compile(
        rf"(?<!\w)(?:{_alternatives(refs['paragraph_words'])})\s*{_NUM}"
        rf"|(?<![\w-]){_NUM}-(?:{_alternatives(refs['paragraph_suffixes'])})\w*")
    return LegalData(acts, article, paragraph, raw["citation"], raw["answer"])


def _normalised(text: str) -> str:
    low = text.lower().replace("ё", "е")
    return _WORDISH.sub(lambda m: unify_script(m.group(0)), low)


def named_act(question: str, data_dir: Path) -> Act | None:
    low = _normalised(question)
    for act in legal_data(Path(data_dir)).acts:
        if any(alias in low for alias in act.aliases):
            return act
    return None


def find_article_ref(question: str, data_dir: Path) -> ArticleRef | None:
    """The article (and paragraph) a question asks to open, with the act it names; None when it names none."""
    data = legal_data(Path(data_dir))
    low = _normalised(question)
    match = data.article.search(low)
    if not match:
        return None
    article = match.group(1) or match.group(3)
    paragraph = match.group(2) or ""
    if not paragraph:
        para = data.paragraph.search(low)
        paragraph = (para.group(1) or para.group(2)) if para else ""
    return ArticleRef(article=article, paragraph=paragraph, act=named_act(question, data_dir),
                      language="kk" if match.group(3) else "")


def act_of(chunk: Chunk, data_dir: Path) -> Act | None:
    for act in legal_data(Path(data_dir)).acts:
        if act.owns(chunk):
            return act
    return None


def display_date(value: str) -> str:
    """'2022-06-27' → '27.06.2022'; anything else unchanged."""
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def format_reference(chunk: Chunk, lang: str, as_of: str, data_dir: Path, paragraph: bool = True) -> str:
    """«Закон РК «О государственных услугах» № 88-V, ст. 25, п. 2 (ред. на 27.06.2022)» and its kk/en forms;
    a document outside data/acts.yaml is named by its title."""
    data = legal_data(Path(data_dir))
    parts = data.citation.get(lang) or data.citation["en"]
    act = act_of(chunk, data_dir)
    number = chunk.act or (act.number if act else "")
    name = (act.short.get(lang) or act.short.get("en")) if act else chunk.title
    text = parts["act"].format(name=name, number=number) if number else name
    if chunk.article:
        text += parts["article"].format(article=chunk.article)
        if paragraph and chunk.paragraph:
            text += parts["paragraph"].format(paragraph=chunk.paragraph)
    if as_of:
        text += parts["as_of"].format(as_of=display_date(as_of))
    return text
