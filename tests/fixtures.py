"""Small files made inside the tests: PDFs (with text, encrypted, image-only), DOCX, XLSX, text encodings."""
from __future__ import annotations

import io
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_pdf(path: Path, pages: list[str], font_path: Path | None = None) -> Path:
    """A PDF with one text page per entry of `pages` (reportlab, real text layer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    if font_path is not None:
        pdfmetrics.registerFont(TTFont("TestSans", str(font_path)))
        font = "TestSans"
    c = canvas.Canvas(str(path), pagesize=A4)
    for text in pages:
        c.setFont(font, 10)
        y = 800
        for line in _wrap(text, 90):
            c.drawString(40, y, line)
            y -= 14
        c.showPage()
    c.save()
    return path


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def make_encrypted_pdf(path: Path, source_pdf: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source_pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def make_image_only_pdf(path: Path) -> Path:
    """A 'scanned' page: a picture of text, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).text((20, 20), "Scanned page: public services report", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buffer), 40, 400, width=500, height=250)
    c.showPage()
    c.save()
    return path


def make_docx(path: Path, title: str, sections: list[tuple[str, str]]) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for heading, body in sections:
        document.add_heading(heading, level=1)
        document.add_paragraph(body)
    document.save(str(path))
    return path


def make_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(str(path))
    return path


def markdown(meta: dict | None, body: str) -> str:
    import yaml

    if meta is None:
        return body
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


# A tiny trilingual corpus: each note on a distinct topic so a search has one right answer.
CORPUS = {
    "findings/land-workload.en.md": ({"id": "land-workload-en", "title": "Workload of land relations departments",
                                      "type": "finding", "language": "en", "translation_group": "land-workload"},
        "## Workload\nThe Department of Land Relations of the Uralsk city akimat handles 12 services with 7 "
        "employees, a workload coefficient of 1.71 services per employee, the highest in the city. Land "
        "plots, permits for land use and cadastral procedures make the requests complex.\n"),
    "findings/paper-share.ru.md": ({"id": "paper-share-ru", "title": "Доля бумажных услуг",
                                    "type": "finding", "language": "ru", "translation_group": "paper-share"},
        "## Цифровизация\nДоля услуг, оказанных в бумажной форме в Западно-Казахстанской области, снизилась с "
        "21,6% в 2019 году до 0,1% в 2024 году. Почти все услуги теперь оказываются через информационные "
        "системы и портал электронного правительства.\n"),
    "findings/complaints.kk.md": ({"id": "complaints-kk", "title": "Шағымдар және құқықтарды қалпына келтіру",
                                   "type": "finding", "language": "kk", "translation_group": "complaints"},
        "## Шағымдар\nБатыс Қазақстан облысында мемлекеттік қызметтер бойынша шағымдар саны 2021 жылғы 9-дан "
        "2024 жылы 71-ге дейін өсті. Бұзылған құқықтарды қалпына келтіру үлесі 2024 жылы 35% болды.\n"),
    "practices/estonia.en.md": ({"id": "estonia-en", "title": "Estonia: secure data exchange",
                                 "type": "practice", "language": "en", "translation_group": "estonia"},
        "## Practice\nEstonia connects the databases of its agencies through a secure data exchange layer, "
        "so a citizen gives the state a piece of information only once. Digital identity cards sign documents.\n"),
    "concepts/seminar.ru.md": ({"id": "seminar-ru", "title": "Семинар «Люди прежде всего»",
                                "type": "concept", "language": "ru", "translation_group": "seminar"},
        "## Семинар\nСеминар «Люди прежде всего» обучает государственных служащих вежливому и внимательному "
        "обслуживанию граждан. Число участников семинара сократилось с 233 в 2022 году до 119 в 2024 году.\n"),
}


def write_corpus(root: Path, files: dict = CORPUS) -> Path:
    for rel, (meta, body) in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown(meta, body), encoding="utf-8")
    return root


def copy_data(root: Path, data: Path) -> Path:
    """A private copy of the repository's data/ folder (tables and every YAML/CSV beside them), so a test may edit
    a table or keep its app database without touching the repository."""
    import shutil

    shutil.copytree(root / "data" / "tables", data / "tables")
    for path in (root / "data").iterdir():  # indicators, gazetteer, glossary, asks, frames, templates, acts…
        if path.is_file() and path.suffix in (".yaml", ".csv"):
            shutil.copy(path, data / path.name)
    return data
