"""Load PDF, Markdown, TXT, DOCX and CSV/XLSX files into one Document type.

Every loader raises SkipFile with a plain reason when a file cannot be used; it never lets a library error
escape, so one bad file cannot stop a build.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from .documents import Block, Document
from .errors import SkipFile
from .language import detect_language
from .legal import legal_blocks, looks_legal, parse_legal_lines
from .pdftext import clean_pages
from .textio import decode_text
from . import tables

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".pdf", ".md", ".markdown", ".txt", ".docx", ".csv", ".xlsx")
FOLDER_TYPES = {
    "legal": "law",
    "regulations": "regulation",
    "concepts": "concept",
    "findings": "finding",
    "practices": "practice",
    "playbook": "playbook",
    "project": "project",
    "tables": "data",
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_TXT_HEADING = re.compile(
    r"^\s*((Статья|Глава|Раздел|Article|Chapter|Section)\s+\d+[\-\d.]*|\d+[\-\d]*-(бап|тарау))\b.{0,200}$",
    re.I,
)


def load_file(path: Path, root: Path, source: str, max_bytes: int) -> Document:
    """Load one file; `source` is its path relative to the corpus root, used in citations."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkipFile(f"unsupported file type {suffix or '(none)'}")
    size = path.stat().st_size
    if size == 0:
        raise SkipFile("empty file (0 bytes)")
    if size > max_bytes:
        raise SkipFile(f"file too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
    loader = {
        ".pdf": _load_pdf,
        ".md": _load_markdown,
        ".markdown": _load_markdown,
        ".txt": _load_text,
        ".docx": _load_docx,
        ".csv": _load_table,
        ".xlsx": _load_table,
    }[suffix]
    try:
        doc = loader(path, source)
    except SkipFile:
        raise
    except Exception as exc:  # a library error on a malformed file: report it, keep going
        log.debug("loader failed on %s", path, exc_info=True)
        raise SkipFile(f"could not read the file ({type(exc).__name__}: {str(exc)[:160]})") from exc
    if not any(b.text.strip() for b in doc.blocks):
        raise SkipFile("no text found in the file")
    return doc


def default_type(source: str) -> str:
    parts = Path(source).parts
    for part in parts[:-1]:
        if part in FOLDER_TYPES:
            return FOLDER_TYPES[part]
    return "document"


def doc_id_from_source(source: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", source)
    return re.sub(r"[^\w.-]+", "-", stem, flags=re.U).strip("-").lower()


def _title_from_source(source: str) -> str:
    return Path(source).stem.replace("_", " ").replace("-", " ").strip()


def _make_document(source: str, blocks: list[Block], title: str = "", meta: dict | None = None,
                   warnings: tuple[str, ...] = (), pages: int | None = None) -> Document:
    meta = dict(meta or {})
    text_sample = " ".join(b.text for b in blocks[:50])
    language = str(meta.get("language") or detect_language(text_sample))
    doc_id = str(meta.get("id") or doc_id_from_source(source))
    return Document(
        doc_id=doc_id,
        title=str(meta.get("title") or title or _title_from_source(source)),
        source=source,
        doc_type=str(meta.get("type") or default_type(source)),
        language=language,
        translation_group=str(meta.get("translation_group") or doc_id),
        blocks=tuple(blocks),
        meta=meta,
        warnings=warnings,
        pages=pages,
    )


# --- PDF -------------------------------------------------------------------------------------------------

def _load_pdf(path: Path, source: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise SkipFile("not a PDF file (the content has no PDF header)")
    try:
        reader = PdfReader(str(path), strict=False)
        encrypted = reader.is_encrypted
    except PdfReadError as exc:
        raise SkipFile(f"corrupt or truncated PDF ({str(exc)[:120]})") from exc
    if encrypted:
        _decrypt_with_empty_password(reader)
    pages = clean_pages([_page_text(page) for page in reader.pages])
    lines = [(line, number) for number, text in enumerate(pages, start=1) for line in text.splitlines()]
    if looks_legal([line for line, _ in lines]):
        blocks = legal_blocks(parse_legal_lines(lines))
    else:
        blocks = [Block(text=text, page=number) for number, text in enumerate(pages, start=1) if text.strip()]
    page_count = len(reader.pages)
    chars = sum(len(b.text.strip()) for b in blocks)
    if chars < 20 * max(1, min(page_count, 5)) // 2 or not blocks:
        raise SkipFile(f"scanned PDF with no text layer ({page_count} page(s)): needs OCR before indexing")
    title = ""
    try:
        title = (reader.metadata.title or "") if reader.metadata else ""
    except Exception:  # broken metadata is no reason to lose the text
        title = ""
    return _make_document(source, blocks, title=str(title).strip(), pages=page_count)


def _decrypt_with_empty_password(reader) -> None:
    try:
        result = reader.decrypt("")
    except Exception as exc:
        raise SkipFile(f"encrypted PDF that cannot be opened ({type(exc).__name__}); save an unprotected copy") from exc
    if not result:
        raise SkipFile("encrypted PDF: it needs a password; save an unprotected copy and add that instead")


def _page_text(page) -> str:
    try:
        text = page.extract_text() or ""
    except Exception as exc:  # image codecs (JBIG2 and others) raise here on scanned pages
        log.debug("page text extraction failed: %s", exc)
        return ""
    return text.replace("\x00", "")


# --- Markdown --------------------------------------------------------------------------------------------

def parse_front_matter(text: str) -> tuple[dict, str, tuple[str, ...]]:
    """Split YAML front matter from the body. Broken front matter is reported, the body still returned."""
    import yaml

    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, ()
    body = text[match.end():]
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else "syntax error"
        return {}, body, (f"broken front matter ignored ({first_line}); the body was indexed",)
    if not isinstance(meta, dict):
        return {}, body, ("front matter is not a key: value mapping; ignored, the body was indexed",)
    return meta, body, ()


def _load_markdown(path: Path, source: str) -> Document:
    text = decode_text(path.read_bytes())
    meta, body, warnings = parse_front_matter(text)
    lines = body.splitlines()
    if looks_legal(lines):
        blocks = legal_blocks(parse_legal_lines([(line, None) for line in lines], markdown=True))
    else:
        blocks = _split_sections(lines, _markdown_heading)
    title = ""
    for line in body.splitlines():
        heading = _markdown_heading(line)
        if heading:
            title = heading
            break
    return _make_document(source, blocks, title=title, meta=meta, warnings=warnings)


def _markdown_heading(line: str) -> str | None:
    match = _MD_HEADING.match(line)
    return match.group(2).strip().strip("*").strip() if match else None


def _txt_heading(line: str) -> str | None:
    return line.strip()[:150] if _TXT_HEADING.match(line) else None


def _split_sections(lines: list[str], heading_of, keep_heading: bool = False) -> list[Block]:
    """Cut lines into blocks at headings; plain-text headings ("Статья 5. …") also stay in the text."""
    blocks: list[Block] = []
    section, buffer = "", []

    def flush():
        text = "\n".join(buffer).strip()
        if text:
            blocks.append(Block(text=text, section=section))

    for line in lines:
        heading = heading_of(line)
        if heading:
            flush()
            section, buffer = heading, [line] if keep_heading else []
        else:
            buffer.append(line)
    flush()
    return blocks


# --- TXT -------------------------------------------------------------------------------------------------

def _load_text(path: Path, source: str) -> Document:
    lines = decode_text(path.read_bytes()).splitlines()
    if looks_legal(lines):
        blocks = legal_blocks(parse_legal_lines([(line, None) for line in lines]))
    else:
        blocks = _split_sections(lines, _txt_heading, keep_heading=True)
    return _make_document(source, blocks)


# --- DOCX ------------------------------------------------------------------------------------------------

def _load_docx(path: Path, source: str) -> Document:
    import zipfile

    if not zipfile.is_zipfile(path):
        raise SkipFile("not a Word document (the content is not a DOCX package)")
    import docx

    document = docx.Document(str(path))
    texts = [line.strip() for p in document.paragraphs for line in p.text.splitlines() if line.strip()]
    if looks_legal(texts):
        blocks = legal_blocks(parse_legal_lines([(text, None) for text in texts])) + _docx_tables(document)
        return _make_document(source, blocks, title=(document.core_properties.title or "").strip())
    blocks: list[Block] = []
    section, buffer = "", []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        text = paragraph.text.strip()
        if not text:
            continue
        if style.startswith(("heading", "заголовок", "title")):
            if buffer:
                blocks.append(Block(text="\n".join(buffer), section=section))
            section, buffer = text, []
        else:
            buffer.append(text)
    if buffer:
        blocks.append(Block(text="\n".join(buffer), section=section))
    blocks.extend(_docx_tables(document))
    title = (document.core_properties.title or "").strip()
    return _make_document(source, blocks, title=title)


def _docx_tables(document) -> list[Block]:
    blocks = []
    for number, table in enumerate(document.tables, start=1):
        rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
        if any(r.strip(" |") for r in rows):
            blocks.append(Block(text="\n".join(rows), section=f"Table {number}"))
    return blocks


# --- CSV / XLSX ------------------------------------------------------------------------------------------

def _load_table(path: Path, source: str) -> Document:
    sheets, warnings = tables.read_table_file(path)
    blocks = []
    for sheet_name, frame in sheets:
        for row_number, passage in tables.row_passages(Path(source).name, sheet_name, frame):
            blocks.append(Block(text=passage, section=sheet_name, row=row_number))
    if not blocks:
        raise SkipFile("the table has no data rows")
    return _make_document(source, blocks, warnings=tuple(warnings))
