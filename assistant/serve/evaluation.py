"""Evaluation over tests/eval/questions.yaml: retrieval recall@5 and MRR per language (answer metrics build on it)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.draft.traceability import MARKER, numbers_in, same_number, shows_value, untraceable
from assistant.understand.query import analyse
from assistant.retrieve.retrieval import Searcher


FIGURE_ASKS = frozenset({"value", "compare", "rank", "threshold", "change", "share"})


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    kind: str
    intent: str
    expect_groups: tuple[str, ...]
    expect_figures: tuple[str, ...]
    grounded: bool  # answerable from the documents
    asks: tuple[str, ...] = ()
    near_domain: bool = False  # unanswerable, but close to the domain (another region, year, person…)
    answer_first: str = ""  # what the first line of a good answer holds
    not_numbers: tuple[str, ...] = ()  # tempting figures that must not appear


def load_questions(path: Path) -> list[Question]:
    """Either set: the team's (`grounded`, `expect_groups`) or a frozen unseen one (`answerable`, `ask`, with its
    relevance labels in the sibling file named `…_relevance_…` when present)."""
    path = Path(path)
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    labels = _relevance_labels(path)
    return [_question(q, labels) for q in items]


def _relevance_labels(path: Path) -> dict:
    sibling = path.with_name(path.name.replace("_questions_", "_relevance_"))
    if sibling == path or not sibling.exists():
        return {}
    return {str(k): v for k, v in (yaml.safe_load(sibling.read_text(encoding="utf-8")) or {}).items()}


def _question(q: dict, labels: dict) -> Question:
    asks = q.get("ask") or ()
    asks = (asks,) if isinstance(asks, str) else tuple(asks)
    answerable = bool(q.get("answerable", q.get("grounded", True)))
    groups = q.get("expect_groups") or labels.get(str(q["id"])) or ()
    return Question(id=str(q["id"]), question=q["question"], language=q["language"], kind=q.get("kind", ""),
                    intent=q.get("intent", ""), expect_groups=tuple(groups),
                    expect_figures=tuple(str(f) for f in q.get("expect_figures") or ()), grounded=answerable,
                    asks=asks, near_domain=bool(q.get("near_domain", False)),
                    answer_first=str(q.get("answer_first") or ""),
                    not_numbers=tuple(str(f) for f in q.get("not_numbers") or ()))


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


def answer_scores(assistant, questions: list[Question]) -> dict:
    """Per language: figure accuracy, citation validity, refusal rates, off-target figures and answer-first."""
    per_lang: dict[str, dict] = defaultdict(lambda: defaultdict(int, failures=[]))
    for q in questions:
        _score_answer(assistant.ask(q.question), q, per_lang[q.language])
    return {lang: {"figure_accuracy": _rate(s["fig_ok"], s["fig_n"]),
                   "citation_validity": _rate(s["cit_ok"], s["cit_n"]),
                   "refusal": _rate(s["oos_refused"], s["oos_n"]),
                   "near_domain_refusal": _rate(s["near_refused"], s["near_n"]),
                   "false_refusal": s["in_refused"] / s["in_n"] if s["in_n"] else 0.0,
                   "off_target": s["off_n"] / s["in_answered"] if s["in_answered"] else 0.0,
                   "answer_first": _rate(s["first_ok"], s["first_n"]),
                   "failures": s["failures"], "n_in": s["in_n"], "n_out": s["oos_n"] + s["near_n"],
                   "n_fig": s["fig_n"]}
            for lang, s in per_lang.items()}


def _score_answer(answer, q: Question, s: dict) -> None:
    if not q.grounded:
        key = "near" if q.near_domain else "oos"
        s[f"{key}_n"] += 1
        s[f"{key}_refused"] += not answer.grounded
        if answer.grounded:
            s["failures"].append((q.id, f"answered an unanswerable question ({key})"))
        return
    s["in_n"] += 1
    s["in_refused"] += not answer.grounded
    if not answer.grounded:
        s["failures"].append((q.id, "refused an answerable question"))
        return
    s["in_answered"] += 1
    problems = untraceable(answer)
    s["cit_n"] += 1
    s["cit_ok"] += not problems
    if problems:
        s["failures"].append((q.id, problems[0]))
    found = numbers_in(MARKER.sub(" ", answer.text))  # a citation marker [2] is not the figure 2
    if q.expect_figures:
        ok = all(any(same_number(f, n) for n in found) for f in q.expect_figures)
        s["fig_n"] += 1
        s["fig_ok"] += ok
        if not ok:
            s["failures"].append((q.id, f"figures {q.expect_figures} not in answer"))
    off = off_target_figures(answer, q, found)
    s["off_n"] += bool(off)
    if off:
        s["failures"].append((q.id, f"off-target figures {off}"))
    if q.answer_first and FIGURE_ASKS & set(q.asks):
        first = answer.text.strip().splitlines()[0] if answer.text.strip() else ""
        ok = _holds(first, q.answer_first)
        s["first_n"] += 1
        s["first_ok"] += ok
        if not ok:
            s["failures"].append((q.id, f"first line lacks {q.answer_first!r}: {first[:100]}"))


def off_target_figures(answer, q: Question, found: set[str]) -> list[str]:
    """Figures the question did not ask for: a trap figure, or a metric of a year the question did not name."""
    off = [f for f in q.not_numbers if any(same_number(f, n) for n in found)]
    years = asked_years(q.question)
    if years:  # a value the question expects is never off target (the year a "which year" question asks for)
        off += [f"{m.value} ({m.period})" for m in answer.metrics
                if re.fullmatch(r"20\d\d", str(m.period)) and int(m.period) not in years
                and not any(shows_value(f, m.value) for f in q.expect_figures)]
    return off


# Two years joined as a period ("2022–2024", "from 2021 to 2024", «с 2019 по 2024», «2021-ден 2024-ке дейін»):
# every year between them is asked, not only the two named.
_Y = r"(20[0-3]\d)"
_SPAN = re.compile("|".join([
    rf"\b{_Y}\s*[-–—]\s*{_Y}\b",                                        # 2022–2024
    rf"\b(?:between|from|с|от)\s+{_Y}\S*\s+(?:and|to|по|до)\s+{_Y}\b",   # between 2022 and 2024, с 2019 по 2024
    rf"\b{_Y}\s+(?:to|по|до)\s+{_Y}\b",                                 # 2019 to 2024
    rf"\b{_Y}\s*-?\s*(?:ден|дан|тен|тан)\s+{_Y}\b",                    # 2021-ден 2024-ке
    rf"\b{_Y}\s+жыл(?:дан|ден)\s+{_Y}\b",                               # 2020 жылдан 2024 жылға
]), re.I)


def asked_years(question: str) -> set[int]:
    """The years a question names, with every year inside a period it names by its two ends."""
    years = {int(y) for y in re.findall(r"\b(20[0-3]\d)\b", question)}
    for groups in _SPAN.findall(question):
        start, end = [int(y) for y in groups if y]
        if start < end:
            years |= set(range(start, end + 1))
    return years


def _holds(line: str, expected: str) -> bool:
    if re.fullmatch(r"\d+(\.\d+)?", expected):
        return any(same_number(expected, n) for n in numbers_in(line))
    return expected.lower() in line.lower()


def _rate(ok: int, n: int) -> float:
    return ok / n if n else 1.0


THRESHOLDS = {"recall_at_5": 0.90, "figure_accuracy": 0.95, "citation_validity": 1.00, "refusal": 0.90,
              "near_domain_refusal": 0.90, "answer_first": 0.90}
CEILINGS = {"false_refusal": 0.05, "off_target": 0.05}


def evaluate(assistant, questions: list[Question]) -> dict:
    retrieval = retrieval_scores(assistant.searcher, questions)
    answers = answer_scores(assistant, questions)
    table = {}
    for lang in sorted(set(retrieval) | set(answers)):
        r = retrieval.get(lang, {"recall_at_k": 1.0, "mrr": 1.0, "n": 0, "misses": []})
        a = answers[lang]
        table[lang] = {"questions": a["n_in"] + a["n_out"], "recall_at_5": r["recall_at_k"], "mrr": r["mrr"],
                       "figure_accuracy": a["figure_accuracy"], "citation_validity": a["citation_validity"],
                       "refusal": a["refusal"], "near_domain_refusal": a["near_domain_refusal"],
                       "false_refusal": a["false_refusal"], "off_target": a["off_target"],
                       "answer_first": a["answer_first"],
                       "failures": [(qid, f"missed in top 5: {groups}") for qid, _, groups in r["misses"]]
                       + a["failures"]}
    return table


def below_thresholds(table: dict, floors: dict | None = None, ceilings: dict | None = None) -> list[str]:
    """Every (language, measure) below its floor or above its ceiling — the targets unless others are given."""
    floors = THRESHOLDS if floors is None else floors
    ceilings = CEILINGS if ceilings is None else ceilings
    problems = []
    for lang, row in table.items():
        for key, floor in floors.items():
            if row[key] < floor:
                problems.append(f"{lang}: {key} {row[key]:.2f} < {floor:.2f}")
        for key, ceiling in ceilings.items():
            if row[key] > ceiling:
                problems.append(f"{lang}: {key} {row[key]:.2f} > {ceiling:.2f}")
    return problems


def render(table: dict) -> str:
    keys = ["questions", "recall_at_5", "mrr", "figure_accuracy", "citation_validity", "refusal",
            "near_domain_refusal", "false_refusal", "off_target", "answer_first"]
    lines = ["| language | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for lang, row in table.items():
        cells = [str(row[k]) if k == "questions" else f"{row[k]:.2f}" for k in keys]
        lines.append(f"| {lang} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
