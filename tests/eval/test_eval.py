"""`python -m assistant eval` on both stored question sets — the team's own and the frozen unseen one written from
the sources alone — with the gates CI enforces in every language (assistant/serve/evaluation.py: THRESHOLDS and
CEILINGS): recall@5, figure accuracy, citation validity, refusal of out-of-scope and near-domain questions, false
refusals, off-target figures and answer-first lines."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.serve.evaluation import below_thresholds, evaluate, load_questions, render
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parents[2]


SETS = ("questions.yaml", "unseen_questions_2026-11-29.yaml", "unseen_questions_2026-12-03.yaml",
        "unseen_questions_2026-12-03b.yaml")
# Regression floors, below the targets (assistant/serve/evaluation.py THRESHOLDS/CEILINGS, which
# `python -m assistant eval` reports against): the unseen sets do not meet the targets yet (README, Evaluation),
# and these stop any set from getting worse than measured on 2026-12-03 (about 0.05 of slack). The 2026-11-29 and
# 2026-12-03 sets have been used to find causes; 2026-12-03b is the blind one, written from ../shared/reference
# alone and never used to tune the engine.
FLOORS = {
    "questions.yaml": ({"recall_at_5": 0.90, "figure_accuracy": 0.85, "citation_validity": 1.00, "refusal": 0.90,
                        "near_domain_refusal": 0.90, "answer_first": 0.90},
                       {"false_refusal": 0.08, "off_target": 0.07}),
    "unseen_questions_2026-11-29.yaml": ({"recall_at_5": 0.90, "figure_accuracy": 0.88, "citation_validity": 0.95,
                                          "refusal": 0.90, "near_domain_refusal": 0.88, "answer_first": 0.80},
                                         {"false_refusal": 0.10, "off_target": 0.08}),
    "unseen_questions_2026-12-03.yaml": ({"recall_at_5": 0.90, "figure_accuracy": 0.83, "citation_validity": 0.95,
                                          "refusal": 0.70, "near_domain_refusal": 0.87, "answer_first": 0.87},
                                         {"false_refusal": 0.08, "off_target": 0.18}),
    "unseen_questions_2026-12-03b.yaml": ({"recall_at_5": 0.90, "figure_accuracy": 0.72, "citation_validity": 0.95,
                                           "refusal": 0.90, "near_domain_refusal": 0.70, "answer_first": 0.67},
                                          {"false_refusal": 0.07, "off_target": 0.15}),
}


@pytest.fixture(scope="module")
def assistant(shipped):
    return Assistant(shipped)


@pytest.mark.parametrize("name", SETS)
def test_eval_gates(assistant, name):
    table = evaluate(assistant, load_questions(ROOT / "tests" / "eval" / name))
    print(f"\n{name}\n" + render(table))
    assert set(table) == {"ru", "kk", "en"}
    problems = below_thresholds(table, *FLOORS[name])
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
