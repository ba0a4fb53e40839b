"""The knowledge base is findable: the stored questions find their expected note in the top 5 of the same hybrid
search `python -m assistant search` runs, for at least 90 % of the questions in each language."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.serve.evaluation import load_questions, retrieval_scores
from assistant.retrieve.retrieval import Searcher

QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "questions.yaml"


@pytest.fixture(scope="module")
def questions():
    return load_questions(QUESTIONS)


def test_question_set_is_large_and_varied(questions):
    answerable = [q for q in questions if q.grounded and q.expect_groups]
    assert len(answerable) >= 60
    per_lang = Counter(q.language for q in answerable)
    assert min(per_lang[lang] for lang in ("ru", "kk", "en")) >= 20
    paraphrased = sum(q.kind == "paraphrase" for q in answerable)
    assert paraphrased >= len(answerable) / 4
    assert sum(q.kind == "cross-lingual" for q in answerable) >= 15


def test_recall_at_5_per_language(shipped, questions):
    scores = retrieval_scores(Searcher(shipped), questions, k=5)
    summary = {lang: round(s["recall_at_k"], 3) for lang, s in scores.items()}
    print("recall@5 per language:", summary)
    for lang in ("ru", "kk", "en"):
        assert scores[lang]["recall_at_k"] >= 0.90, (lang, scores[lang]["misses"])
