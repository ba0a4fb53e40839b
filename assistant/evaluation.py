"""Evaluation over tests/eval/questions.yaml: retrieval recall@5 and MRR per language (answer metrics build on it)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from .query import analyse
from .retrieval import Searcher


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    kind: str
    intent: str
    expect_groups: tuple[str, ...]
    expect_figures: tuple[str, ...]
    grounded: bool


def load_questions(path: Path) -> list[Question]:
    items = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return [Question(id=str(q["id"]), question=q["question"], language=q["language"], kind=q.get("kind", ""),
                     intent=q.get("intent", ""), expect_groups=tuple(q.get("expect_groups") or ()),
                     expect_figures=tuple(str(f) for f in q.get("expect_figures") or ()),
                     grounded=bool(q.get("grounded", True)))
            for q in items]


def reciprocal_rank(found: list[str], expected: tuple[str, ...]) -> float:
    for rank, group in enumerate(found, start=1):
        if group in expected:
            return 1.0 / rank
    return 0.0


def retrieval_scores(searcher: Searcher, questions: list[Question], k: int = 5) -> dict:
    """Per language: n, recall@k (an expected group in the top k), MRR, and the misses for inspection."""
    per_lang: dict[str, dict] = defaultdict(lambda: {"n": 0, "hits": 0, "rr": 0.0, "misses": []})
    for q in questions:
        if not q.grounded or not q.expect_groups:
            continue
        analysis = analyse(q.question, searcher.settings.data_dir)
        groups = [h.chunk.translation_group for h in searcher.search(q.question, k=k, analysis=analysis)]
        stats = per_lang[q.language]
        rr = reciprocal_rank(groups, q.expect_groups)
        stats["n"] += 1
        stats["hits"] += rr > 0
        stats["rr"] += rr
        if rr == 0:
            stats["misses"].append((q.id, q.question, groups))
    return {lang: {"n": s["n"], "recall_at_k": s["hits"] / s["n"], "mrr": s["rr"] / s["n"], "misses": s["misses"]}
            for lang, s in per_lang.items()}
