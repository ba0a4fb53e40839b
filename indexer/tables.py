"""Read CSV/XLSX tables and turn each row into a readable passage that keeps file, sheet, row and columns."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import SkipFile
from .textio import decode_text

MAX_CELL_CHARS = 300


def read_table_file(path: Path) -> tuple[list, list[str]]:
    """Return ([(sheet_name, DataFrame of strings)], warnings); raise SkipFile when the table is unusable."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path), []
    skipped: list[str] = []
    frame = _read_csv(path, skipped)
    warnings = [f"{len(skipped)} malformed row(s) skipped (first: {skipped[0]})"] if skipped else []
    return [("csv", frame)], warnings


def _read_csv(path: Path, skipped: list[str]):
    import pandas as pd

    text = decode_text(path.read_bytes())
    if not text.strip():
        raise SkipFile("empty table")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            on_bad_lines=lambda fields: skipped.append(sep.join(fields)[:80]), engine="python")
    except Exception as exc:
        raise SkipFile(f"malformed CSV ({type(exc).__name__}: {str(exc)[:120]})") from exc
    if frame.shape[1] < 2 and frame.shape[0] > 0 and sep == ",":
        raise SkipFile("the CSV has a single column: check the separator (comma, semicolon or tab)")
    return frame


def _read_xlsx(path: Path):
    import zipfile

    import pandas as pd

    if not zipfile.is_zipfile(path):
        raise SkipFile("not an Excel workbook (the content is not an XLSX package)")
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:
        raise SkipFile(f"unreadable workbook ({type(exc).__name__}: {str(exc)[:120]})") from exc
    return [(name, frame) for name, frame in sheets.items() if not frame.empty]


def row_passages(file_name: str, sheet: str, frame):
    """Yield (row_number, passage); row numbers count data rows from 1 as a spreadsheet shows them (+1 header)."""
    columns = [str(c).strip() for c in frame.columns]
    where = file_name if sheet == "csv" else f"{file_name}, sheet {sheet}"
    for position, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        cells = [
            f"{col}: {str(val).strip()[:MAX_CELL_CHARS]}"
            for col, val in zip(columns, values)
            if str(val).strip() and not col.lower().startswith("unnamed")
        ]
        if cells:
            yield position, f"{where}, row {position}: " + "; ".join(cells)
