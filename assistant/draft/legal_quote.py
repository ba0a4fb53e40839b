"""Parent–child answers for laws: when the best passage is a paragraph of a law, the answer quotes that paragraph
(verbatim, cut at a sentence end when long) with its citation, even if the extractive picker chose other lines."""
from __future__ import annotations

from assistant.types import Citation, Hit

MAX_QUOTE_CHARS = 700


def _quote(text: str) -> str:
    """The paragraph verbatim; a long one up to the last sentence or list item that fits, then «…»."""
    if len(text) <= MAX_QUOTE_CHARS:
        return " ".join(text.split())
    cut = max(text.rfind(mark, 0, MAX_QUOTE_CHARS) for mark in (". ", ";\n", ":\n", ".\n"))
    return " ".join(text[: cut + 1 if cut > 0 else MAX_QUOTE_CHARS].split()) + " …"


LAW_MARGIN = 0.02  # an official text's paragraph this close to the best passage is quoted beside our notes


def best_paragraph(hits: list[Hit], law_hits: list[Hit]) -> Hit | None:
    """The law paragraph to quote: the top hit when it is one, else the best official-text paragraph found by a
    search restricted to laws when it is nearly as close to the question as the best passage (our notes often
    paraphrase the law; the answer should then also quote the law itself)."""
    if hits and hits[0].chunk.article:
        return hits[0]
    best = max((h.dense for h in hits), default=0.0)
    for hit in law_hits:
        if hit.chunk.article and hit.dense >= best - LAW_MARGIN:
            return hit
    return None


def quote_top_paragraph(text: str, citations: list[Citation], hits: list[Hit], grounded: bool,
                        law_hits: list[Hit] = ()):
    """(text, citations) with the best law paragraph quoted first when the answer does not cite it yet."""
    chosen = best_paragraph(hits, list(law_hits)) if grounded else None
    if chosen is None:
        return text, citations
    hits = [chosen]
    top = chosen.chunk
    if any(c.source == top.source and c.article == top.article for c in citations):
        return text, citations
    citation = Citation.of_passage(len(citations) + 1, top, hits[0].score)
    lines = text.splitlines()
    lines.insert(1 if lines else 0, f"- {_quote(top.text)} [{citation.n}]")
    return "\n".join(lines), list(citations) + [citation]
