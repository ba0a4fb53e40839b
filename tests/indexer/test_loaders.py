from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import SkipFile
from indexer.loaders import load_file
from tests.fixtures import (DEJAVU, make_docx, make_encrypted_pdf, make_image_only_pdf, make_pdf, make_xlsx,
                            markdown)

MAX = 50_000_000


def load(path: Path):
    return load_file(path, path.parent, path.name, MAX)


def test_pdf_keeps_page_numbers(tmp_path):
    pdf = make_pdf(tmp_path / "report.pdf", [
        "First page about the public services register and its electronic services.",
        "Second page about complaints and the restoration of rights of citizens.",
        "Third page about the workload coefficient of local executive bodies.",
    ])
    doc = load(pdf)
    assert [b.page for b in doc.blocks] == [1, 2, 3]
    assert "complaints" in doc.blocks[1].text and "workload" in doc.blocks[2].text
    assert doc.pages == 3 and doc.language == "en"


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu font not installed; Cyrillic PDF cannot be drawn")
def test_pdf_with_cyrillic_text_is_russian(tmp_path):
    pdf = make_pdf(tmp_path / "ru.pdf", ["Государственные услуги оказываются через портал электронного "
                                         "правительства и центры обслуживания населения."], font_path=DEJAVU)
    doc = load(pdf)
    assert doc.language == "ru"
    assert "электронного" in doc.blocks[0].text


def test_encrypted_pdf_with_empty_password_opens(tmp_path):
    plain = make_pdf(tmp_path / "plain.pdf", ["Open text behind an empty password about public services."])
    locked = make_encrypted_pdf(tmp_path / "empty-pw.pdf", plain, user_password="")
    doc = load(locked)
    assert "public services" in doc.blocks[0].text


def test_encrypted_pdf_with_password_is_reported(tmp_path):
    plain = make_pdf(tmp_path / "plain.pdf", ["Secret text about public services."])
    locked = make_encrypted_pdf(tmp_path / "locked.pdf", plain, user_password="s3cret")
    with pytest.raises(SkipFile, match="encrypted PDF: it needs a password"):
        load(locked)


def test_image_only_pdf_needs_ocr(tmp_path):
    with pytest.raises(SkipFile, match="scanned PDF with no text layer.*needs OCR"):
        load(make_image_only_pdf(tmp_path / "scan.pdf"))


def test_markdown_front_matter_and_sections(tmp_path):
    path = tmp_path / "note.ru.md"
    path.write_text(markdown({"id": "n1", "title": "Заметка", "type": "finding", "language": "ru",
                              "translation_group": "g1", "sources": [{"author": "A", "year": 2025}]},
                             "Вступление без заголовка.\n\n## Нагрузка\nТекст о нагрузке.\n## Жалобы\nТекст о жалобах.\n"),
                    encoding="utf-8")
    doc = load(path)
    assert (doc.doc_id, doc.title, doc.doc_type, doc.language, doc.translation_group) == \
        ("n1", "Заметка", "finding", "ru", "g1")
    assert [b.section for b in doc.blocks] == ["", "Нагрузка", "Жалобы"]
    assert doc.meta["sources"][0]["year"] == 2025


def test_markdown_missing_fields_get_defaults(tmp_path):
    folder = tmp_path / "concepts"
    folder.mkdir()
    path = folder / "workload.md"
    path.write_text(markdown({"title": "Жүктеме"}, "## Анықтама\nЖүктеме коэффициенті қызметкерге шаққандағы "
                                                 "қызметтер санын көрсетеді.\n"), encoding="utf-8")
    doc = load_file(path, tmp_path, "concepts/workload.md", MAX)
    assert doc.doc_id == "concepts-workload"
    assert doc.doc_type == "concept" and doc.language == "kk" and doc.translation_group == doc.doc_id


def test_markdown_broken_front_matter_is_reported_and_body_kept(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\nid: x: y\n---\n## Body\nThe body text still counts.\n", encoding="utf-8")
    doc = load(path)
    assert any("broken front matter" in w for w in doc.warnings)
    assert "still counts" in doc.blocks[0].text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1251"])
def test_text_encodings(tmp_path, encoding):
    text = ("Статья 25. Жалоба на действия услугодателя рассматривается в течение пяти рабочих дней. "
            "Услугополучатель вправе обжаловать решение в уполномоченный орган.\n") * 3
    path = tmp_path / f"law-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = load(path)
    assert "услугодателя" in doc.blocks[0].text
    assert doc.language == "ru"
    assert doc.blocks[0].section.startswith("Статья 25")


def test_docx_headings_become_sections(tmp_path):
    path = make_docx(tmp_path / "brief.docx", "Brief", [("Problem", "Land relations departments are overloaded."),
                                                        ("Actions", "Redistribute functions between units.")])
    doc = load(path)
    assert doc.title == "Brief"
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("Problem", "Land relations departments are overloaded."),
        ("Actions", "Redistribute functions between units.")]


def test_csv_rows_become_passages(tmp_path):
    path = tmp_path / "workload.csv"
    path.write_text("district,employees,services\nZhangala,93,62\nTaskala,83,53\n", encoding="utf-8")
    doc = load(path)
    assert [b.row for b in doc.blocks] == [2, 3]
    assert doc.blocks[0].text == "workload.csv, row 2: district: Zhangala; employees: 93; services: 62"


def test_xlsx_rows_keep_sheet_and_columns(tmp_path):
    path = make_xlsx(tmp_path / "stats.xlsx", {"Регионы": [["Регион", "2021"], ["ЗКО", "332 720"]],
                                               "Empty": []})
    doc = load(path)
    assert len(doc.blocks) == 1
    block = doc.blocks[0]
    assert block.section == "Регионы" and block.row == 2
    assert block.text == "stats.xlsx, sheet Регионы, row 2: Регион: ЗКО; 2021: 332 720"


@pytest.mark.parametrize("name, content, reason", [
    ("empty.pdf", b"", "empty file"),
    ("empty.md", b"", "empty file"),
    ("binary.pdf", bytes(range(256)) * 8, "not a PDF file"),
    ("binary.txt", bytes(range(256)) * 8, "binary data"),
    ("binary.docx", bytes(range(256)) * 8, "not a Word document"),
    ("binary.xlsx", bytes(range(256)) * 8, "not an Excel workbook"),
    ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "PDF"),
    ("notes.odt", b"some content", "unsupported file type"),
    ("blank.txt", b"   \n\n  ", "no text found"),
])
def test_bad_files_are_reported_with_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SkipFile, match=reason):
        load(path)


def test_file_over_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(SkipFile, match="file too large"):
        load_file(path, tmp_path, "big.txt", max_bytes=1000)
