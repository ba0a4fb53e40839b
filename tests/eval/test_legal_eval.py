"""Legal questions in ru, kk and en over the shipped official texts: the right act and article is cited in at
least 90 % of them in every language."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.serve.legal_evaluation import legal_table, load_legal_questions, render_legal
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parents[2]
GATE = 0.90


@pytest.fixture(scope="module")
def table(shipped):
    return legal_table(Assistant(shipped), load_legal_questions(ROOT / "tests" / "eval" / "legal_questions.yaml"))


def test_legal_questions_cite_the_right_article(table):
    print("\n" + render_legal(table))
    assert set(table) == {"ru", "kk", "en"}
    below = {lang: row["misses"] for lang, row in table.items() if row["right_share"] < GATE}
    assert not below, below
