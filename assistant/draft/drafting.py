"""Extractive answers: the best sentences of the top passages, each with its [n], plus the metric facts.

The connecting wording is ours (templates in three languages); every number in an answer comes from a cited
passage sentence or from a metric fact computed from a cited data row.
"""
from __future__ import annotations

import re

from indexer.analysis import tokenize
from indexer.chunking import sentence_spans

from assistant.retrieve.retrieval import LIST_SECTIONS
from assistant.types import Citation, Hit, MetricFact, QueryAnalysis

MAX_SENTENCES = 3
MIN_SENTENCE_SCORE = 0.12
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
UNIT_LABELS = {
    "services per employee": {"ru": "услуг на сотрудника", "kk": "қызмет / қызметкер", "en": "services per employee"},
    "services": {"ru": "услуг", "kk": "қызмет", "en": "services"},
    "complaints": {"ru": "жалоб", "kk": "шағым", "en": "complaints"},
    "persons": {"ru": "чел.", "kk": "адам", "en": "persons"},
    "participants": {"ru": "участников", "kk": "қатысушы", "en": "participants"},
    "broadcasts": {"ru": "эфиров", "kk": "эфир", "en": "broadcasts"},
    "events": {"ru": "мероприятий", "kk": "іс-шара", "en": "events"},
    "measures": {"ru": "мероприятий", "kk": "іс-шара", "en": "measures"},
    "videos": {"ru": "видеороликов", "kk": "бейнеролик", "en": "videos"},
    "staff units": {"ru": "штатных единиц", "kk": "штат бірлігі", "en": "staff units"},
    "count": {"ru": "", "kk": "", "en": ""},
}
_NUMBER = re.compile(r"\d[\d\s\u00a0\u202f]*(?:[.,]\d+)?")


