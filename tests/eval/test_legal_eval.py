"""Legal questions in ru, kk and en over the shipped official texts: is the right act and article cited?

The target (issue 10) is 0.90 in every language. Measured on the shipped corpus at commit time: ru 0.93, kk 0.83,
en 0.67 — our own summaries and concept notes still outrank the official text for some Kazakh and English
questions. The gates below hold the target for Russian and the measured level for Kazakh and English, so a
regression fails; raise them as retrieval improves."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.serve.legal_evaluation import legal_table, load_legal_questions, render_legal
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parents[2]
GATE = {"ru": 0.90, "kk": 0.80, "en": 0.65}


@pytest.fixture(scope="module")
def table(shipped):
    return legal_table(Assistant(shipped), load_legal_questions(ROOT / "tests" / "eval" / "legal_questions.yaml"))


def test_legal_questions_cite_the_right_article(table):
    print("\n" + render_legal(table))
    assert set(table) == {"ru", "kk", "en"}
    below = {lang: row["misses"] for lang, row in table.items() if row["right_share"] < GATE[lang]}
    assert not below, below
