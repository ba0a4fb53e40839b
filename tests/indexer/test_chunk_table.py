"""The on-demand chunk table: positions, batched iteration, the cache, indexed lookups, no scan per question,
the format-version message, and answers identical to the in-memory list the store used to hold."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.retrieve.retrieval import Searcher, same_parent
from assistant.service import Assistant
from indexer import chunk_table
from indexer.chunk_table import ChunkList, ChunkTable
from indexer.documents import Chunk
from indexer.errors import IndexFormatError
from indexer.status import is_stale
from indexer.store import CHUNKS, MANIFEST, IndexStore, live_generation, write_generation

ROOT = Path(__file__).resolve().parents[2]


def _chunks(store) -> list[Chunk]:
    return list(store.chunks)


def test_the_store_reads_chunks_on_demand_by_position(small_index):
    store = IndexStore.load(small_index.index_dir)
    assert isinstance(store.chunks, ChunkTable) and (store.folder / CHUNKS).is_file()
    assert not (store.folder / "chunks.jsonl").exists()
    everything = _chunks(store)
    assert len(store.chunks) == len(everything) == store.manifest["chunk_count"] == len(store.vectors) >= 5
    assert [store.chunks[i] for i in range(len(everything))] == everything
    assert store.chunks[-1] == everything[-1] and store.chunks[1:4] == everything[1:4]
    assert store.chunks.many([3, 0, 3]) == [everything[3], everything[0], everything[3]]
    for bad in (len(everything), -len(everything) - 1):
        with pytest.raises(IndexError, match="out of range"):
            store.chunks[bad]


def test_iteration_goes_in_batches_in_position_order(small_index, monkeypatch):
    store = IndexStore.load(small_index.index_dir)
    whole = _chunks(store)
    monkeypatch.setattr(chunk_table, "BATCH", 3)
    before = store.chunks.reads
    assert list(store.chunks) == whole and store.chunks.reads - before == len(whole)
    assert [c.chunk_id for c in whole] == [c.chunk_id for c in store.chunks]


def test_recently_read_rows_come_from_a_bounded_cache(small_index):
    table = ChunkTable(live_generation(small_index.index_dir) / CHUNKS, cache_size=2)
    first = table[0]
    assert table.reads == 1 and table[0] is first and table.reads == 1  # cached: no second read
    table[1], table[2]  # noqa: B018 — fills the cache past its size: row 0 is evicted
    assert table.reads == 3
    assert table[0] == first and table.reads == 4
    table.close()


def test_indexed_lookups_match_a_scan(small_index):
    store = IndexStore.load(small_index.index_dir)
    whole = _chunks(store)
    listed = ChunkList(whole)  # the PostgreSQL store's in-memory form answers the same lookups
    for chunk in whole:
        for where in ({"doc_id": chunk.doc_id}, {"translation_group": chunk.translation_group,
                                                 "language": chunk.language}, {"source": chunk.source}):
            scan = [p for p, c in enumerate(whole) if all(getattr(c, k) == v for k, v in where.items())]
            assert store.chunks.positions(**where) == listed.positions(**where) == scan
    firsts = {}
    for position, chunk in enumerate(whole):
        firsts.setdefault(chunk.source, position)
    assert store.chunks.first_of_each(("source",)) == listed.first_of_each(("source",)) == sorted(firsts.values())
    with pytest.raises(ValueError, match="unknown chunk column"):
        store.chunks.positions(**{"doc_id = doc_id; --": "x"})


def test_a_question_does_not_read_every_chunk(small_index, tmp_path):
    """3,000 passages (a real FAISS index, the real model for the question): a question reads a few rows."""
    real = IndexStore.load(small_index.index_dir)
    base = _chunks(real)
    rng = np.random.default_rng(3)
    chunks, rows = [], []
    for i in range(3000):
        c = base[i % len(base)]
        chunks.append(Chunk(f"x{i}", f"{c.doc_id}-{i // 10}", c.title, f"{c.source}.{i // 10}", c.doc_type,
                            c.language, f"{c.translation_group}-{i // 20}", f"{c.text} ({i})", c.page, c.section,
                            0, len(c.text)))
        rows.append(np.asarray(real.vectors[i % len(base)]) + 0.05 * rng.normal(size=real.vectors.shape[1]))
    vectors = np.asarray(rows, dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = tmp_path / "index"
    write_generation(index, chunks, vectors, dict(real.manifest), hnsw_threshold=50_000)
    searcher = Searcher(small_index.with_overrides(index_dir=index))
    assert searcher.store.chunks.reads == 0  # opening reads no chunk
    hits = searcher.search("land relations workload", k=5)
    expanded = searcher.with_siblings(hits)
    assert hits and len(expanded) >= len(hits)
    assert 0 < searcher.store.chunks.reads < 400, searcher.store.chunks.reads


def test_an_index_in_the_previous_format_says_to_rebuild_with_full(small_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(small_index.index_dir, index)
    manifest_path = live_generation(index) / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps(dict(manifest, format_version=2)), encoding="utf-8")
    with pytest.raises(IndexFormatError) as caught:
        IndexStore.load(index)
    message = str(caught.value)
    assert "format 2" in message and "format 3" in message and "chunks.sqlite" in message
    assert f"python -m indexer build --index {index} --full" in message
    assert is_stale(small_index.with_overrides(index_dir=index))  # the worker rebuilds it by itself


def _sample_questions() -> list[str]:
    general = yaml.safe_load((ROOT / "tests/eval/questions.yaml").read_text(encoding="utf-8"))
    legal = yaml.safe_load((ROOT / "tests/eval/legal_questions.yaml").read_text(encoding="utf-8"))
    return [q["question"] for q in general[::6]] + [q["question"] for q in legal[::5]] + [
        "Что говорится в статье 25 Закона о государственных услугах?", "25-бап не дейді?"]


def test_answers_on_the_shipped_corpus_are_those_of_the_whole_list_in_memory(shipped):
    """The on-demand table against the list of every chunk the store used to hold (ChunkList: the old lookups,
    by scanning once): the same answers, citations and figures, question by question."""
    on_demand = Assistant(shipped)
    in_memory = Assistant(shipped)
    in_memory.searcher.store.chunks = ChunkList(list(on_demand.searcher.store.chunks))
    questions = _sample_questions()
    assert len(questions) > 30
    for question in questions:
        assert on_demand.ask(question).as_dict() == in_memory.ask(question).as_dict(), question


def test_sibling_lookups_follow_the_same_parent_rule(shipped):
    """with_siblings asks the table for a passage's siblings; for every passage of the shipped index the answer is
    what the rule same_parent() gives over the whole document."""
    searcher = Searcher(shipped)
    chunks = searcher.store.chunks
    for chunk in chunks:
        document = chunks.positions(doc_id=chunk.doc_id)
        assert searcher._sibling_positions(chunk) == [p for p in document if same_parent(chunk, chunks[p])]
