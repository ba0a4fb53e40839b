"""Evaluation over tests/eval/questions.yaml: retrieval recall@5 and MRR per language (answer metrics build on it)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.understand.query import analyse
from assistant.retrieve.retrieval import Searcher


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


_THOUSANDS_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def numbers_in(text: str) -> set[str]:
    """Numbers as written, normalised: '4 018 049' and '4,018,049' → '4018049', '0,67' → '0.67'."""
    text = _THOUSANDS_COMMA.sub("", _THOUSANDS_SPACE.sub("", text))
    return {n.replace(",", ".").rstrip(".") for n in _NUMBER.findall(text)}


def same_number(a: str, b: str) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except ValueError:
        return a == b


def untraceable(answer) -> list[str]:
    """Problems with an answer's citations: [n] that resolve to nothing, numbers found in no cited source."""
    cited = {c.n: c for c in answer.citations}
    problems = []
    for line in answer.text.splitlines():
        markers = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        if not markers:
            continue
        missing = [n for n in markers if n not in cited]
        if missing:
            problems.append(f"[{missing[0]}] resolves to nothing")
            continue
        body = re.sub(r"\[\d+\]", "", line)
        allowed = set()
        for n in markers:
            c = cited[n]
            allowed |= numbers_in(c.text + " " + c.title + " " + c.section + " " + c.reference)
            if c.kind == "data":
                for key in ("value", "previous"):
                    value = c.meta.get(key)
                    if value is not None:
                        allowed |= {f"{abs(value):.{d}f}".rstrip("0").rstrip(".") for d in range(0, 3)}
                        allowed |= {f"{abs(value) * 100:.1f}".rstrip("0").rstrip(".")}
                allowed |= numbers_in(str(c.meta.get("period", "")))
        for number in numbers_in(body):
            normal = number.rstrip("0").rstrip(".") if "." in number else number
            if not any(same_number(normal, a) or same_number(number, a) for a in allowed):
                problems.append(f"{number} not in its cited source: {line[:120]}")
    return problems


def answer_scores(assistant, questions: list[Question]) -> dict:
    """Per language: figure accuracy, citation validity, refusal and false-refusal rates."""
    per_lang: dict[str, dict] = defaultdict(lambda: {"fig_n": 0, "fig_ok": 0, "cit_n": 0, "cit_ok": 0,
                                                     "oos_n": 0, "oos_refused": 0, "in_n": 0, "in_refused": 0,
                                                     "failures": []})
    for q in questions:
        answer = assistant.ask(q.question)
        s = per_lang[q.language]
        if not q.grounded:
            s["oos_n"] += 1
            s["oos_refused"] += not answer.grounded
            if answer.grounded:
                s["failures"].append((q.id, "answered out-of-scope question"))
            continue
        s["in_n"] += 1
        s["in_refused"] += not answer.grounded
        if not answer.grounded:
            s["failures"].append((q.id, "refused an answerable question"))
        problems = untraceable(answer)
        s["cit_n"] += 1
        s["cit_ok"] += not problems
        if problems:
            s["failures"].append((q.id, problems[0]))
        if q.expect_figures:
            found = numbers_in(answer.text)
            ok = all(any(same_number(f, n) for n in found) for f in q.expect_figures)
            s["fig_n"] += 1
            s["fig_ok"] += ok
            if not ok:
                s["failures"].append((q.id, f"figures {q.expect_figures} not in answer"))
    return {lang: {"figure_accuracy": _rate(s["fig_ok"], s["fig_n"]),
                   "citation_validity": _rate(s["cit_ok"], s["cit_n"]),
                   "refusal": _rate(s["oos_refused"], s["oos_n"]),
                   "false_refusal": _rate(s["in_refused"], s["in_n"]) if s["in_n"] else 0.0,
                   "failures": s["failures"], "n_in": s["in_n"], "n_out": s["oos_n"], "n_fig": s["fig_n"]}
            for lang, s in per_lang.items()}


def _rate(ok: int, n: int) -> float:
    return ok / n if n else 1.0


THRESHOLDS = {"recall_at_5": 0.90, "figure_accuracy": 0.95, "citation_validity": 1.00, "refusal": 0.90}
MAX_FALSE_REFUSAL = 0.10


def evaluate(assistant, questions: list[Question]) -> dict:
    retrieval = retrieval_scores(assistant.searcher, questions)
    answers = answer_scores(assistant, questions)
    table = {}
    for lang in sorted(set(retrieval) | set(answers)):
        r = retrieval.get(lang, {"recall_at_k": 1.0, "mrr": 1.0, "n": 0, "misses": []})
        a = answers[lang]
        table[lang] = {"questions": a["n_in"] + a["n_out"], "recall_at_5": r["recall_at_k"], "mrr": r["mrr"],
                       "figure_accuracy": a["figure_accuracy"], "citation_validity": a["citation_validity"],
                       "refusal": a["refusal"], "false_refusal": a["false_refusal"],
                       "failures": [(qid, f"missed in top 5: {groups}") for qid, _, groups in r["misses"]]
                       + a["failures"]}
    return table


def below_thresholds(table: dict) -> list[str]:
    problems = []
    for lang, row in table.items():
        for key, floor in THRESHOLDS.items():
            if row[key] < floor:
                problems.append(f"{lang}: {key} {row[key]:.2f} < {floor:.2f}")
        if row["false_refusal"] > MAX_FALSE_REFUSAL:
            problems.append(f"{lang}: false_refusal {row['false_refusal']:.2f} > {MAX_FALSE_REFUSAL:.2f}")
    return problems


def render(table: dict) -> str:
    keys = ["questions", "recall_at_5", "mrr", "figure_accuracy", "citation_validity", "refusal", "false_refusal"]
    lines = ["| language | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for lang, row in table.items():
        cells = [str(row[k]) if k == "questions" else f"{row[k]:.2f}" for k in keys]
        lines.append(f"| {lang} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
