"""Open an article of a law by its number: the article's paragraphs verbatim, each cited, the same article in
the other language paired, and the dates of both consolidations said out loud when they differ."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from indexer.documents import Chunk
from indexer.store import IndexStore

from assistant.types import Answer, Citation
from assistant.understand.legal_refs import (Act, ArticleRef, display_date, format_reference, legal_data)

LANGUAGE_ORDER = ("ru", "kk", "en")


def doc_legal(store: IndexStore, chunk: Chunk) -> dict:
    """The official-text facts (act, as_of, …) the build recorded for the chunk's document."""
    return store.manifest.get("documents", {}).get(chunk.source, {}).get("legal", {}) or {}


def label_citations(citations, store: IndexStore, lang: str, data_dir: Path) -> list[Citation]:
    """Each citation of a law's passage gets its formatted reference (act, article, paragraph, as-of date)."""
    laws_cited = any(c.article for c in citations)
    labelled = []
    for citation in citations:
        chunk = _law_passage(store, citation) if laws_cited else None
        if chunk is not None and not citation.reference:
            citation = replace(citation, reference=format_reference(
                chunk, lang, doc_legal(store, chunk).get("as_of", ""), data_dir))
        labelled.append(citation)
    return labelled


def _law_passage(store: IndexStore, citation: Citation) -> Chunk | None:
    """The law passage a citation quotes (the last one with its source and text), by an indexed lookup."""
    for chunk in reversed(store.chunks.many(store.chunks.positions(source=citation.source, text=citation.text))):
        if chunk.article:
            return chunk
    return None


def _article_docs(store: IndexStore, ref: ArticleRef, acts: tuple[Act, ...]) -> dict[str, list[int]]:
    """source → positions of the article's passages, for the act named (or the default act, or any law)."""
    by_source: dict[str, list[int]] = {}
    positions = store.chunks.positions(article=ref.article)
    for position, chunk in zip(positions, store.chunks.many(positions)):
        by_source.setdefault(chunk.source, []).append(position)
    if ref.act is not None:
        return {s: p for s, p in by_source.items() if ref.act.owns(store.chunks[p[0]])}
    for act in acts:
        if act.default:
            own = {s: p for s, p in by_source.items() if act.owns(store.chunks[p[0]])}
            if own:
                return own
    return by_source


def _language(store: IndexStore, source: str) -> str:
    return store.manifest.get("documents", {}).get(source, {}).get("language", "")


def answer_article(ref: ArticleRef, question: str, lang: str, store: IndexStore, data_dir: Path) -> Answer | None:
    """The article asked for; None when the index holds no law the reference can point to."""
    data = legal_data(Path(data_dir))
    lang = "kk" if ref.language == "kk" and lang == "ru" else lang  # «25-бап» alone reads as Cyrillic, not Kazakh
    words = data.answer.get(lang) or data.answer["en"]
    docs = _article_docs(store, ref, data.acts)
    if not docs:
        laws = store.chunks.many(store.chunks.first_of_each(("source", "title", "act"), nonempty="article"))
        if ref.act is None or not any(ref.act.owns(c) for c in laws):
            return None  # no such law in the index: the question goes through ordinary search
        act_name = ref.act.short.get(lang) or ref.act.short["en"]
        return Answer(question, lang, "article", False, words["not_found"].format(article=ref.article, act=act_name),
                      (), ())
    rank = {code: i for i, code in enumerate((lang,) + tuple(x for x in LANGUAGE_ORDER if x != lang))}
    sources = sorted(docs, key=lambda s: (rank.get(_language(store, s), 9), s))
    primary = sources[0]
    chunks = [store.chunks[p] for p in docs[primary]]
    if ref.paragraph and any(c.paragraph == ref.paragraph for c in chunks):
        chunks = [c for c in chunks if c.paragraph == ref.paragraph]
    first = chunks[0]
    as_of = doc_legal(store, first).get("as_of", "")
    citations: list[Citation] = []
    lines = [f"{first.section} — {format_reference(first, lang, as_of, data_dir, paragraph=False)}"]
    repealed = len(chunks) == 1 and first.text == first.section and first.note
    if repealed:
        lines.append(words["repealed"].format(article=ref.article))
    for chunk in chunks:
        citations.append(_cite(len(citations) + 1, chunk, lang, as_of, data_dir))
        lines.append(f"{chunk.note if repealed else chunk.text} [{len(citations)}]")
    lines.extend(_paired(store, docs, sources, first, lang, as_of, citations, words, data_dir))
    lines.append(words["current"])
    return Answer(question, lang, "article", True, "\n".join(lines), tuple(citations), ())


def _cite(n: int, chunk: Chunk, lang: str, as_of: str, data_dir: Path) -> Citation:
    citation = Citation.of_passage(n, chunk, 1.0)
    meta = dict(citation.meta, note=chunk.note, as_of=as_of, language=chunk.language)
    return replace(citation, meta=meta, reference=format_reference(chunk, lang, as_of, data_dir))


def _paired(store: IndexStore, docs: dict, sources: list[str], first: Chunk, lang: str, as_of: str,
            citations: list[Citation], words: dict, data_dir: Path) -> list[str]:
    """The same article in the other language of the same act, and a warning when the two dates differ."""
    lines = []
    for source in sources[1:]:
        same_paragraph = [p for p in docs[source] if store.chunks[p].paragraph == first.paragraph]
        other = store.chunks[(same_paragraph or docs[source])[0]]
        if other.translation_group != first.translation_group or other.language == first.language:
            continue
        other_as_of = doc_legal(store, other).get("as_of", "")
        citations.append(_cite(len(citations) + 1, other, lang, other_as_of, data_dir))
        label = words["paired"].get(other.language, other.language)
        lines.append(f"{label}: {other.section} — "
                     f"{format_reference(other, lang, other_as_of, data_dir, paragraph=False)} [{len(citations)}]")
        if as_of and other_as_of and as_of != other_as_of:
            dates = {first.language: display_date(as_of), other.language: display_date(other_as_of)}
            lines.append(words["dates_differ"].format(ru=dates.get("ru", ""), kk=dates.get("kk", "")))
        break
    return lines
