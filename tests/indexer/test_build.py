"""Build, incremental rebuild, atomic swap, model mismatch — with the real embedder and FAISS."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.embedding import SentenceTransformerEmbedder
from indexer.errors import IndexCorruptError, IndexLockedError, ModelMismatchError
from indexer.settings import Settings
from indexer.status import index_status, is_stale
from indexer.store import IndexStore, live_generation
from tests.fixtures import CORPUS, make_pdf, write_corpus

ROOT = Path(__file__).resolve().parents[2]


def _settings(tmp_path: Path, **kw) -> Settings:
    corpus = write_corpus(tmp_path / "corpus")
    return Settings().with_overrides(corpus_dirs=[corpus], index_dir=tmp_path / "index", **kw)


def test_build_reports_every_file_and_keeps_going(tmp_path):
    settings = _settings(tmp_path)
    corpus = settings.corpus_dirs[0]
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "fake.pdf").write_bytes(b"this is not a pdf at all")
    make_pdf(corpus / "report.pdf", ["Page one on the e-government portal.", "Page two on service fairs."])
    report = build_index(settings)
    by_source = {o.source: o for o in report.outcomes}
    assert by_source["empty.txt"].status == "skipped" and "empty" in by_source["empty.txt"].reason
    assert by_source["fake.pdf"].status == "skipped" and "not a PDF" in by_source["fake.pdf"].reason
    assert by_source["report.pdf"].status == "indexed" and by_source["report.pdf"].chunks == 2
    assert report.count("indexed") == len(CORPUS) + 1
    store = IndexStore.load(settings.index_dir)
    assert len(store) == report.chunk_count and store.vectors.shape == (report.chunk_count, 384)
    pages = sorted(c.page for c in store.chunks if c.source == "report.pdf")
    assert pages == [1, 2]
    status = index_status(settings.index_dir)
    assert status["ready"] and {d["source"] for d in status["skipped"]} == {"empty.txt", "fake.pdf"}


def test_incremental_rebuild_reuses_embeddings_and_drops_deleted(tmp_path):
    settings = _settings(tmp_path)
    first = build_index(settings)
    assert first.embedded == first.chunk_count
    assert not is_stale(settings)

    again = build_index(settings)
    assert not again.written and again.embedded == 0

    corpus = settings.corpus_dirs[0]
    (corpus / "practices/estonia.en.md").unlink()
    changed = corpus / "concepts/seminar.ru.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nДобавлен новый абзац о формате семинара.\n",
                       encoding="utf-8")
    assert is_stale(settings)
    third = build_index(settings)
    statuses = {o.source: o.status for o in third.outcomes}
    assert statuses["practices/estonia.en.md"] == "removed"
    assert statuses["concepts/seminar.ru.md"] == "indexed"
    assert statuses["findings/complaints.kk.md"] == "unchanged"
    assert 1 <= third.embedded <= 2, "only the changed note is embedded again"
    store = IndexStore.load(settings.index_dir)
    assert "practices/estonia.en.md" not in {c.source for c in store.chunks}


def test_tokens_of_another_tokenizer_version_are_rebuilt_with_the_vectors_kept(tmp_path):
    import json
    settings = _settings(tmp_path)
    build_index(settings)
    manifest = next(settings.index_dir.glob("gen-*/manifest.json"))
    old = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**old, "analysis": "older"}), encoding="utf-8")  # as an older release wrote it
    assert is_stale(settings)
    again = build_index(settings)
    assert again.written and again.embedded == 0  # BM25 tokens redone, no vector recomputed
    assert not is_stale(settings)


def test_model_mismatch_says_rebuild(tmp_path):
    settings = _settings(tmp_path)
    build_index(settings)
    store = IndexStore.load(settings.index_dir)
    minilm = SentenceTransformerEmbedder()
    with pytest.raises(ModelMismatchError, match="Rebuild the index"):
        store.check_embedder(minilm.identity)


def test_sentence_transformers_backend_builds_and_searches(tmp_path):
    from assistant.retrieve.retrieval import Searcher

    settings = _settings(tmp_path, embedder_backend="sentence-transformers")
    report = build_index(settings)
    assert report.written
    store = IndexStore.load(settings.index_dir)
    assert store.manifest["embedder"]["identity"] == "sentence-transformers:all-MiniLM-L6-v2"
    hits = Searcher(settings, store=store).search("secure data exchange between agencies", k=1)
    assert hits[0].chunk.doc_id == "estonia-en"


def test_corrupted_index_file_is_detected(tmp_path):
    settings = _settings(tmp_path)
    build_index(settings)
    gen = live_generation(settings.index_dir)
    with open(gen / "vectors.npy", "r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00garbage\x00")
    with pytest.raises(IndexCorruptError, match="vectors.npy does not match its checksum.*Rebuild"):
        IndexStore.load(settings.index_dir)


def test_second_build_while_locked_is_refused(tmp_path):
    from filelock import FileLock

    settings = _settings(tmp_path)
    settings.index_dir.mkdir(parents=True)
    with FileLock(str(settings.index_dir / ".build.lock")):
        with pytest.raises(IndexLockedError, match="Another build"):
            build_index(settings)


def test_kill_9_during_build_leaves_last_good_index(tmp_path):
    settings = _settings(tmp_path)
    build_index(settings)
    before = IndexStore.load(settings.index_dir)
    corpus = settings.corpus_dirs[0]
    for i in range(40):  # enough new text that the next build is still embedding when it is killed
        (corpus / f"extra/note-{i}.en.md").parent.mkdir(exist_ok=True)
        (corpus / f"extra/note-{i}.en.md").write_text(
            f"## Note {i}\n" + " ".join(f"Public service statement number {i}-{j} about rural districts."
                                        for j in range(40)), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "indexer", "build", "--corpus", str(corpus),
                             "--index", str(settings.index_dir)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    loaded = threading.Event()
    threading.Thread(target=_wait_for_lines, args=(proc, "extra/note-", 40, loaded), daemon=True).start()
    assert loaded.wait(timeout=120), "the build never reached the embedding step"
    time.sleep(1.0)  # well inside the embedding of ~80 new chunks (about 20 s on 2 cores)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = IndexStore.load(settings.index_dir)
    assert after.folder == before.folder and len(after) == len(before)
    report = build_index(settings)  # the lock of the killed build does not block the next one
    assert report.written and report.count("indexed") == 40


def _wait_for_lines(proc, marker: str, count: int, done: threading.Event) -> None:
    seen = 0
    for line in proc.stdout:
        seen += marker in line
        if seen >= count:
            done.set()
