"""Hybrid retrieval: dense (FAISS) + BM25 fused by reciprocal rank fusion, then entity and intent boosts,
one passage per translation group (in the user's language where one exists), and MMR for diversity."""
from __future__ import annotations

import logging

import numpy as np
from threadpoolctl import threadpool_limits

from indexer.analysis import tokenize
from indexer.build import embedder_identity
from indexer.embedding import Embedder, make_embedder
from indexer.settings import Settings
from indexer.store import IndexStore

from assistant.retrieve.fusion import mmr, reciprocal_rank_fusion
from assistant.measure.knowledge import alias_index
from assistant.types import Hit, QueryAnalysis

log = logging.getLogger(__name__)
CANDIDATES = 60
INTENT_TYPES = {"recommendation": {"playbook": 1.35, "finding": 1.05}, "definition": {"concept": 1.3},
                "swot": {"finding": 1.2, "concept": 1.1}, "pest": {"finding": 1.2, "concept": 1.1},
                "brief": {"finding": 1.15}, "figure": {"finding": 1.1, "data": 1.0}}
ENTITY_BOOST = 1.25
# Sections that list names or sources rather than say something: they match many queries and answer none.
LIST_SECTIONS = ("связанн", "related", "байланыс", "источник", "sources", "дереккөз", "evidence", "обоснован",
                 "негіздеме", "срабатыв", "trigger", "іске қосылу", "kpi")
LIST_SECTION_WEIGHT = 0.6
NOTE_TYPES = {"regulation", "concept", "finding", "practice", "playbook", "project"}  # the team's short notes


