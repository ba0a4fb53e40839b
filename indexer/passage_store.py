"""The one interface retrieval needs from a passage store. Two implementations: the embedded store
(indexer.store.IndexStore: FAISS + bm25s files) and PostgreSQL with pgvector (indexer.pgstore.PgPassageStore)."""
from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from .documents import Chunk


@runtime_checkable
class PassageStore(Protocol):
    manifest: dict
    chunks: Sequence[Chunk]  # with positions(**column_equals) and first_of_each(): indexer/chunk_table.py
    vectors: np.ndarray  # row i is the normalised embedding of chunks[i]

    def __len__(self) -> int: ...

    def check_embedder(self, identity: str) -> None: ...

    def search_dense(self, query_vector: np.ndarray, k: int) -> list: ...  # [SearchHit(position, score)]

    def search_bm25(self, query: str, k: int) -> list: ...

    def term_weights(self) -> dict[str, float]: ...
