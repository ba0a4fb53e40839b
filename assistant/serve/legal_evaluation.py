"""The legal eval: does the answer cite the right act and article? (tests/eval/legal_questions.yaml)"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.types import Answer


@dataclass(frozen=True)
class LegalQuestion:
    id: str
    language: str
    kind: str  # content | lookup
    act: str
    article: str
    question: str


def load_legal_questions(path: Path) -> list[LegalQuestion]:
    rows = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [LegalQuestion(str(r["id"]), r["language"], r["kind"], str(r["act"]), str(r["article"]), r["question"])
            for r in rows]


def cites_article(answer: Answer, act: str, article: str, first_only: bool = False) -> bool:
    passages = [c for c in answer.citations if c.kind == "passage"]
    if first_only:
        passages = passages[:1]
    return any(c.act == act and c.article == article for c in passages)


def legal_table(assistant, questions: list[LegalQuestion]) -> dict[str, dict]:
    """Per language: questions, share with the right article cited (anywhere / first), and the misses."""
    table: dict[str, dict] = {}
    for q in questions:
        answer = assistant.ask(q.question)
        row = table.setdefault(q.language, {"questions": 0, "right": 0, "first": 0, "misses": []})
        row["questions"] += 1
        if cites_article(answer, q.act, q.article):
            row["right"] += 1
        else:
            got = [f"{c.act} {c.article}" for c in answer.citations if c.kind == "passage"][:3]
            row["misses"].append(f"{q.id}: expected {q.act} art. {q.article}, cited {got}")
        row["first"] += cites_article(answer, q.act, q.article, first_only=True)
    for row in table.values():
        row["right_share"] = row["right"] / row["questions"]
        row["first_share"] = row["first"] / row["questions"]
    return table


def render_legal(table: dict[str, dict]) -> str:
    lines = ["| language | questions | right article cited | right article cited first |", "|---|---|---|---|"]
    for lang, row in sorted(table.items()):
        lines.append(f"| {lang} | {row['questions']} | {row['right_share']:.2f} | {row['first_share']:.2f} |")
    return "\n".join(lines)
