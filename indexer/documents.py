"""The things that flow through the indexer: a loaded Document and its Chunks."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A run of text that a chunk may not cross: one page, one section, or one table row."""

    text: str
    page: int | None = None
    section: str = ""
    row: int | None = None
    article: str = ""  # law-like documents: the article ("25", "19-1") and paragraph ("2") of this block
    paragraph: str = ""
    note: str = ""  # the article's amendment notes: kept as metadata, never embedded


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    source: str  # path relative to the corpus root
    doc_type: str
    language: str
    translation_group: str
    blocks: tuple[Block, ...]
    meta: dict = field(default_factory=dict, hash=False, compare=False)
    warnings: tuple[str, ...] = ()
    pages: int | None = None


@dataclass(frozen=True)
class Chunk:
    chunk_id: str  # content hash: source + locator + text
    doc_id: str
    title: str
    source: str
    doc_type: str
    language: str
    translation_group: str
    text: str
    page: int | None
    section: str
    char_start: int
    char_end: int
    row: int | None = None
    act: str = ""  # law-like documents: the act ("88-V" or the document's title), article and paragraph
    article: str = ""
    paragraph: str = ""
    note: str = ""  # amendment notes of the article (who amended it, when): metadata, not embedded

    def embedding_text(self) -> str:
        """What the embedder and BM25 see: the passage with its title and section for context."""
        head = self.title if not self.section else f"{self.title} — {self.section}"
        return f"{head}\n{self.text}"

    def to_dict(self) -> dict:
        return {
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "doc_type": self.doc_type,
            "language": self.language,
            "translation_group": self.translation_group,
            "text": self.text,
            "page": self.page,
            "section": self.section,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "row": self.row,
            "act": self.act,
            "article": self.article,
            "paragraph": self.paragraph,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Chunk":
        return cls(**d)
