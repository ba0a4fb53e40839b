"""What the index holds, for the CLI and the app: readiness, counts, documents, build time, staleness."""
from __future__ import annotations

from pathlib import Path

from .analysis import ANALYSIS_VERSION
from .build import embedder_identity, file_hash, scan_corpus
from .errors import IndexCorruptError
from .settings import Settings
from .store import FORMAT_VERSION, read_manifest


def index_status(index_dir: Path) -> dict:
    try:
        manifest = read_manifest(index_dir)
    except IndexCorruptError as exc:
        return {"ready": False, "summary": str(exc), "documents": [], "skipped": []}
    if manifest is None:
        return {"ready": False, "documents": [], "skipped": [],
                "summary": f"No index in {index_dir}. Build it: python -m indexer build --index {index_dir}"}
    docs = [dict(source=s, **d) for s, d in sorted(manifest["documents"].items())]
    skipped = [d for d in docs if d["status"] == "skipped"]
    counts = manifest["counts"]
    summary = (f"Index {index_dir}: {counts['indexed']} documents, {manifest['chunk_count']} chunks, "
               f"{counts['skipped']} skipped; embedder {manifest['embedder']['identity']} "
               f"(dim {manifest['embedder']['dim']}), {manifest['faiss_index']} search; built {manifest['built_at']} "
               f"in {manifest['build_seconds']} s")
    return {"ready": manifest["chunk_count"] > 0, "summary": summary, "documents": docs, "skipped": skipped,
            "manifest": {k: v for k, v in manifest.items() if k != "documents"}}


def is_stale(settings: Settings) -> bool:
    """True when the index is missing, built with another embedder, chunker or tokenizer version, or the corpus
    files differ from it."""
    try:
        manifest = read_manifest(settings.index_dir)
    except IndexCorruptError:
        return True
    if manifest is None or manifest["embedder"].get("identity") != embedder_identity(settings):
        return True
    if manifest.get("format_version", 1) != FORMAT_VERSION:
        return True
    if manifest.get("chunker") != settings.chunker.as_dict() or manifest.get("analysis") != ANALYSIS_VERSION:
        return True  # another chunker, or BM25 tokens made by another tokenizer version
    files = {f.source: f.path for f in scan_corpus(settings.corpus_dirs)}
    known = manifest["documents"]
    if set(files) != set(known):
        return True
    return any(file_hash(path) != known[source]["hash"] for source, path in files.items())