class Searcher:
    """Loads the store and the embedder once; answers many queries."""

    def __init__(self, settings: Settings, store: IndexStore | None = None, embedder: Embedder | None = None):
        # Our matrix products are tiny; an OpenBLAS thread team left spinning after them starves the embedder's
        # threads (measured: query embedding p95 105 ms → 18 ms with BLAS held to one thread).
        threadpool_limits(1, user_api="blas")
        self.settings = settings
        self.store = store or IndexStore.load(settings.index_dir)
        self.store.check_embedder(embedder.identity if embedder else embedder_identity(settings))
        self.embedder = embedder or make_embedder(settings)
        self._tokens: dict[int, str] = {}  # position → " token token … " of the chunk, filled on first use

    def search(self, query: str, k: int = 10, analysis: QueryAnalysis | None = None,
               doc_types: set[str] | None = None) -> list[Hit]:
        vector = self.embedder.embed_query(query)
        return self.search_vector(vector, query, k, analysis, doc_types)

    def search_vector(self, vector: np.ndarray, query: str, k: int, analysis: QueryAnalysis | None = None,
                      doc_types: set[str] | None = None) -> list[Hit]:
        lexical_query = analysis.lexical_query if analysis else query
        dense = self.store.search_dense(vector, CANDIDATES)
        lexical = self.store.search_bm25(lexical_query, CANDIDATES)
        fused = reciprocal_rank_fusion([[h.position for h in dense], [h.position for h in lexical]])
        bm25 = {h.position: h.score for h in lexical}
        scored = self._boost(fused, analysis)
        if doc_types:
            scored = {p: s for p, s in scored.items() if self.store.chunks[p].doc_type in doc_types}
        best = self._one_per_group(scored, vector, analysis.language if analysis else None)
        if not best:
            return []
        positions = [p for p, _ in best]
        chosen = mmr(positions, [s for _, s in best], np.asarray(self.store.vectors[positions]), k, lambda_=0.85)
        score_of = dict(best)
        return [Hit(self.store.chunks[p], score_of[p], float(self.store.vectors[p] @ vector), bm25.get(p, 0.0), p)
                for p in chosen]

    def with_siblings(self, hits: list[Hit], top: int = 3) -> list[tuple[int, Hit]]:
        """(rank, hit) for every hit, plus the other passages of the same document for the first `top` hits:
        a note's figures often sit in another section than the one that matched best."""
        seen = {h.position for h in hits}
        expanded = [(rank, hit) for rank, hit in enumerate(hits)]
        for rank, hit in enumerate(hits[:top]):
            positions = [p for p in self._sibling_positions(hit.chunk) if p not in seen]
            for position, chunk in zip(positions, self.store.chunks.many(positions)):
                seen.add(position)
                expanded.append((rank, Hit(chunk, hit.score, 0.0, 0.0, position)))
        return expanded

    def _sibling_positions(self, chunk) -> list[int]:
        """The passages of the chunk's document that same_parent() accepts, found by indexed lookups (a long
        law or table is not read row by row): the same article; else the same page; else a note's sections."""
        chunks = self.store.chunks
        if chunk.article:
            return chunks.positions(doc_id=chunk.doc_id, article=chunk.article)
        if chunk.page is not None:
            return chunks.positions(doc_id=chunk.doc_id, article="", page=chunk.page)
        return chunks.positions(doc_id=chunk.doc_id, article="") if chunk.doc_type in NOTE_TYPES else []

    def group_positions(self, group: str, language: str) -> list[int]:
        """Positions of a unit's passages in one language, in document order: a translation group's, or for a
        law's paragraph (unit_key "group#article#paragraph") the same paragraph's. Indexed lookups, no scan."""
        positions = self.store.chunks.positions(translation_group=group, language=language)
        parts = group.rsplit("#", 2)
        if len(parts) == 3 and parts[1]:
            tg, article, paragraph = parts
            positions = sorted(set(positions) | set(self.store.chunks.positions(
                article=article, translation_group=tg, paragraph=paragraph, language=language)))
        return positions

    def group_hits(self, group: str, language: str) -> list[Hit]:
        """Every passage of a translation group in document order, in the given language where it exists."""
        for lang in (language, "en", "ru"):
            positions = self.group_positions(group, lang)
            if positions:
                return [Hit(c, 1.0, 1.0, 0.0, p) for p, c in zip(positions, self.store.chunks.many(positions))]
        return []

    def group_passage(self, group: str, language: str) -> Hit | None:
        """The opening passage of a translation group, in the given language where it exists."""
        hits = self.group_hits(group, language)
        return hits[0] if hits else None

    def _boost(self, fused: dict[int, float], analysis: QueryAnalysis | None) -> dict[int, float]:
        if analysis is None:
            return dict(fused)
        type_weights = INTENT_TYPES.get(analysis.intent, {})
        aliases = [alias for alias, entity in alias_index(self.settings.data_dir) if entity in analysis.entities]
        boosted = {}
        for position, score in fused.items():
            chunk = self.store.chunks[position]
            weight = type_weights.get(chunk.doc_type, 1.0)
            if chunk.doc_type == "data" and analysis.intent not in ("figure", "comparison"):
                weight *= 0.8
            if chunk.doc_type == "playbook" and analysis.intent != "recommendation":
                weight *= 0.85
            if any(word in chunk.section.lower() for word in LIST_SECTIONS):
                weight *= LIST_SECTION_WEIGHT
            if aliases and _mentions(self._chunk_tokens(position), aliases):
                weight *= ENTITY_BOOST
            boosted[position] = score * weight
        return boosted

    def _chunk_tokens(self, position: int) -> str:
        if position not in self._tokens:
            self._tokens[position] = " " + " ".join(tokenize(self.store.chunks[position].embedding_text())) + " "
        return self._tokens[position]

    def _one_per_group(self, scored: dict[int, float], vector: np.ndarray, language: str | None):
        """Best score per translation group; the passage shown is the group's best in the user's language."""
        best_by_group: dict[str, tuple[int, float]] = {}
        for position, score in scored.items():
            group = unit_key(self.store.chunks[position], position)
            if group not in best_by_group or score > best_by_group[group][1]:
                best_by_group[group] = (position, score)
        result = []
        for group, (position, score) in best_by_group.items():
            if language and self.store.chunks[position].language != language:
                same = [p for p in self.group_positions(group, language)
                        if not any(w in self.store.chunks[p].section.lower() for w in LIST_SECTIONS)]
                if same:
                    sims = np.asarray(self.store.vectors[same]) @ vector
                    position = same[int(np.argmax(sims))]
            result.append((position, score))
        return sorted(result, key=lambda item: -item[1])[:CANDIDATES]


def unit_key(chunk, position: int) -> str:
    """What counts as "the same passage" across languages: a note's translation group; for a law, the same
    paragraph of the same article in any language of the act; a document without translations never merges."""
    if chunk.article:
        return f"{chunk.translation_group}#{chunk.article}#{chunk.paragraph}"
    if chunk.translation_group == chunk.doc_id and chunk.doc_type not in NOTE_TYPES | {"data"}:
        return f"#{position}"
    return chunk.translation_group


def same_parent(hit_chunk, other) -> bool:
    """Parent–child: a law's paragraph brings the rest of its article, a PDF page its neighbours on that page;
    a short note brings all its sections."""
    if hit_chunk.article or other.article:
        return hit_chunk.article == other.article
    if hit_chunk.page is not None:
        return other.page == hit_chunk.page
    return hit_chunk.doc_type in NOTE_TYPES


def _mentions(joined_tokens: str, aliases: list[tuple[str, ...]]) -> bool:
    return any(" " + " ".join(alias) + " " in joined_tokens for alias in aliases)
