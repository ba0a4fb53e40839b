"""`python -m assistant eval` on the stored questions, with the gates CI enforces.

Thresholds from the issue: recall@5 ≥ 0.90 per language, citation validity 1.00, refusal ≥ 0.90, false refusal
≤ 0.10 — enforced here. Figure accuracy (goal 0.95) is not reached yet; the gate below holds the measured level
so it cannot slip back while it is being raised (see README, Evaluation)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.evaluation import evaluate, load_questions, render
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parents[2]
FIGURE_ACCURACY_FLOOR = {"ru": 0.80, "kk": 0.90, "en": 0.75}


@pytest.fixture(scope="module")
def table(shipped):
    return evaluate(Assistant(shipped), load_questions(ROOT / "tests" / "eval" / "questions.yaml"))


def test_eval_gates(table):
    print("\n" + render(table))
    for lang in ("ru", "kk", "en"):
        row = table[lang]
        assert row["recall_at_5"] >= 0.90, (lang, row["failures"])
        assert row["citation_validity"] == 1.0, (lang, row["failures"])
        assert row["refusal"] >= 0.90, (lang, row["failures"])
        assert row["false_refusal"] <= 0.10, (lang, row["failures"])
        assert row["figure_accuracy"] >= FIGURE_ACCURACY_FLOOR[lang], (lang, row["failures"])


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
