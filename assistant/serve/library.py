"""The user's document library: safe uploads confined to one folder, type checked by content, size-limited."""
from __future__ import annotations

import re
import unicodedata
import zipfile
from io import BytesIO
from pathlib import Path

from indexer.errors import QoljetimError

ALLOWED = (".pdf", ".docx", ".txt", ".md", ".csv", ".xlsx")


class UploadError(QoljetimError):
    """An upload refused, with the reason in plain words."""


def safe_name(name: str) -> str:
    """A file name with no folders, control characters or leading dots; keeps letters of any script."""
    base = Path(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"[^\w.\- ]+", "_", base, flags=re.U).strip(" .")
    return base[:120] or "document"


def sniff_type(data: bytes, suffix: str) -> str | None:
    """The extension the content really has, or None when it matches no supported type."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if any(n.startswith("word/") for n in names):
            return ".docx"
        if any(n.startswith("xl/") for n in names):
            return ".xlsx"
        return None
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return suffix if suffix in (".txt", ".md", ".csv") else None


def save_upload(library_dir: Path, name: str, data: bytes, max_bytes: int) -> Path:
    """Store an uploaded file in the library folder; raise UploadError with a plain reason when refused."""
    clean = safe_name(name)
    suffix = Path(clean).suffix.lower()
    if suffix not in ALLOWED:
        raise UploadError(f"{clean}: this file type is not supported (allowed: {', '.join(ALLOWED)})")
    if not data:
        raise UploadError(f"{clean}: the file is empty")
    if len(data) > max_bytes:
        raise UploadError(f"{clean}: the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
    real = sniff_type(data, suffix)
    if real != suffix:
        raise UploadError(f"{clean}: the content is not a {suffix} file (it looks like "
                          f"{real or 'binary data'}); check that it is the right file")
    library = Path(library_dir).resolve()
    library.mkdir(parents=True, exist_ok=True)
    target = (library / clean).resolve()
    if target.parent != library:
        raise UploadError(f"{clean}: the file name points outside the library folder")
    target.write_bytes(data)
    return target


def remove_document(library_dir: Path, name: str) -> None:
    library = Path(library_dir).resolve()
    target = (library / safe_name(name)).resolve()
    if target.parent != library or not target.is_file():
        raise UploadError(f"{name}: not a document of the library folder")
    target.unlink()


def library_files(library_dir: Path) -> list[Path]:
    folder = Path(library_dir)
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []


def add_uploads(library_dir: Path, files: list[tuple[str, bytes]], max_bytes: int) -> list[tuple[str, bool, str]]:
    """Save each (name, content); returns (name, saved?, plain message) per file — one bad file stops nothing."""
    results = []
    for name, data in files:
        try:
            path = save_upload(library_dir, name, data, max_bytes)
            results.append((name, True, path.name))
        except UploadError as exc:
            results.append((name, False, str(exc)))
    return results


def waiting_files(settings) -> list[dict]:
    """Corpus files the live index does not hold yet (new or changed) and indexed files since removed:
    what the next build job will take up. Each: {source, change: new | changed | removed}."""
    from indexer.build import file_hash, scan_corpus
    from indexer.errors import IndexCorruptError
    from indexer.store import read_manifest

    try:
        manifest = read_manifest(settings.index_dir) or {}
    except IndexCorruptError:
        manifest = {}
    known = manifest.get("documents", {})
    files = {f.source: f.path for f in scan_corpus(settings.corpus_dirs)}
    waiting = [{"source": s, "change": "new"} for s in sorted(set(files) - set(known))]
    waiting += [{"source": s, "change": "changed"} for s in sorted(set(files) & set(known))
                if known[s].get("hash") != file_hash(files[s])]
    waiting += [{"source": s, "change": "removed"} for s in sorted(set(known) - set(files))]
    return waiting
