"""Bad input, generated in the tests: every case gets a clear message naming the input and the reason, the rest is
still indexed or answered, and nothing crashes."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.measure.knowledge import read_table
from indexer.build import build_index
from indexer.settings import Settings
from indexer.store import IndexStore
from tests.fixtures import (DEJAVU, make_encrypted_pdf, make_image_only_pdf, make_pdf, markdown, write_corpus)

GOOD = "## Услуги\nГосударственные услуги оказываются через портал и центры обслуживания населения.\n"


def _bad_files(root: Path) -> dict[str, str]:
    """Write the bad files; return {source: expected words in the reason}."""
    plain = make_pdf(root / "tmp-plain.pdf", ["Text behind a password about public services and complaints."])
    cases = {}

    def put(name: str, data: bytes, reason: str):
        (root / name).write_bytes(data)
        cases[name] = reason

    full = (root / "tmp-plain.pdf").read_bytes()
    put("truncated.pdf", full[: len(full) // 3], "")
    put("corrupt.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, "")
    make_encrypted_pdf(root / "locked.pdf", plain, user_password="secret")
    cases["locked.pdf"] = "encrypted"
    make_image_only_pdf(root / "scan.pdf")
    cases["scan.pdf"] = "needs OCR"
    put("zero.pdf", b"", "empty file")
    put("zero.txt", b"", "empty file")
    put("program.pdf", b"MZ\x90\x00\x03" + bytes(range(256)) * 10, "not a PDF")
    put("program.txt", b"MZ\x90\x00\x03" + bytes(range(256)) * 10, "binary data")
    put("program.docx", b"MZ\x90\x00\x03" + bytes(range(256)) * 10, "not a Word document")
    put("program.xlsx", b"MZ\x90\x00\x03" + bytes(range(256)) * 10, "not an Excel workbook")
    put("huge.txt", ("слово " * 400_000).encode("utf-8"), "too large")
    put("single-column.csv", b"only\n1\n2\n", "")  # one column is allowed: indexed as rows
    put("empty.csv", b"   \n", "")
    (root / "tmp-plain.pdf").unlink()
    return cases


def test_bad_files_are_reported_and_the_rest_is_indexed(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    cases = _bad_files(corpus)
    (corpus / "cp1251.txt").write_bytes(("Жалоба рассматривается в течение пяти рабочих дней. " * 5).encode("cp1251"))
    (corpus / "utf16.txt").write_bytes(("Шағым бес жұмыс күні ішінде қаралады. " * 5).encode("utf-16"))
    mixed = "Отчёт об услугах за 2024 год. ".encode("utf-8") + "Жалобы граждан.".encode("cp1251")
    (corpus / "mixed.txt").write_bytes(mixed * 3)
    (corpus / "broken-front-matter.md").write_text("---\ntitle: [oops\n---\n" + GOOD, encoding="utf-8")
    (corpus / "html.md").write_text(markdown({"id": "html"}, "## X\n<script>alert('x')</script> "
                                             "<b>Жалобы</b> граждан рассматриваются.\n"), encoding="utf-8")
    ragged = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n\"unterminated,10,11\n"
    (corpus / "ragged.csv").write_text(ragged, encoding="utf-8")
    settings = Settings().with_overrides(corpus_dirs=[corpus], index_dir=tmp_path / "index", max_file_mb=1.0)
    report = build_index(settings)
    outcomes = {o.source: o for o in report.outcomes}
    for name, reason in cases.items():
        outcome = outcomes[name]
        if outcome.status == "skipped":
            assert outcome.reason and reason.lower() in outcome.reason.lower(), (name, outcome.reason)
        else:  # a damaged file pypdf can still partly read is indexed, never a crash
            assert outcome.status == "indexed", (name, outcome)
    for name in ("locked.pdf", "scan.pdf", "zero.pdf", "program.pdf", "program.txt", "program.docx", "huge.txt"):
        assert outcomes[name].status == "skipped", name
    for name in ("cp1251.txt", "utf16.txt", "mixed.txt", "broken-front-matter.md", "html.md", "ragged.csv",
                 "findings/land-workload.en.md"):
        assert outcomes[name].status == "indexed", (name, outcomes[name])
    assert any("broken front matter" in w for w in outcomes["broken-front-matter.md"].warnings)
    assert any("malformed row(s) skipped" in w for w in outcomes["ragged.csv"].warnings)
    store = IndexStore.load(settings.index_dir)
    texts = {c.source: c.text for c in store.chunks}
    assert "Жалоба рассматривается" in texts["cp1251.txt"] and "Шағым" in texts["utf16.txt"]
    assert "<script>" in texts["html.md"], "document text is kept as text; the app escapes it on display"


@pytest.mark.parametrize("content, problem", [
    ("entity,indicator,year,value,unit,source\nwkr,complaints,2024,71,c,S\n", ""),
    ("entity,year,value\nwkr,2024,71\n", "missing column(s) indicator, source"),
    ("entity,indicator,year,value,unit,source\nwkr,complaints,2024,много,c,S\n", "is not a number; row ignored"),
    ("entity,indicator,year,value,unit,source\nwkr,x,2024,1 256,c,S\nwkr,y,2024,\"92,3%\",%,S\n"
     "wkr,z,2024,\"4,018,049\",c,S\n", ""),
    ("entity,indicator,year,value,unit,source\nwkr,complaints,2024\nwkr,complaints,2023,46,c,S,extra,cells\n", ""),
])
def test_data_tables_with_bad_rows(tmp_path, content, problem):
    path = tmp_path / "t.csv"
    path.write_text(content, encoding="utf-8")
    frame, problems = read_table(path)
    if problem:
        assert any(problem in p and "t.csv" in p for p in problems), problems
    else:
        assert problems == [] or all("t.csv" in p for p in problems)
    if "1 256" in content:
        assert sorted(frame["value"]) == [92.3, 1256.0, 4018049.0]


@pytest.mark.parametrize("question, expected", [
    ("<script>alert('x')</script> Сколько жалоб поступило в 2024 году?", "grounded"),
    ("公共服务的投诉数量是多少？", "refused"),
    ("ما هو عدد الشكاوى؟", "refused"),
    ("?!…", "refused"),
])
def test_odd_questions_are_answered_or_refused_never_crash(shipped, question, expected):
    from assistant.service import Assistant

    answer = Assistant(shipped).ask(question)
    assert answer.grounded == (expected == "grounded")
    if expected == "grounded":
        assert "<script>" not in answer.text
