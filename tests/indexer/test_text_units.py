"""Language detection, chunking and BM25 token analysis."""
from __future__ import annotations

import pytest

from indexer.analysis import normalise_kazakh, tokenize
from indexer.chunking import chunk_document, chunk_spans
from indexer.documents import Block, Document
from indexer.language import detect_language
from indexer.settings import ChunkerSettings


@pytest.mark.parametrize("text, expected", [
    ("Нагрузка на сотрудников управления земельных отношений выросла.", "ru"),
    ("Жер қатынастары бөлімінің қызметкерлеріне түсетін жүктеме өсті.", "kk"),
    ("The workload of land relations staff has grown.", "en"),
    ("Отчёт акимата Западно-Казахстанской области (Батыс Қазақстан облысы) за 2024 год о государственных "
     "услугах, жалобах и нарушениях в сфере здравоохранения и земельных отношений.", "ru"),
    ("12345 — 678", "en"),
])
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def _sentences(n: int, words: int = 12) -> str:
    return " ".join(f"Sentence {i} " + " ".join(["word"] * (words - 3)) + " end." for i in range(n))


def test_chunks_respect_size_and_overlap():
    cfg = ChunkerSettings()
    text = _sentences(120)
    windows = chunk_spans(text, cfg)
    sizes = [len(text[a:b].split()) for a, b in windows]
    assert all(s <= cfg.max_words for s in sizes)
    assert all(s >= cfg.min_words for s in sizes[:-1])
    for (a1, b1), (a2, b2) in zip(windows, windows[1:]):
        assert a2 < b1, "consecutive chunks overlap"
        assert len(text[a2:b1].split()) <= cfg.overlap_words


def test_no_text_lost_and_long_sentence_cut():
    cfg = ChunkerSettings()
    text = "Intro sentence here. " + " ".join(f"w{i}" for i in range(700)) + ". Closing sentence."
    windows = chunk_spans(text, cfg)
    covered = set()
    for a, b in windows:
        covered.update(range(a, b))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert all(len(text[a:b].split()) <= cfg.max_words for a, b in windows)


def test_chunks_never_cross_pages_and_keep_provenance():
    blocks = (Block(_sentences(30), page=1), Block(_sentences(30), page=2, section="Results"))
    doc = Document("d1", "Title", "folder/d1.pdf", "document", "en", "g1", blocks)
    chunks = chunk_document(doc, ChunkerSettings())
    assert {c.page for c in chunks} == {1, 2}
    for chunk in chunks:
        block = blocks[chunk.page - 1]
        assert block.text[chunk.char_start:chunk.char_end].strip() == chunk.text
        assert chunk.source == "folder/d1.pdf" and chunk.doc_id == "d1"
    assert [c.section for c in chunks if c.page == 2][0] == "Results"
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_chunk_language_is_detected_per_chunk_without_front_matter():
    blocks = (Block("Это русский текст о государственных услугах и жалобах граждан.", page=1),
              Block("Бұл мемлекеттік қызметтер мен азаматтардың шағымдары туралы қазақ тіліндегі мәтін.", page=2))
    doc = Document("d", "T", "d.pdf", "document", "ru", "d", blocks)
    assert [c.language for c in chunk_document(doc, ChunkerSettings())] == ["ru", "kk"]


@pytest.mark.parametrize("word, stem", [
    ("шағымдар", "шағым"), ("шағымдардың", "шағым"), ("ауданында", "аудан"), ("ауданындағы", "аудан"),
    ("облысы", "облыс"), ("облыстың", "облыс"), ("қызметтер", "қызмет"), ("басқармасының", "басқарма"),
    ("жүктемесі", "жүктеме"), ("аудандарда", "аудан"), ("жер", "жер"),
    ("жергілікті", "жергілікт"),  # "local" keeps its root: it is not жер "land"
])
def test_kazakh_normaliser(word, stem):
    assert normalise_kazakh(word) == stem


def test_tokenize_is_language_aware():
    assert tokenize("Нагрузка управлений") == tokenize("нагрузки управления")
    assert tokenize("departments overloaded") == tokenize("department overload")
    assert tokenize("Шағымдар саны") == tokenize("шағым саны")
    assert "и" not in tokenize("жалобы и нарушения") and "the" not in tokenize("the complaints")
    assert tokenize("0,67 и 1.71") == ["0.67", "1.71"]
