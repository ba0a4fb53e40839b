"""Passages in PostgreSQL with pgvector, so any number of API or app replicas serve one corpus.

publish() copies a built generation (chunks, vectors, manifest) into three tables in one transaction:
- passages: position, the chunk as JSON, its embedding as vector(dim) under an HNSW index (inner product),
  and a BM25 document vector as sparsevec — each term's saturated frequency tf/(tf+k1·(1−b+b·dl/avgdl));
- passage_terms: the vocabulary with each term's IDF and document frequency, so the query side is a sparsevec
  of IDF weights and BM25 is one inner product (bm25s's Lucene BM25, k1 1.5, b 0.75: the same scores);
- passage_manifest: the manifest (embedder identity, counts).
PgPassageStore keeps the chunks and vectors in memory (MMR and grouping need them; the chunks as a ChunkList whose
lookups by document, translation group or article come from dictionaries built once, never a scan per question)
and asks PostgreSQL for the dense and lexical candidates."""
from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np

from .analysis import tokenize
from .chunk_table import ChunkList
from .errors import IndexMissingError, ModelMismatchError
from .store import IndexStore, SearchHit, grounding_bar

K1, B = 1.5, 0.75
SCHEMA = """
CREATE EXTENSION IF NOT EXISTS vector;
DROP TABLE IF EXISTS passages, passage_terms, passage_manifest;
CREATE TABLE passage_manifest (id int PRIMARY KEY, manifest jsonb NOT NULL);
CREATE TABLE passage_terms (term text PRIMARY KEY, dim int NOT NULL UNIQUE, idf real NOT NULL, df int NOT NULL);
CREATE TABLE passages (position int PRIMARY KEY, chunk jsonb NOT NULL, embedding vector({dim}) NOT NULL,
                       bm25 sparsevec({vocab}) NOT NULL, tsv tsvector NOT NULL);
"""
LEXICAL = ("sparsevec", "tsvector")  # BM25 as a sparse inner product (default), or PostgreSQL's ts_rank_cd


def _connect(url: str):
    import psycopg
    from pgvector.psycopg import register_vector

    connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
    connection.commit()
    register_vector(connection)
    return connection


def bm25_vectors(token_lists: list[list[str]]) -> tuple[dict[str, tuple[int, float, int]], list[dict[int, float]]]:
    """(term → (dimension, idf, df), per document {dimension: saturated tf}) — Lucene BM25 as bm25s computes it."""
    token_lists = [tokens or ["\u2205"] for tokens in token_lists]  # as the embedded store indexes an empty text
    n = len(token_lists)
    df = Counter(term for tokens in token_lists for term in set(tokens))
    vocab = {term: (dim, math.log(1 + (n - count + 0.5) / (count + 0.5)), count)
             for dim, (term, count) in enumerate(sorted(df.items()))}
    avgdl = sum(len(t) for t in token_lists) / max(n, 1)
    documents = []
    for tokens in token_lists:
        length_norm = K1 * (1 - B + B * len(tokens) / max(avgdl, 1e-9))
        documents.append({vocab[term][0]: tf / (tf + length_norm) for term, tf in Counter(tokens).items()})
    return vocab, documents


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector(tokens: list[str]) -> str:
    """Our own language-aware tokens (stemmed ru/en, normalised kk) as a tsvector literal with positions."""
    positions: dict[str, list[int]] = {}
    for n, term in enumerate(tokens[:16000], start=1):
        positions.setdefault(term, []).append(min(n, 16383))
    return " ".join(f"{_lexeme(t)}:{','.join(map(str, p[:256]))}" for t, p in positions.items())


def publish(store: IndexStore, url: str) -> int:
    """Replace the passages in PostgreSQL with this generation's; returns the number of passages."""
    from pgvector import SparseVector

    tokens = [tokenize(c.embedding_text()) for c in store.chunks]
    vocab, documents = bm25_vectors(tokens)
    size = max(len(vocab), 1)
    dim = int(store.manifest["embedder"]["dim"])
    with _connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(SCHEMA.format(dim=dim, vocab=size))
        cursor.execute("INSERT INTO passage_manifest VALUES (1, %s)", (json.dumps(store.manifest),))
        cursor.executemany("INSERT INTO passage_terms VALUES (%s, %s, %s, %s)",
                           [(term, d, idf, df) for term, (d, idf, df) in vocab.items()])
        with cursor.copy("COPY passages (position, chunk, embedding, bm25, tsv) FROM STDIN") as copy:
            for position, (chunk, weights) in enumerate(zip(store.chunks, documents)):
                copy.write_row((position, json.dumps(chunk.to_dict(), ensure_ascii=False),
                                str(np.asarray(store.vectors[position], dtype=np.float32).tolist()),
                                SparseVector(weights, size).to_text(), _tsvector(tokens[position])))
        cursor.execute("CREATE INDEX passages_hnsw ON passages USING hnsw (embedding vector_ip_ops)")
        cursor.execute("CREATE INDEX passages_tsv ON passages USING gin (tsv)")
        connection.commit()
    return len(store.chunks)


