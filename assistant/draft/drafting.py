"""Extractive answers: the best sentences of the top passages, each with its [n], plus the metric facts.

The connecting wording is ours (templates in three languages); every number in an answer comes from a cited
passage sentence or from a metric fact computed from a cited data row.
"""
from __future__ import annotations

import re
from pathlib import Path

from indexer.chunking import sentence_spans

from assistant.draft.answer_first import FIRST_LINE_ASKS, first_line
from assistant.draft.citations import CitationBook
from assistant.draft.focus import BULLET, firmly_asked, lead_line, settles, split_settled
from assistant.draft.passages import passage_units
from assistant.draft.wording import fact_value, phrase
from assistant.types import Citation, Frame, Hit, MetricFact, QueryAnalysis

TEMPLATES = {
    "ru": {"intro": "По документам базы знаний:", "figures": "Показатели из таблиц данных:",
           "none": "В документах базы знаний нет ответа на этот вопрос. Уточните вопрос или добавьте документы.",
           "change": "изменение к {year} году", "since": "было {value} в {year} году"},
    "kk": {"intro": "Білім қорындағы құжаттар бойынша:", "figures": "Деректер кестелеріндегі көрсеткіштер:",
           "none": "Білім қорының құжаттарында бұл сұраққа жауап жоқ. Сұрақты нақтылаңыз немесе құжат қосыңыз.",
           "change": "{year} жылға қарағанда өзгеріс", "since": "{year} жылы {value} болған"},
    "en": {"intro": "According to the knowledge base:", "figures": "Figures from the data tables:",
           "none": "The documents in the knowledge base do not answer this question. Rephrase it or add documents.",
           "change": "change against {year}", "since": "was {value} in {year}"},
}
def format_fact(fact: MetricFact, lang: str, data_dir: Path) -> str:
    """"Entity — label (period): value" with the unit agreed with the number and the source's precision."""
    return f"{fact.entity_name} — {fact.label} ({fact.period}): {fact_value(fact, lang, data_dir)}"


_ABBREVIATION_END = re.compile(r"(\bet al|\bi\.e|\be\.g|\bт\.\s?к|\bт\.\s?б|\bт\.\s?е|\bг|\bгг|\bст|\bп|\bподп|\bпп|\bч|\bим|\bдр|\bсм|\bNo|№|\b[A-ZА-Я])\.$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage. Re-joined where a split fell after an abbreviation ("et al.", "ст.") or inside
    brackets; a line that ends with ":" keeps the list items that follow it (up to ~450 characters)."""
    pieces: list[tuple[str, bool]] = []  # (text, opens a list)
    for span in sentence_spans(text):
        raw = text[span.start:span.end].strip()
        piece = BULLET.sub("", raw)
        if pieces and (_ABBREVIATION_END.search(pieces[-1][0]) or pieces[-1][0].count("(") > pieces[-1][0].count(")")):
            pieces[-1] = (f"{pieces[-1][0]} {piece}", pieces[-1][1])
        elif pieces and pieces[-1][1] and len(pieces[-1][0]) + len(piece) < 450 and raw != piece:
            pieces[-1] = (f"{pieces[-1][0]} {piece}", True)
        else:
            pieces.append((piece, piece.endswith(":")))
    return [p for p, _ in pieces if len(p.split()) >= 4]


def draft_answer(analysis: QueryAnalysis, frame: Frame, candidates: list[tuple[int, Hit]],
                 facts: list[MetricFact], weights: dict[str, float], data_dir: Path) -> tuple[str, list[Citation]]:
    """Answer first (one sentence from the computed facts), then the best passages as cited paragraphs in rank
    order, then the remaining figures — every line with its [n]."""
    lang = analysis.language if analysis.language in TEMPLATES else "en"
    book = CitationBook()
    lines: list[str] = []
    sentence, used = first_line(frame, facts, lang, data_dir)
    wants_figures = bool(facts) or frame.wants(*FIRST_LINE_ASKS)
    units = passage_units(candidates, analysis, weights, wants_figures)
    if sentence:
        corroborating: list = []
        if settles(frame, used):  # data rows answer: quote passages without the figures nobody asked for
            firm = firmly_asked(frame, used, analysis, data_dir)
            units, corroborating = split_settled(units, used, firm)
        marks = [book.fact(f) for f in used] + [book.passage(u.hit) for u in corroborating]
        lines.append(f"{sentence} {''.join(f'[{n}]' for n in marks)}")
    elif frame.wants(*FIRST_LINE_ASKS) and (lead := lead_line(units, analysis, weights)):
        lines.append(f"{lead[0]} [{book.passage(lead[1].hit)}]")  # no table answers: the best figure line
    if units:
        lines += ["", phrase(data_dir, lang, "passages_header")] if lines else [phrase(data_dir, lang, "passages_header")]
        lines += [_quote(unit.text, book.passage(unit.hit)) for unit in units]
    rest = [f for f in facts if f not in used]
    if rest:
        lines += ["", phrase(data_dir, lang, "figures_header")]
        lines += [f"- {format_fact(f, lang, data_dir)} [{book.fact(f)}]" for f in rest]
    return "\n".join(lines), book.citations


def _quote(text: str, n: int) -> str:
    """A paragraph as a Markdown list item (a list keeps its items, indented under the intro)."""
    head, *items = text.splitlines()
    body = [f"- {head} [{n}]" if not items else f"- {head}"]
    body += [f"  {item.strip()}" for item in items]
    if items:
        body[-1] += f" [{n}]"
    return "\n".join(body)


def refusal(lang: str) -> str:
    return TEMPLATES.get(lang, TEMPLATES["en"])["none"]
