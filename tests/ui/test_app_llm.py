"""The chat page with LLM drafting on, against a scripted OpenAI-compatible server: the guarded draft is shown
with a note naming the model; with the endpoint down the extractive answer and a short note, never a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures import copy_data
from tests.scripted_llm import Reply, ScriptedLLM, closed_port_url

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
QUESTION = "Как изменилось число участников семинара «Люди прежде всего» за последний год?"


@pytest.fixture
def llm():
    server = ScriptedLLM().start()
    yield server
    server.stop()


def app(monkeypatch, tmp_path, settings, llm_url: str) -> AppTest:
    data = tmp_path / "data"  # the conversation store is written under data/: keep it out of the repository
    copy_data(ROOT, data)
    monkeypatch.setenv("QOLJETIM_INDEX", str(settings.index_dir))
    monkeypatch.setenv("QOLJETIM_DATA", str(data))
    monkeypatch.setenv("QOLJETIM_CORPUS", ":".join(str(p) for p in settings.corpus_dirs))
    monkeypatch.setenv("QOLJETIM_LLM_URL", llm_url)
    monkeypatch.setenv("QOLJETIM_LLM_MODEL", "test-model")
    monkeypatch.setenv("QOLJETIM_LLM_TIMEOUT", "5")
    return AppTest.from_file(APP, default_timeout=300)


def plain(markdown: str) -> str:
    return markdown.replace("\\", "").replace("  \n", "\n")


def test_the_guarded_draft_is_shown_with_the_model_named(small_index, monkeypatch, tmp_path, llm):
    # [1] is the first line's data row: the change of participants from 2023 (166) to 2024 (119), −28,3 %
    draft = ("Число участников семинара сократилось со 166 в 2023 году до 119 в 2024 году [1]. "
             "В 2030 году их будет 900 [1]. Это на 28,3% меньше, чем годом ранее [1].")
    llm.script(Reply(draft, piece=5))
    at = app(monkeypatch, tmp_path, small_index, llm.url).run()
    at.chat_input[0].set_value(QUESTION).run()
    assert not at.exception
    shown = [plain(m.value) for m in at.markdown]
    expected = ("Число участников семинара сократилось со 166 в 2023 году до 119 в 2024 году [1]. "
                "Это на 28,3% меньше, чем годом ранее [1].")
    assert expected in shown, (shown, [c.value for c in at.caption])
    assert not any("900" in text or "2030" in text for text in shown)
    captions = [c.value for c in at.caption]
    assert any("test-model" in c and "Убрано предложений: 1" in c for c in captions), captions
    assert llm.requests and llm.requests[0]["json"]["stream"] is True


def test_with_the_endpoint_down_the_extractive_answer_comes_with_a_note(small_index, monkeypatch, tmp_path):
    at = app(monkeypatch, tmp_path, small_index, closed_port_url()).run()
    at.chat_input[0].set_value(QUESTION).run()
    assert not at.exception
    assert any("[1]" in m.value.replace("\\", "") for m in at.markdown)
    assert any(c.value.startswith("Языковая модель недоступна") for c in at.caption)
    at.selectbox(key="lang").set_value("en").run()
    assert any(c.value.startswith("The language model was unavailable") for c in at.caption)
    at.radio(key="section").set_value("settings").run()
    assert any(w.value.startswith("test-model @ http://127.0.0.1:") for w in at.text_input)