def format_number(value: float, lang: str, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = 0 if float(value).is_integer() and abs(value) >= 1 else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}"
    if lang in ("ru", "kk"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def format_fact(fact: MetricFact, lang: str) -> str:
    t = TEMPLATES[lang]
    if fact.unit == "ratio":
        sign = "+" if fact.value > 0 else ""
        return f"{fact.entity_name} — {fact.label} ({fact.period}): {sign}{format_number(fact.value * 100, lang, 1)}%"
    label = UNIT_LABELS.get(fact.unit, {}).get(lang, fact.unit)
    unit = "%" if fact.unit == "%" else (f" {label}" if label else "")
    value = format_number(fact.value, lang) + unit
    line = f"{fact.entity_name} — {fact.label} ({fact.period}): {value}"
    if fact.kind == "trend" and fact.previous is not None:
        start = re.search(r"(\d{4})", fact.label)
        year = start.group(1) if start else ""
        line += f" ({t['since'].format(value=format_number(fact.previous, lang) + unit, year=year)})"
    return line


_ABBREVIATION_END = re.compile(r"(\bet al|\bi\.e|\be\.g|\bт\.\s?к|\bт\.\s?б|\bт\.\s?е|\bг|\bгг|\bст|\bп|\bподп|\bпп|\bч|\bим|\bдр|\bсм|\bNo|№|\b[A-ZА-Я])\.$")
_BULLET = re.compile(r"^\s*(?:[-*•–]\s+)+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage. Re-joined where a split fell after an abbreviation ("et al.", "ст.") or inside
    brackets; a line that ends with ":" keeps the list items that follow it (up to ~450 characters)."""
    pieces: list[tuple[str, bool]] = []  # (text, opens a list)
    for span in sentence_spans(text):
        raw = text[span.start:span.end].strip()
        piece = _BULLET.sub("", raw)
        if pieces and (_ABBREVIATION_END.search(pieces[-1][0]) or pieces[-1][0].count("(") > pieces[-1][0].count(")")):
            pieces[-1] = (f"{pieces[-1][0]} {piece}", pieces[-1][1])
        elif pieces and pieces[-1][1] and len(pieces[-1][0]) + len(piece) < 450 and raw != piece:
            pieces[-1] = (f"{pieces[-1][0]} {piece}", True)
        else:
            pieces.append((piece, piece.endswith(":")))
    return [p for p, _ in pieces if len(p.split()) >= 4]


def score_sentence(sentence: str, query_terms: set[str], weights: dict[str, float], analysis: QueryAnalysis,
                   rank: int) -> float:
    """IDF-weighted overlap with the question, plus figures and asked-for years when figures are wanted."""
    terms = set(tokenize(sentence))
    total = sum(weights.get(t, 1.0) for t in query_terms) or 1.0
    overlap = sum(weights.get(t, 1.0) for t in terms & query_terms) / total
    bonus = 0.0
    has_numbers = bool(_NUMBER.search(sentence))
    if analysis.intent in ("figure", "comparison", "fact"):
        bonus += 0.15 * min(2, len(_NUMBER.findall(sentence)))
        if analysis.intent != "fact" and not has_numbers:
            overlap *= 0.6  # a figure was asked for: a sentence without one rarely answers
    if analysis.years and any(str(y) in sentence for y in analysis.years):
        bonus += 0.25
    return overlap + bonus + 0.15 / (1 + rank)


def pick_sentences(candidates: list[tuple[int, Hit]], analysis: QueryAnalysis,
                   weights: dict[str, float] | None = None, limit: int = MAX_SENTENCES) -> list[tuple[int, str]]:
    """(candidate index, sentence) pairs: best sentences, at most two from one passage, in answer order.

    `candidates` are (retrieval rank, passage); the rank gives a small prior to better-ranked documents."""
    query_terms = set(tokenize(analysis.lexical_query))
    weights = weights or {}
    scored = []
    for index, (rank, hit) in enumerate(candidates):
        if hit.chunk.doc_type == "data" or any(word in hit.chunk.section.lower() for word in LIST_SECTIONS):
            continue  # table rows reach the answer as metric facts, list sections say nothing
        for sentence in split_sentences(hit.chunk.text):
            if sentence.startswith("#") or len(sentence) > 600:
                continue
            scored.append((score_sentence(sentence, query_terms, weights, analysis, rank), index, sentence))
    scored.sort(key=lambda item: -item[0])
    chosen, per_hit = [], {}
    for score, index, sentence in scored:
        if per_hit.get(index, 0) >= 2 or score <= MIN_SENTENCE_SCORE or any(sentence == c for _, c in chosen):
            continue
        chosen.append((index, sentence))
        per_hit[index] = per_hit.get(index, 0) + 1
        if len(chosen) == limit:
            break
    return chosen


def draft_answer(analysis: QueryAnalysis, candidates: list[tuple[int, Hit]], facts: list[MetricFact],
                 grounded: bool, weights: dict[str, float] | None = None) -> tuple[str, list[Citation]]:
    """The answer text with [n] markers and the citations those markers resolve to."""
    t = TEMPLATES[analysis.language if analysis.language in TEMPLATES else "en"]
    if not grounded:
        return t["none"], []
    citations: list[Citation] = []
    number_of: dict[int, int] = {}
    lines = [t["intro"]]
    limit = MAX_SENTENCES + 1 if analysis.intent in ("figure", "comparison") else MAX_SENTENCES
    for index, sentence in pick_sentences(candidates, analysis, weights, limit):
        if index not in number_of:
            hit = candidates[index][1]
            chunk = hit.chunk
            number_of[index] = len(citations) + 1
            citations.append(Citation.of_passage(number_of[index], chunk, hit.score))
        lines.append(f"- {sentence} [{number_of[index]}]")
    if facts:
        lines.append(t["figures"])
        for fact in facts:
            n = len(citations) + 1
            citations.append(Citation(n, fact.indicator, fact.label, fact.source.split(" (")[0], None,
                                      fact.entity_name, fact.source, 1.0, kind="data", meta=fact.as_dict()))
            lines.append(f"- {format_fact(fact, analysis.language)} [{n}]")
    return "\n".join(lines), citations
