"""Law-like documents: chapters, articles (inserted and repealed), paragraphs with their sub-paragraph lists,
amendment notes as metadata, the same structure from MD, TXT, DOCX and PDF, and PDF page furniture removed."""
from __future__ import annotations

import pytest

from indexer.analysis import tokenize, unify_script
from indexer.chunking import chunk_document
from indexer.legal import article_of_heading, looks_legal, parse_legal_text
from indexer.loaders import load_file
from indexer.pdftext import clean_pages
from indexer.settings import ChunkerSettings
from tests.fixtures import DEJAVU, make_docx


def pdf_lines(path, pages: list[list[str]]):
    """A PDF whose pages hold the given lines, one text line each (a real text layer, Cyrillic font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LawSans", str(DEJAVU)))
    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        c.setFont("LawSans", 10)
        for i, line in enumerate(lines):
            c.drawString(40, 800 - 16 * i, line)
        c.showPage()
    c.save()
    return path


def law(article: str, chapter: str, note: str, inserted: str, repealed: str) -> str:
    """A small law in one heading style; the words are ours, the layout that of the official texts."""
    return f"""# О примерных услугах

Настоящий Закон регулирует примерные отношения.

{chapter.format(n=1)} ОБЩИЕ ПОЛОЖЕНИЯ

{article.format(n=1)} Основные понятия

В настоящем Законе используются следующие понятия:

1) услуга – действие по заявлению;

2-1) заявитель – лицо, подавшее заявление;

{note} Статья 1 с изменениями, внесенными Законом РК от 25.11.2019 № 272-VІ.

{article.format(n=2)} Сроки

1. Заявление рассматривается в течение пяти рабочих дней.

Срок может быть продлен один раз.

2. Ответ направляется заявителю:

1) в письменной форме;

2) в электронной форме.

{article.format(n=inserted)} Вставленная статья

1. Проактивная услуга оказывается по согласию заявителя.

{note} Закон дополнен статьей {inserted} в соответствии с Законом РК от 25.11.2019 № 272-VI.

{chapter.format(n=2)} ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ

{article.format(n=repealed)} Регламент

{note} Статья {repealed} исключена Законом РК от 25.11.2019 № 272-VI.

{article.format(n=4)} Введение в действие

