"""SWOT, PEST and seminar-brief drafts: structures assembled from the findings notes and live metrics."""
from __future__ import annotations

from dataclasses import replace

from assistant.draft.drafting import TEMPLATES, format_fact, split_sentences
from assistant.measure.facts import facts_for
from assistant.draft.citations import CitationBook
from assistant.retrieve.retrieval import Searcher
from assistant.types import Hit, MetricFact, QueryAnalysis

FRAMEWORK_GROUPS = {"swot": "swot-analysis", "pest": "pest-analysis", "brief": "awareness-people-first"}
ITEMS_PER_SECTION = 3
# Figures that speak to each framework; looked up with the same machinery as a question about them.
FRAMEWORK_FIGURES = {
    "swot": ("Which departments are overloaded workload coefficient", "complaints 2024", "paper share change"),
    "pest": ("paper share change", "complaints 2024"),
    "brief": ("People First seminar participants change", "citizens advised change", "complaints 2024"),
}
DISCUSSION = {
    "ru": ["Почему число участников семинара «Люди прежде всего» снижается и какие форматы вернут интерес?",
           "Какие процедуры в вашем подразделении чаще всего вызывают жалобы и как их упростить?",
           "Как измерять, что гражданин остался доволен услугой, а не только что срок соблюдён?"],
    "kk": ["«Адамдар бірінші кезекте» семинарына қатысушылар неге азаюда және қандай форматтар қызығушылықты қайтарады?",
           "Сіздің бөлімшеңізде қай рәсімдер жиі шағым тудырады және оларды қалай жеңілдетуге болады?",
           "Азаматтың қызметке көңілі толғанын тек мерзімнің сақталуымен емес, қалай өлшеуге болады?"],
    "en": ["Why is attendance of the People First seminar falling, and which formats would bring people back?",
           "Which procedures in your unit draw the most complaints, and how could they be simplified?",
           "How can we measure that a citizen was satisfied with a service, not only that the deadline was met?"],
}
HEADERS = {
    "ru": {"facts": "Ключевые факты:", "trends": "Тенденции:", "case": "Пример для разбора:",
           "questions": "Вопросы для обсуждения:"},
    "kk": {"facts": "Негізгі деректер:", "trends": "Үрдістер:", "case": "Талдауға арналған мысал:",
           "questions": "Талқылауға арналған сұрақтар:"},
    "en": {"facts": "Key facts:", "trends": "Trends:", "case": "A case to discuss:",
           "questions": "Discussion questions:"},
}


def _sections(hits: list[Hit]) -> list[tuple[str, list[Hit]]]:
    ordered: dict[str, list[Hit]] = {}
    for hit in hits:
        ordered.setdefault(hit.chunk.section, []).append(hit)
    return list(ordered.items())


def _framework_facts(kind: str, analysis: QueryAnalysis, searcher: Searcher) -> list[MetricFact]:
    from assistant.understand.query import analyse

    facts: list[MetricFact] = []
    for probe in FRAMEWORK_FIGURES[kind]:
        probe_analysis = replace(analyse(probe, searcher.settings.data_dir, "en"), language=analysis.language)
        facts.extend(f for f in facts_for(probe_analysis, searcher.settings.data_dir) if f not in facts)
    return facts[:6]


def draft_framework(analysis: QueryAnalysis, searcher: Searcher) -> tuple[str, list] | None:
    """Text with [n] markers and citations for a SWOT, PEST or seminar-brief request; None if the note is missing."""
    kind = analysis.intent
    hits = searcher.group_hits(FRAMEWORK_GROUPS[kind], analysis.language)
    if not hits:
        return None
    lang = analysis.language if analysis.language in TEMPLATES else "en"
    book = CitationBook()
    lines = [TEMPLATES[lang]["intro"]]
    sections = _sections(hits)
    if kind == "brief":
        lines.append(HEADERS[lang]["facts"])
        sections = sections[:3]
    else:
        sections = sections[1:-1] or sections  # the quadrants or factor groups, without purpose and conclusion
    for title, section_hits in sections:
        if kind != "brief":
            lines.append(f"{title}:")
        n = book.passage(section_hits[0])
        for sentence in split_sentences(" ".join(h.chunk.text for h in section_hits))[:ITEMS_PER_SECTION]:
            lines.append(f"- {sentence} [{n}]")
    facts = _framework_facts(kind, analysis, searcher)
    if facts:
        lines.append(HEADERS[lang]["trends"] if kind == "brief" else TEMPLATES[lang]["figures"])
        for fact in facts:
            lines.append(f"- {format_fact(fact, lang, searcher.settings.data_dir)} [{book.fact(fact)}]")
    if kind == "brief":
        case = searcher.search("overloaded department land relations Uralsk 1.71", k=1, doc_types={"finding"})
        if case:
            sentences = split_sentences(case[0].chunk.text)
            if sentences:
                lines += [HEADERS[lang]["case"], f"- {sentences[0]} [{book.passage(case[0])}]"]
        lines.append(HEADERS[lang]["questions"])
        lines += [f"- {q}" for q in DISCUSSION[lang]]
    return "\n".join(lines), book.citations, facts
