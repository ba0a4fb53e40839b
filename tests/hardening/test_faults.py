"""Faults: kill -9 at random moments of a build, questions during a rebuild, damaged files, concurrent builds."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.retrieve.retrieval import Searcher
from indexer.build import build_index
from indexer.errors import IndexCorruptError
from indexer.settings import Settings
from indexer.store import IndexStore, live_generation
from tests.fixtures import write_corpus

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20


def _corpus(root: Path, notes: int = 30) -> Path:
    write_corpus(root)
    for i in range(notes):
        path = root / f"extra/note-{i:02d}.en.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"## Note {i}\n" + " ".join(
            f"Statement {i}-{j} on public service centres in rural districts of the region." for j in range(25)),
            encoding="utf-8")
    return root


def _build_cmd(corpus: Path, index: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus), "--index", str(index), *extra]


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def test_kill_9_at_random_moments_never_loses_the_index(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    settings = Settings().with_overrides(corpus_dirs=[corpus], index_dir=tmp_path / "index")
    build_index(settings)
    rng = random.Random(2026)
    started = time.perf_counter()
    subprocess.run(_build_cmd(corpus, settings.index_dir, "--full"), env=_env(), cwd=ROOT,
                   capture_output=True, check=True)
    full_build_s = time.perf_counter() - started
    moments = []
    for kill in range(KILLS):
        for n in rng.sample(range(30), 3):  # give every build real work: three notes changed
            path = corpus / f"extra/note-{n:02d}.en.md"
            path.write_text(path.read_text(encoding="utf-8") + f" Revision {kill}.", encoding="utf-8")
        moment = rng.uniform(0.0, full_build_s)
        moments.append(round(moment, 2))
        proc = subprocess.Popen(_build_cmd(corpus, settings.index_dir, "--full"), env=_env(), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        store = IndexStore.load(settings.index_dir)  # verifies every checksum
        assert len(store) > 0
        hits = Searcher(settings, store=store).search("public service centres in rural districts", k=3)
        assert hits and hits[0].chunk.source.startswith("extra/"), moments
    report = build_index(settings)  # a killed build's lock and half-written generation stop nothing
    assert report.written or report.count("unchanged")
    leftovers = [p for p in settings.index_dir.glob("gen-*") if p != live_generation(settings.index_dir)]
    assert len(leftovers) <= 1, "old and half-written generations are pruned"


def test_questions_during_a_rebuild_never_fail(tmp_path):
    corpus = _corpus(tmp_path / "corpus", notes=20)
    settings = Settings().with_overrides(corpus_dirs=[corpus], index_dir=tmp_path / "index")
    build_index(settings)
    searcher = Searcher(settings)
    proc = subprocess.Popen(_build_cmd(corpus, settings.index_dir, "--full"), env=_env(), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    asked, reopened = 0, 0
    while proc.poll() is None:
        assert searcher.search("Сколько жалоб поступило?", k=3)
        asked += 1
        if asked % 5 == 0:  # a new session opening the index mid-build
            assert Searcher(settings).search("land relations workload", k=1)
            reopened += 1
    assert proc.returncode == 0 and asked >= 5 and reopened >= 1
    assert Searcher(settings).store.folder == live_generation(settings.index_dir)


@pytest.mark.parametrize("name, damage", [
    ("chunks.sqlite", "truncate"), ("faiss.index", "flip"), ("manifest.json", "garbage"), ("bm25", "delete"),
])
def test_damaged_index_files_are_detected(small_index, tmp_path, name, damage):
    import shutil

    index = tmp_path / "index"
    shutil.copytree(small_index.index_dir, index)
    target = live_generation(index) / name
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    elif damage == "flip":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "garbage":
        target.write_text("{not json", encoding="utf-8")
    else:
        shutil.rmtree(target)
    with pytest.raises(IndexCorruptError, match="Rebuild it"):
        IndexStore.load(index)


def test_two_builds_at_once_cannot_corrupt_the_index(tmp_path):
    corpus = _corpus(tmp_path / "corpus", notes=10)
    index = tmp_path / "index"
    procs = [subprocess.Popen(_build_cmd(corpus, index), env=_env(), cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    codes = sorted(code for _, _, code in results)
    assert codes[0] == 0
    if codes[1] != 0:  # the second one found the lock
        assert codes[1] == 2 and any("Another build" in err for _, err, _ in results)
    store = IndexStore.load(index)
    assert len(store) > 0
