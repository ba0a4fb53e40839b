"""The Streamlit page with Streamlit's AppTest: index status, a search, and the no-index message."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def test_app_shows_status_and_searches(small_index, monkeypatch):
    monkeypatch.setenv("QOLJETIM_INDEX", str(small_index.index_dir))
    monkeypatch.setenv("QOLJETIM_CORPUS", str(small_index.corpus_dirs[0]))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("5 documents" in m.value for m in at.sidebar.markdown)
    at.text_input[0].input("Какая нагрузка в управлении земельных отношений?").run()
    assert not at.exception
    assert any("Workload of land relations departments" in m.value for m in at.markdown)


def test_app_explains_a_missing_index(tmp_path, monkeypatch):
    monkeypatch.setenv("QOLJETIM_INDEX", str(tmp_path / "none"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("make run" in w.value for w in at.warning)