class PgPassageStore:
    """A read-only view of the passages in PostgreSQL (the PassageStore interface)."""

    def __init__(self, url: str, manifest: dict, chunks: ChunkList, vectors: np.ndarray, vocab: dict,
                 lexical: str = "sparsevec"):
        self.url, self.manifest, self.chunks, self.vectors, self._vocab = url, manifest, chunks, vectors, vocab
        self.lexical = lexical
        self._connection = None

    def grounding_bar(self, lang: str) -> float | None:
        """The calibrated bar of the build this store was published from (its manifest)."""
        return grounding_bar(self.manifest, lang)

    @classmethod
    def load(cls, url: str, lexical: str = "sparsevec") -> "PgPassageStore":
        from .documents import Chunk

        with _connect(url) as connection:
            exists = connection.execute("SELECT to_regclass('passage_manifest')").fetchone()[0]
            if exists is None:
                raise IndexMissingError(url.split("@")[-1])
            manifest = connection.execute("SELECT manifest FROM passage_manifest WHERE id = 1").fetchone()[0]
            rows = connection.execute("SELECT chunk, embedding FROM passages ORDER BY position").fetchall()
            vocab = {t: (d, idf, df) for t, d, idf, df in
                     connection.execute("SELECT term, dim, idf, df FROM passage_terms")}
        chunks = ChunkList(Chunk.from_dict(chunk) for chunk, _ in rows)
        dim = int(manifest["embedder"]["dim"])
        vectors = np.asarray([np.asarray(getattr(e, "to_numpy", lambda: e)(), dtype=np.float32) for _, e in rows])
        vectors = vectors.reshape(len(rows), dim)
        return cls(url, manifest, chunks, vectors, vocab, lexical)

    def __len__(self) -> int:
        return len(self.chunks)

    @property
    def embedder_identity(self) -> str:
        return f"{self.manifest['embedder']['backend']}:{self.manifest['embedder']['model']}"

    def check_embedder(self, identity: str) -> None:
        if identity != self.embedder_identity:
            raise ModelMismatchError(self.embedder_identity, identity, self.url.split("@")[-1])

    def _cursor(self):
        if self._connection is None or self._connection.closed:
            self._connection = _connect(self.url)
            self._connection.autocommit = True
        return self._connection.cursor()

    def search_dense(self, query_vector: np.ndarray, k: int) -> list[SearchHit]:
        vector = np.asarray(query_vector, dtype=np.float32)
        with self._cursor() as cursor:
            cursor.execute(f"SET hnsw.ef_search = {max(40, int(k))}")
            rows = cursor.execute("SELECT position, -(embedding <#> %s) FROM passages "
                                  "ORDER BY embedding <#> %s LIMIT %s", (vector, vector, int(k))).fetchall()
        return [SearchHit(int(p), float(s)) for p, s in rows]

    def search_bm25(self, query: str, k: int) -> list[SearchHit]:
        if self.lexical == "tsvector":
            return self._search_tsvector(query, k)
        from pgvector import SparseVector

        weights: dict[int, float] = {}
        for term in tokenize(query):
            if term in self._vocab:
                dim, idf, _ = self._vocab[term]
                weights[dim] = weights.get(dim, 0.0) + idf
        if not weights:
            return []
        sparse = SparseVector(weights, max(len(self._vocab), 1))
        with self._cursor() as cursor:
            rows = cursor.execute("SELECT position, -(bm25 <#> %s) AS score FROM passages "
                                  "ORDER BY bm25 <#> %s LIMIT %s", (sparse, sparse, int(k))).fetchall()
        return [SearchHit(int(p), float(s)) for p, s in rows if s > 0]

    def _search_tsvector(self, query: str, k: int) -> list[SearchHit]:
        terms = sorted(set(tokenize(query)))
        if not terms:
            return []
        tsquery = " | ".join(_lexeme(t) for t in terms)
        with self._cursor() as cursor:
            rows = cursor.execute("SELECT position, ts_rank_cd(tsv, q) AS score FROM passages, "
                                  "CAST(%s AS tsquery) q WHERE tsv @@ q ORDER BY score DESC, position LIMIT %s",
                                  (tsquery, int(k))).fetchall()
        return [SearchHit(int(p), float(s)) for p, s in rows if s > 0]

    def term_weights(self) -> dict[str, float]:
        """The same weights as the embedded store's (log((n+1)/(df+0.5)))."""
        n = max(1, len(self.chunks))
        return {term: float(np.log((n + 1) / (df + 0.5))) for term, (_, _, df) in self._vocab.items()}


def published_build(url: str) -> str | None:
    """The built_at of the generation published in PostgreSQL, or None when there is none."""
    with _connect(url) as connection:
        if connection.execute("SELECT to_regclass('passage_manifest')").fetchone()[0] is None:
            return None
        row = connection.execute("SELECT manifest->>'built_at' FROM passage_manifest WHERE id = 1").fetchone()
    return row[0] if row else None


def uses_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgresql://", "postgresql+psycopg://"))


def sync_from_index(index_dir, url: str) -> bool:
    """Publish the live embedded generation when PostgreSQL does not hold that build yet; True when published."""
    from .store import read_manifest

    manifest = read_manifest(index_dir)
    if manifest is None or published_build(url) == manifest.get("built_at"):
        return False
    publish(IndexStore.load(index_dir), url)
    return True
