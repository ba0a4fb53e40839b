"""Answers over the shipped corpus and data: cited, traceable, grounded or honestly not, live on data edits."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.draft.traceability import numbers_in, untraceable
from assistant.service import Assistant, QuestionError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def assistant(shipped) -> Assistant:
    return Assistant(shipped)


def numbers(text: str) -> set[str]:
    return numbers_in(text)


def assert_traceable(answer) -> None:
    """Every [n] resolves to a citation and every number is in the passage or fact its line cites."""
    assert untraceable(answer) == []


@pytest.mark.parametrize("question, figure", [
    ("Сколько жалоб поступило в 2024 году?", "71"),
    ("Жаңақала ауданындағы жүктеме коэффициенті қандай?", "0.67"),
    ("Which departments are overloaded?", "1.71"),
    ("How many people took part in the People First seminar in 2023?", "166"),
])
def test_figure_questions_are_answered_with_cited_figures(assistant, question, figure):
    answer = assistant.ask(question)
    assert answer.grounded
    assert figure in numbers(answer.text)
    assert any(c.kind == "data" for c in answer.citations)
    assert_traceable(answer)


def test_answer_comes_in_the_question_language(assistant):
    assert assistant.ask("Что такое проактивная услуга?").text.startswith("Из документов")
    assert assistant.ask("Проактивті қызмет дегеніміз не?").text.startswith("Құжаттардан")
    assert assistant.ask("What is a proactive service?").text.startswith("From the documents")


@pytest.mark.parametrize("question, language", [
    ("Какая погода будет в Астане завтра?", "ru"), ("Who won the 2022 football world cup?", "en"),
    ("Палау қалай дайындалады?", "kk"),
])
def test_out_of_scope_is_not_made_up(assistant, question, language):
    answer = assistant.ask(question)
    assert not answer.grounded and answer.citations == () and answer.metrics == ()
    assert answer.language == language
    assert not re.search(r"\d", answer.text)


@pytest.mark.parametrize("question, message", [("", "empty"), ("   \n ", "empty"), ("слово " * 2000, "too long")])
def test_bad_questions_get_a_clear_message(assistant, question, message):
    with pytest.raises(QuestionError, match=message):
        assistant.ask(question)


def test_editing_a_csv_changes_the_next_answer(shipped, assistant):
    table = shipped.data_dir / "tables" / "complaints_oversight.csv"
    original = table.read_text(encoding="utf-8")
    try:
        table.write_text(original.replace("wkr,region,kz,complaints,2024,71,", "wkr,region,kz,complaints,2024,93,"),
                         encoding="utf-8")
        assert "wkr,region,kz,complaints,2024,93," in table.read_text(encoding="utf-8")
        answer = assistant.ask("Сколько жалоб поступило в 2024 году?")
        fact = next(m for m in answer.metrics if m.indicator == "complaints" and m.year == 2024)
        assert fact.value == 93 and "93" in numbers(answer.text)
    finally:
        table.write_text(original, encoding="utf-8")


def test_ask_cli_json_contract(shipped):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QOLJETIM_DATA=str(shipped.data_dir))
    result = subprocess.run([sys.executable, "-m", "assistant", "ask", "Сколько жалоб поступило в 2024 году?",
                             "--index", str(shipped.index_dir), "--json"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"question", "language", "intent", "grounded", "answer", "citations", "metrics",
            "recommendations"} <= set(data)
    assert data["language"] == "ru" and data["grounded"] is True
    assert {"n", "doc_id", "title", "source", "page", "section", "text", "score"} <= set(data["citations"][0])
    assert {"id", "label", "value", "unit", "period", "entity", "source"} <= set(data["metrics"][0])
    assert all(int(n) <= len(data["citations"]) for n in re.findall(r"\[(\d+)\]", data["answer"]))
