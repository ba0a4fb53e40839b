"""Sentence-aware chunks (about 120–250 words, small overlap) that never cross a page, section or row."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .documents import Block, Chunk, Document
from .language import detect_language
from .settings import ChunkerSettings

_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+(?=[\"«(\[]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9•\-–—])|\n\s*\n|\n(?=\s*[-*•–]\s)")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    words: int


def sentence_spans(text: str) -> list[Span]:
    """Split text into sentence spans (character offsets); long sentences are cut at word boundaries later."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        if text[start:end].strip():
            spans.append(_span(text, start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(_span(text, start, len(text)))
    return spans


def _span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, len(_WORD.findall(text[start:end])))


def _split_long(text: str, span: Span, max_words: int) -> list[Span]:
    if span.words <= max_words:
        return [span]
    words = list(_WORD.finditer(text, span.start, span.end))
    pieces = []
    for i in range(0, len(words), max_words):
        group = words[i:i + max_words]
        pieces.append(Span(group[0].start(), group[-1].end(), len(group)))
    return pieces


def chunk_spans(text: str, cfg: ChunkerSettings) -> list[tuple[int, int]]:
    """Group sentences into (start, end) windows; consecutive windows overlap by up to cfg.overlap_words."""
    sentences = [piece for s in sentence_spans(text) for piece in _split_long(text, s, cfg.max_words)]
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        j, words = i, 0
        while j < len(sentences) and (words < cfg.target_words) and words + sentences[j].words <= cfg.max_words:
            words += sentences[j].words
            j += 1
        if j == i:  # a single sentence at the limit
            j, words = i + 1, sentences[i].words
        remaining = sum(s.words for s in sentences[j:])
        if 0 < remaining < cfg.min_words // 3 and words + remaining <= cfg.max_words:
            j = len(sentences)  # absorb a short tail rather than leave a fragment
        windows.append((sentences[i].start, sentences[j - 1].end))
        if j >= len(sentences):
            break
        i = _overlap_start(sentences, i, j, cfg.overlap_words)
    return windows


def _overlap_start(sentences: list[Span], i: int, j: int, overlap_words: int) -> int:
    """Start the next window a sentence or two back, as long as the overlap stays small."""
    k, carried = j, 0
    while k - 1 > i and carried + sentences[k - 1].words <= overlap_words:
        k -= 1
        carried += sentences[k].words
    return k


LEGAL_WHOLE_WORDS = 320  # a law's paragraph up to this long stays one passage, its sub-paragraph list whole


def legal_windows(text: str, cfg: ChunkerSettings) -> list[tuple[int, int]]:
    """A paragraph of a law: whole when it fits, else cut between its lines (sub-paragraphs), never inside one
    unless a single line is itself too long."""
    if len(_WORD.findall(text)) <= LEGAL_WHOLE_WORDS:
        return [(0, len(text))]
    windows: list[tuple[int, int]] = []
    start, words, position = None, 0, 0
    for line in text.split("\n"):
        line_start, line_end = position, position + len(line)
        position = line_end + 1
        count = len(_WORD.findall(line))
        if start is not None and words + count > cfg.max_words:
            windows.append((start, line_start - 1))
            start, words = None, 0
        if count > cfg.max_words:
            windows.extend((line_start + a, line_start + b) for a, b in chunk_spans(line, cfg))
            continue
        if start is None:
            start = line_start
        words += count
    if start is not None:
        windows.append((start, len(text)))
    return windows


def chunk_id(source: str, block: Block, start: int, text: str) -> str:
    key = f"{source}\x1f{block.page}\x1f{block.section}\x1f{block.row}\x1f{start}\x1f{text}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def chunk_document(doc: Document, cfg: ChunkerSettings) -> list[Chunk]:
    chunks: list[Chunk] = []
    for block in doc.blocks:
        if block.row is not None:
            windows = [(0, len(block.text))]
        elif block.article:
            windows = legal_windows(block.text, cfg)
        else:
            windows = chunk_spans(block.text, cfg)
        for start, end in windows:
            text = block.text[start:end].strip()
            if not text:
                continue
            language = doc.language if doc.meta.get("language") else detect_language(text, doc.language)
            chunks.append(Chunk(
                chunk_id=chunk_id(doc.source, block, start, text),
                doc_id=doc.doc_id,
                title=doc.title,
                source=doc.source,
                doc_type=doc.doc_type,
                language=language,
                translation_group=doc.translation_group,
                text=text,
                page=block.page,
                section=block.section,
                char_start=start,
                char_end=end,
                row=block.row,
                act=str(doc.meta.get("act") or "") if block.article else "",
                article=block.article,
                paragraph=block.paragraph,
                note=block.note,
            ))
    return chunks
