"""`python -m assistant eval` on the stored questions, with the gates CI enforces in every language:
recall@5 ≥ 0.90, figure accuracy ≥ 0.95, citation validity 1.00, refusal ≥ 0.90, false refusal ≤ 0.10."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.serve.evaluation import below_thresholds, evaluate, load_questions, render
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def table(shipped):
    return evaluate(Assistant(shipped), load_questions(ROOT / "tests" / "eval" / "questions.yaml"))


def test_eval_gates(table):
    print("\n" + render(table))
    assert set(table) == {"ru", "kk", "en"}
    problems = below_thresholds(table)
    assert problems == [], (problems, {lang: row["failures"] for lang, row in table.items()})


def test_eval_cli_prints_the_table(shipped, tmp_path):
    questions = tmp_path / "q.yaml"
    questions.write_text(
        "- {id: a, question: 'Сколько жалоб поступило в 2024 году?', language: ru, kind: figure, intent: figure,\n"
        "   expect_groups: [complaints-oversight], expect_figures: ['71'], grounded: true}\n"
        "- {id: b, question: 'Who won the football world cup in 2022?', language: en, kind: out-of-scope,\n"
        "   intent: fact, expect_groups: [], grounded: false}\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), QOLJETIM_DATA=str(shipped.data_dir))
    result = subprocess.run([sys.executable, "-m", "assistant", "eval", "--questions", str(questions), "--index",
                             str(shipped.index_dir)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| ru | 1 | 1.00 |" in result.stdout  # recall@5 of the one Russian question
    assert "| en | 1 |" in result.stdout
