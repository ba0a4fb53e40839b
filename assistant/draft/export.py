"""Export an answer (with its recommendations) to Markdown or DOCX, with numbered citations and a bibliography
built from the `sources` of the cited documents."""
from __future__ import annotations

from pathlib import Path

from assistant.types import Answer

HEADINGS = {
    "ru": {"question": "Вопрос", "answer": "Ответ", "recs": "Рекомендации", "problem": "Проблема",
           "legal": "Правовая основа", "actions": "Меры", "responsible": "Ответственные органы", "kpis": "Показатели (KPI)",
           "evidence": "Доказательная база", "citations": "Источники цитат", "bibliography": "Библиография",
           "page": "с."},
    "kk": {"question": "Сұрақ", "answer": "Жауап", "recs": "Ұсынымдар", "problem": "Мәселе",
           "legal": "Құқықтық негіз", "actions": "Шаралар", "responsible": "Жауапты органдар", "kpis": "Көрсеткіштер (KPI)",
           "evidence": "Дәлелдер", "citations": "Дәйексөз көздері", "bibliography": "Библиография", "page": "б."},
    "en": {"question": "Question", "answer": "Answer", "recs": "Recommendations", "problem": "Problem",
           "legal": "Legal basis", "actions": "Actions", "responsible": "Responsible bodies", "kpis": "KPIs",
           "evidence": "Evidence", "citations": "Cited passages", "bibliography": "Bibliography", "page": "p."},
}


def format_reference(source: dict) -> str:
    parts = [str(source.get("author") or "").strip()]
    if source.get("year"):
        parts[0] = f"{parts[0]} ({source['year']})".strip()
    for key in ("title", "official_id", "locator"):
        if source.get(key):
            parts.append(str(source[key]).strip())
    ref = ". ".join(p for p in parts if p)
    if source.get("doi"):
        ref += f". DOI: {source['doi']}"
    if source.get("url"):
        ref += f". {source['url']}"
    return ref


def bibliography(answer: Answer, documents: dict) -> list[str]:
    """References of every cited document (front-matter sources), the data tables' article, and the rest by name."""
    by_doc = {entry.get("doc_id"): entry for entry in documents.values()}
    refs: dict[str, None] = {}
    for citation in answer.citations:
        if citation.kind == "data":
            for ref in _article_references(documents, citation.text):
                refs[ref] = None
            continue
        entry = by_doc.get(citation.doc_id, {})
        sources = entry.get("sources") or []
        for source in sources:
            refs[format_reference({k: v for k, v in source.items() if k != "locator"})] = None
        if not sources:
            refs[f"{citation.title} ({citation.source})"] = None
    return list(refs)


def _article_references(documents: dict, data_source: str) -> list[str]:
    """The full reference behind a data row's short source ("Samarkhanov et al. 2025, Table 5")."""
    author = data_source.split("(")[-1].split(" et al")[0].strip()
    for entry in documents.values():
        for source in entry.get("sources") or []:
            if author and str(source.get("author", "")).startswith(author):
                return [format_reference({k: v for k, v in source.items() if k != "locator"})]
    return [data_source]


def _citation_line(c, lang: str) -> str:
    page = f", {HEADINGS[lang]['page']} {c.page}" if c.page else ""
    section = f", «{c.section}»" if c.section else ""
    return f"[{c.n}] {c.title} — {c.source}{page}{section}"


def to_markdown(answer: Answer, documents: dict) -> str:
    h = HEADINGS.get(answer.language, HEADINGS["en"])
    lines = [f"# {h['question']}", "", answer.question, "", f"## {h['answer']}", "", answer.text, ""]
    for number, rec in enumerate(answer.recommendations, start=1):
        if number == 1:
            lines += [f"## {h['recs']}", ""]
        lines += [f"### {number}. {rec.title}", "", f"**{h['problem']}.** {rec.problem}", ""]
        if rec.legal_basis:
            lines += [f"**{h['legal']}.** {rec.legal_basis}", ""]
        lines += [f"**{h['actions']}:**"] + [f"- {a}" for a in rec.actions] + [""]
        lines += [f"**{h['responsible']}:** " + "; ".join(rec.responsible), ""]
        lines += [f"**{h['kpis']}:**"] + [f"- {k}" for k in rec.kpis] + [""]
        lines += [f"**{h['evidence']}:** " + ", ".join(f"[{n}]" for n in rec.evidence), ""]
    lines += [f"## {h['citations']}", ""] + [_citation_line(c, answer.language) for c in answer.citations] + [""]
    lines += [f"## {h['bibliography']}", ""] + [f"{i}. {ref}" for i, ref in
                                               enumerate(bibliography(answer, documents), start=1)]
    return "\n".join(lines) + "\n"


def to_docx(answer: Answer, documents: dict, path: Path) -> Path:
    import docx

    h = HEADINGS.get(answer.language, HEADINGS["en"])
    document = docx.Document()
    document.core_properties.title = answer.question[:200]
    document.add_heading(h["question"], level=1)
    document.add_paragraph(answer.question)
    document.add_heading(h["answer"], level=1)
    for line in answer.text.splitlines():
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(line)
    for number, rec in enumerate(answer.recommendations, start=1):
        if number == 1:
            document.add_heading(h["recs"], level=1)
        document.add_heading(f"{number}. {rec.title}", level=2)
        document.add_paragraph(f"{h['problem']}: {rec.problem}")
        if rec.legal_basis:
            document.add_paragraph(f"{h['legal']}: {rec.legal_basis}")
        document.add_paragraph(f"{h['actions']}:")
        for action in rec.actions:
            document.add_paragraph(action, style="List Bullet")
        document.add_paragraph(f"{h['responsible']}: " + "; ".join(rec.responsible))
        document.add_paragraph(f"{h['kpis']}:")
        for kpi in rec.kpis:
            document.add_paragraph(kpi, style="List Bullet")
        document.add_paragraph(f"{h['evidence']}: " + ", ".join(f"[{n}]" for n in rec.evidence))
    document.add_heading(h["citations"], level=1)
    for c in answer.citations:
        document.add_paragraph(_citation_line(c, answer.language))
    document.add_heading(h["bibliography"], level=1)
    for ref in bibliography(answer, documents):
        document.add_paragraph(ref, style="List Number")
    document.save(str(path))
    return Path(path)