Настоящий Закон вводится в действие через десять дней.
"""


STYLES = {
    "md-ru-h3": ("### Статья {n}.", "## Глава {n}.", "Сноска."),
    "md-kk-h3": ("### {n}-бап.", "## {n}-тарау.", "Ескерту."),
    "md-ru-h2": ("## Статья {n}.", "## Глава {n}.", "Сноска."),
    "md-kk-h2": ("## {n}-бап.", "## {n}-тарау.", "Ескерту."),
    "plain-ru": ("Статья {n}.", " Глава {n}.", "      Сноска."),
    "plain-en": ("Article {n}.", "Chapter {n}.", "Footnote."),
}


@pytest.mark.parametrize("style", STYLES, ids=list(STYLES))
@pytest.mark.parametrize("inserted, repealed", [("2-1", "3"), ("19-1", "21-1")])
def test_structure_in_every_heading_style(style, inserted, repealed):
    article, chapter, note = STYLES[style]
    text = law(article, chapter, note, inserted, repealed)
    markdown = style.startswith("md")
    parsed = parse_legal_text(text if markdown else text.split("\n", 1)[1], markdown=markdown)
    assert parsed.articles == ["1", "2", inserted, repealed, "4"]
    units = {(u.article, u.paragraph): u for u in parsed.units}
    assert units[("", "")].text == "Настоящий Закон регулирует примерные отношения."
    assert units[("1", "")].text.splitlines()[-1] == "2-1) заявитель – лицо, подавшее заявление;"
    assert units[("2", "1")].text == ("1. Заявление рассматривается в течение пяти рабочих дней.\n"
                                      "Срок может быть продлен один раз.")
    assert units[("2", "2")].text.splitlines() == ["2. Ответ направляется заявителю:", "1) в письменной форме;",
                                                   "2) в электронной форме."]
    assert units[(inserted, "1")].text.startswith("1. Проактивная услуга")
    assert units[(repealed, "")].repealed and not units[("2", "1")].repealed
    assert units[("1", "")].chapter.strip().endswith("ОБЩИЕ ПОЛОЖЕНИЯ")
    assert units[("4", "")].chapter.strip().endswith("ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ")


@pytest.mark.parametrize("note_word", ["Сноска.", "Ескерту.", "Footnote."])
def test_amendment_notes_are_article_metadata_not_text(note_word):
    parsed = parse_legal_text(law("### Статья {n}.", "## Глава {n}.", note_word, "2-1", "3"))
    first = [u for u in parsed.units if u.article == "1"]
    assert first and all("272-VІ" in u.note for u in first)
    assert all(note_word not in u.text for u in parsed.units)
    assert [u.note for u in parsed.units if u.article == "2"] == ["", ""]


@pytest.mark.parametrize("line, number", [
    ("### Статья 25. Особенности рассмотрения жалоб", "25"), ("## 8-бап. Ақпарат иеленуші", "8"),
    ("Статья 19-1. Отказ в оказании", "19-1"), ("### 21-1-бап. Проактивтік қызметтер", "21-1"),
    ("Article 11", "11"), ("СТАТЬЯ 5. ОБЩИЕ", "5"),
    ("Статья 5 настоящего Закона применяется к …", None), ("В статье 25 сказано", None),
    ("1. Жалоба подлежит рассмотрению.", None),
])
def test_article_headings(line, number):
    assert article_of_heading(line) == number


def test_a_note_with_a_few_mentions_of_articles_is_not_a_law():
    assert not looks_legal(["## Что регулирует кодекс (ст. 3, 175)", "Статья 5 настоящего Закона гласит …"])


def test_long_paragraph_is_cut_between_sub_paragraphs_and_keeps_its_article(tmp_path):
    items = "\n\n".join(f"{i}) " + " ".join(["понятие"] * 40) + ";" for i in range(1, 21))
    path = tmp_path / "law.md"
    path.write_text(f"### Статья 1. Понятия\n\nИспользуются понятия:\n\n{items}\n\n### Статья 2. Сроки\n\n"
                    "1. Срок пять дней.\n\n### Статья 3. Конец\n\nТекст.\n", encoding="utf-8")
    doc = load_file(path, tmp_path, "law.md", 10**7)
    chunks = chunk_document(doc, ChunkerSettings())
    first = [c for c in chunks if c.article == "1"]
    assert len(first) > 1 and all(len(c.text.split()) <= 250 for c in first)
    for chunk in first[1:]:
        assert chunk.text.split(")")[0].isdigit(), "a piece starts at a sub-paragraph, never inside one"
    assert "\n".join(c.text for c in first) == doc.blocks[0].text
    assert [c.paragraph for c in chunks if c.article == "2"] == ["1"]


def test_txt_docx_and_pdf_laws_give_the_same_articles(tmp_path):
    text = law("Статья {n}.", "Глава {n}.", "Сноска.", "19-1", "21-1")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    (tmp_path / "law.txt").write_text("\n".join(lines), encoding="utf-8")
    make_docx(tmp_path / "law.docx", "Закон", [(lines[0], "\n".join(lines[1:]))])
    pdf_lines(tmp_path / "law.pdf", [lines[:12], lines[12:]])
    for name in ("law.txt", "law.docx", "law.pdf"):
        doc = load_file(tmp_path / name, tmp_path, name, 10**7)
        articles = [b.article for b in doc.blocks if b.article]
        assert list(dict.fromkeys(articles)) == ["1", "2", "19-1", "21-1", "4"], name
        assert all("Сноска" not in b.text for b in doc.blocks), name
    pdf = load_file(tmp_path / "law.pdf", tmp_path, "law.pdf", 10**7)
    assert {b.page for b in pdf.blocks if b.article == "4"} == {2}


def test_pdf_page_furniture_is_removed_and_hyphenated_words_joined():
    body = "\n".join(f"Line {i} of the body says something different." for i in range(8))
    pages = [f"{n}/5\nConstitution of the Republic\n{body}\nText of page {n} about the govern-\nment and its work.\n"
             f"{body}\nakorda.kz/en/constitution\nPage {n}" for n in range(1, 6)]
    cleaned = clean_pages(pages)
    for n, text in enumerate(cleaned, start=1):
        assert f"{n}/5" not in text and "akorda.kz" not in text and "Page" not in text
        assert f"Text of page {n} about the government and its work." in text


def test_article_headings_at_page_tops_are_not_furniture():
    pages = [f"Статья {n}\n1. Текст статьи {n} о правах граждан.\n2. Ещё одно положение." for n in range(1, 8)]
    cleaned = clean_pages(pages)
    assert all(text.startswith(f"Статья {n}") for n, text in enumerate(cleaned, start=1))


@pytest.mark.parametrize("typed, meant", [("кейiн", "кейін"), ("бiрыңғай", "бірыңғай"), ("vі", "vi"),
                                          ("vii", "vii"), ("service", "service")])
def test_script_quirks_are_unified(typed, meant):
    assert unify_script(typed) == meant


def test_search_tokens_ignore_the_quirks():
    assert tokenize("Бiрыңғай № 241-VІ") == tokenize("Бірыңғай № 241-VI")
