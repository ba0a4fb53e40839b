"""Hybrid retrieval over the index: dense (FAISS) + BM25, fused by reciprocal rank fusion."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from indexer.build import embedder_identity
from indexer.documents import Chunk
from indexer.embedding import Embedder, make_embedder
from indexer.settings import Settings
from indexer.store import IndexStore

from .fusion import reciprocal_rank_fusion, top_items

log = logging.getLogger(__name__)
CANDIDATES = 50


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused score
    dense: float  # cosine similarity with the query (0 when the chunk came from BM25 only)
    bm25: float
    position: int

    def as_dict(self) -> dict:
        c = self.chunk
        return {"doc_id": c.doc_id, "title": c.title, "source": c.source, "page": c.page, "section": c.section,
                "row": c.row, "language": c.language, "type": c.doc_type, "score": round(self.score, 5),
                "dense": round(self.dense, 4), "text": c.text}


class Searcher:
    """Loads the store and the embedder once; answers many queries."""

    def __init__(self, settings: Settings, store: IndexStore | None = None, embedder: Embedder | None = None):
        self.settings = settings
        self.store = store or IndexStore.load(settings.index_dir)
        self.store.check_embedder(embedder.identity if embedder else embedder_identity(settings))
        self.embedder = embedder or make_embedder(settings)

    def search(self, query: str, k: int = 10, extra_terms: str = "") -> list[Hit]:
        vector = self.embedder.embed_query(query)
        return self.search_vector(vector, query if not extra_terms else f"{query} {extra_terms}", k)

    def search_vector(self, vector, lexical_query: str, k: int, candidates: int = CANDIDATES) -> list[Hit]:
        dense = self.store.search_dense(vector, max(candidates, k))
        lexical = self.store.search_bm25(lexical_query, max(candidates, k))
        fused = reciprocal_rank_fusion([[h.position for h in dense], [h.position for h in lexical]])
        dense_score = {h.position: h.score for h in dense}
        bm25_score = {h.position: h.score for h in lexical}
        hits = []
        for position, score in top_items(fused, k):
            cos = dense_score.get(position)
            if cos is None:
                cos = float(self.store.vectors[position] @ vector)
            hits.append(Hit(self.store.chunks[position], score, cos, bm25_score.get(position, 0.0), position))
        return hits


def open_searcher(index_dir: Path, settings: Settings) -> Searcher:
    return Searcher(settings.with_overrides(index_dir=index_dir))
