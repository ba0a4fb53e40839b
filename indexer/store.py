"""The on-disk index: FAISS vectors + BM25 + chunk metadata + manifest, written atomically.

Layout of an index folder:
    CURRENT          name of the live generation (replaced atomically with os.replace)
    .build.lock      held while a build runs
    gen-<stamp>/     manifest.json, chunks.sqlite, vectors.npy, faiss.index, bm25/

Only the FAISS index is read into memory; chunks are read from chunks.sqlite on demand (indexer/chunk_table.py),
vectors and BM25 matrices are memory-mapped, so a large index costs the serving process little RSS.

A build writes a new generation beside the live one and only then points CURRENT at it, so a reader (or a
build killed at any moment, even with kill -9) always finds the last complete generation.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from .analysis import tokenize
from .chunk_table import ChunkTable, write_chunk_table
from .documents import Chunk
from .errors import IndexCorruptError, IndexFormatError, IndexMissingError, ModelMismatchError

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
CHUNKS = "chunks.sqlite"
VECTORS = "vectors.npy"
FAISS_FILE = "faiss.index"
BM25_DIR = "bm25"
FORMAT_VERSION = 3  # 2: chunks carry act, article, paragraph, note; manifest carries grounding
# 3: chunks in an SQLite table read on demand (chunks.sqlite) instead of chunks.jsonl read whole
FORMAT_CHANGES = {3: "chunk metadata moved from chunks.jsonl to the on-demand table chunks.sqlite"}
# HNSW (at hnsw_threshold chunks and above): chosen by measurement in bench/bench_scale.py (README, Benchmarks)
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 256  # 200k mixed synthetic passages, M 32: recall@10 0.80 at 64, 0.89 at 128, 0.94 at 256


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_bytes_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def live_generation(index_dir: Path) -> Path | None:
    pointer = Path(index_dir) / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = Path(index_dir) / name
    return gen if name and (gen / MANIFEST).is_file() else None


def read_manifest(index_dir: Path) -> dict | None:
    gen = live_generation(index_dir)
    if gen is None:
        return None
    try:
        return json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(index_dir, f"unreadable manifest: {exc}") from exc


def _build_faiss(vectors: np.ndarray, hnsw_threshold: int):
    import faiss

    dim = vectors.shape[1]
    if len(vectors) >= hnsw_threshold:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH  # saved in the file; a search for k > efSearch explores k
        kind = "hnsw"
    else:
        index = faiss.IndexFlatIP(dim)
        kind = "flat"
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index, kind


def _build_bm25(chunks: Sequence[Chunk], folder: Path) -> None:
    import bm25s

    retriever = bm25s.BM25()
    corpus_tokens = [tokenize(c.embedding_text()) or ["\u2205"] for c in chunks]
    retriever.index(corpus_tokens, show_progress=False)
    retriever.save(str(folder))


def write_generation(index_dir: Path, chunks: Sequence[Chunk], vectors: np.ndarray, manifest: dict,
                     hnsw_threshold: int) -> Path:
    """Write a complete generation beside the live one, then make it live. Returns its folder."""
    import faiss

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    gen.mkdir()
    write_chunk_table(gen / CHUNKS, chunks)
    with open(gen / VECTORS, "wb") as fh:
        np.save(fh, np.ascontiguousarray(vectors, dtype=np.float32))
        fh.flush()
        os.fsync(fh.fileno())
    index, kind = _build_faiss(vectors, hnsw_threshold)
    faiss.write_index(index, str(gen / FAISS_FILE))
    (gen / BM25_DIR).mkdir()
    _build_bm25(chunks, gen / BM25_DIR)
    files = [CHUNKS, VECTORS, FAISS_FILE] + [f"{BM25_DIR}/{p.name}" for p in sorted((gen / BM25_DIR).iterdir())]
    manifest = dict(manifest, format_version=FORMAT_VERSION, faiss_index=kind, chunk_count=len(chunks),
                    checksums={name: sha256_file(gen / name) for name in files})
    _write_bytes_synced(gen / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    _fsync_dir(gen)
    _point_current_at(index_dir, gen)
    prune_generations(index_dir)
    return gen


def _point_current_at(index_dir: Path, gen: Path) -> None:
    tmp = index_dir / f".{CURRENT}.{os.getpid()}.tmp"
    _write_bytes_synced(tmp, gen.name.encode("utf-8"))
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)


def prune_generations(index_dir: Path, keep: int = 2) -> None:
    """Remove old and half-written generations; keep the live one and the one before it (readers in flight)."""
    live = live_generation(index_dir)
    gens = sorted((p for p in Path(index_dir).glob("gen-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    complete = [g for g in gens if (g / MANIFEST).is_file()]
    keep_set = {live} | set(complete[-keep:]) if live else set(complete[-keep:])
    for gen in gens:
        if gen not in keep_set:
            shutil.rmtree(gen, ignore_errors=True)
    for tmp in Path(index_dir).glob(f".{CURRENT}.*.tmp"):
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class SearchHit:
    position: int
    score: float


class IndexStore:
    """A loaded, read-only generation of the index."""

    def __init__(self, gen: Path, manifest: dict, chunks: ChunkTable, vectors: np.ndarray, faiss_index, bm25):
        self.folder = gen
        self.manifest = manifest
        self.chunks = chunks
        self.vectors = vectors
        self._faiss = faiss_index
        self._bm25 = bm25

    @property
    def embedder_identity(self) -> str:
        return f"{self.manifest['embedder']['backend']}:{self.manifest['embedder']['model']}"

    def __len__(self) -> int:
        return len(self.chunks)

    @classmethod
    def load(cls, index_dir: Path, verify: bool = True) -> "IndexStore":
        import bm25s

        index_dir = Path(index_dir)
        gen = live_generation(index_dir)
        if gen is None:
            raise IndexMissingError(index_dir)
        manifest = read_manifest(index_dir)
        found = manifest.get("format_version", 1)
        if found != FORMAT_VERSION:
            raise IndexFormatError(index_dir, found, FORMAT_VERSION, FORMAT_CHANGES.get(FORMAT_VERSION, ""))
        if verify:
            verify_checksums(index_dir, gen, manifest)
        try:
            chunks = ChunkTable(gen / CHUNKS)
            vectors = np.load(gen / VECTORS, mmap_mode="r")
            faiss_index = _read_faiss(gen / FAISS_FILE)
            bm25 = bm25s.BM25.load(str(gen / BM25_DIR), mmap=True)
        except Exception as exc:
            raise IndexCorruptError(index_dir, f"{type(exc).__name__}: {exc}") from exc
        if len(chunks) != manifest.get("chunk_count") or len(vectors) != len(chunks):
            raise IndexCorruptError(index_dir, "chunk count differs from the manifest")
        return cls(gen, manifest, chunks, vectors, faiss_index, bm25)

    def grounding_bar(self, lang: str) -> float | None:
        return grounding_bar(self.manifest, lang)

    def close(self) -> None:
        self.chunks.close()

    def check_embedder(self, identity: str) -> None:
        if identity != self.embedder_identity:
            raise ModelMismatchError(self.embedder_identity, identity, self.folder.parent)

    def search_dense(self, query_vector: np.ndarray, k: int) -> list[SearchHit]:
        if not len(self.chunks):
            return []
        k = min(k, len(self.chunks))
        scores, ids = self._faiss.search(np.asarray(query_vector, dtype=np.float32)[None, :], k)
        return [SearchHit(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def term_weights(self) -> dict[str, float]:
        """IDF of every indexed term (rare terms weigh more), read from the BM25 matrix; computed once."""
        if not hasattr(self, "_idf"):
            indptr = np.asarray(self._bm25.scores["indptr"])
            df = np.diff(indptr)
            n = max(1, int(self._bm25.scores["num_docs"]))
            self._idf = {term: float(np.log((n + 1) / (df[i] + 0.5))) for term, i in self._bm25.vocab_dict.items()
                         if i < len(df)}
        return self._idf

    def search_bm25(self, query: str, k: int) -> list[SearchHit]:
        tokens = tokenize(query)
        if not tokens or not len(self.chunks):
            return []
        k = min(k, len(self.chunks))
        ids, scores = self._bm25.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [SearchHit(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if s > 0]


def _read_faiss(path: Path):
    """The FAISS index memory-mapped where this FAISS can (its vectors stay in the page cache, not the heap)."""
    import faiss

    flag = getattr(faiss, "IO_FLAG_MMAP_IFC", None)
    if flag is not None:
        try:
            return faiss.read_index(str(path), flag | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError as exc:  # an index type this FAISS cannot map: read it whole
            log.debug("FAISS cannot memory-map %s (%s); reading it into memory", path, exc)
    return faiss.read_index(str(path))


def verify_checksums(index_dir: Path, gen: Path, manifest: dict) -> None:
    for name, expected in manifest.get("checksums", {}).items():
        path = gen / name
        if not path.is_file():
            raise IndexCorruptError(index_dir, f"{name} is missing")
        if sha256_file(path) != expected:
            raise IndexCorruptError(index_dir, f"{name} does not match its checksum")


def grounding_bar(manifest: dict, lang: str) -> float | None:
    """The cosine a question's best passage must reach to be answered, calibrated for an index at build time
    (indexer/grounding.py) and kept in its manifest; None when the index was too small to calibrate."""
    return (manifest.get("grounding") or {}).get("bars", {}).get(lang)
