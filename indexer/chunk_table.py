"""Chunk metadata off the Python heap: one SQLite file per generation, read on demand.

write_chunk_table() writes every chunk of a generation as a row (its position in the index is the row id) with
indexes on the columns retrieval asks by (doc_id, translation group + language, article, source, text key).
ChunkTable is the read-only sequence the serving process holds instead of a list of Chunk objects: len(),
positions by index (with a small LRU cache of the rows last read), iteration in batches, and indexed lookups
(positions(doc_id=…)), so a question never scans every chunk. The file is opened read-only and immutable: a
generation is never changed once written, and its checksum in the manifest still covers it.

ChunkList gives a plain in-memory list of chunks (the PostgreSQL store's) the same lookups, from dictionaries
computed once per column set.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import fields
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .documents import Chunk

FIELDS = tuple(f.name for f in fields(Chunk))
COLUMNS = ", ".join(f'"{name}"' for name in FIELDS)
INDEXES = (("chunks_doc", "doc_id"), ("chunks_group", "translation_group, language"),
           ("chunks_article", "article, translation_group, paragraph"), ("chunks_source", "source"),
           ("chunks_key", "text_key"))
CACHE_SIZE = 4096  # rows: a question touches ~60 candidates and their groups; a few questions' worth
BATCH = 2000


def text_key(chunk: Chunk) -> str:
    """What an embedding is reused by: the hash of the text the embedder saw."""
    return hashlib.sha256(chunk.embedding_text().encode("utf-8")).hexdigest()


def write_chunk_table(path: Path, chunks: Iterable[Chunk]) -> int:
    """Write the chunks (in index order) to a new SQLite file and fsync it; returns the number of rows."""
    connection = sqlite3.connect(str(path))
    try:
        connection.execute("PRAGMA journal_mode=OFF")  # a half-written generation is never made live
        connection.execute("PRAGMA synchronous=OFF")  # the file is fsynced below, before the manifest
        columns = ", ".join(f'"{name}"' for name in FIELDS)
        connection.execute(f"CREATE TABLE chunks (position INTEGER PRIMARY KEY, {columns}, text_key TEXT)")
        marks = ", ".join("?" * (len(FIELDS) + 2))
        count = 0
        with connection:
            for batch in _batches(chunks, BATCH):
                rows = [(count + i, *(getattr(c, name) for name in FIELDS), text_key(c)) for i, c in enumerate(batch)]
                connection.executemany(f"INSERT INTO chunks VALUES ({marks})", rows)
                count += len(rows)
            for name, columns in INDEXES:
                connection.execute(f"CREATE INDEX {name} ON chunks ({columns})")
    finally:
        connection.close()
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
    return count


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _check_columns(names: Iterable[str]) -> None:
    unknown = set(names) - set(FIELDS) - {"text_key"}
    if unknown:
        raise ValueError(f"unknown chunk column(s) {sorted(unknown)}; known: {', '.join(FIELDS)}")


class ChunkTable(Sequence):
    """The chunks of one generation, read from its SQLite file on demand."""

    def __init__(self, path: Path, cache_size: int = CACHE_SIZE):
        self.path = Path(path)
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, Chunk] = OrderedDict()
        self._lookups: OrderedDict[tuple, tuple[int, ...]] = OrderedDict()
        self._cache_size = cache_size
        self._len = int(self._query("SELECT COUNT(*) FROM chunks")[0][0])
        self.reads = 0  # rows read from the file (not from the cache): for tests and benchmarks

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.many(range(*index.indices(self._len)))
        position = int(index)
        if position < 0:
            position += self._len
        if not 0 <= position < self._len:
            raise IndexError(f"chunk position {index} out of range (0..{self._len - 1})")
        with self._lock:
            chunk = self._cache.get(position)
            if chunk is not None:
                self._cache.move_to_end(position)
                return chunk
        return self.many([position])[0]

    def many(self, positions: Iterable[int]) -> list[Chunk]:
        """The chunks at these positions, in the order given; rows not in the cache are read in one query."""
        positions = [int(p) for p in positions]
        with self._lock:
            found = {p: self._cache[p] for p in positions if p in self._cache}
        missing = sorted(set(positions) - set(found))
        for start in range(0, len(missing), 500):
            part = missing[start:start + 500]
            rows = self._query(f"SELECT position, {COLUMNS} FROM chunks WHERE position IN "
                               f"({', '.join('?' * len(part))})", part)
            self.reads += len(rows)
            for row in rows:
                found[row[0]] = Chunk(*row[1:])
            self._remember({p: found[p] for p in part if p in found})
        if len(found) < len(set(positions)):
            raise IndexError(f"chunk position(s) {sorted(set(positions) - set(found))[:5]} out of range")
        return [found[p] for p in positions]

    def _remember(self, chunks: dict[int, Chunk]) -> None:
        with self._lock:
            for position, chunk in chunks.items():
                self._cache[position] = chunk
                self._cache.move_to_end(position)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def __iter__(self) -> Iterator[Chunk]:
        """Every chunk in position order, read in batches (the cache is left alone)."""
        start = 0
        while start < self._len:
            rows = self._query(f"SELECT position, {COLUMNS} FROM chunks WHERE position >= ? ORDER BY position "
                               "LIMIT ?", (start, BATCH))
            if not rows:
                return
            self.reads += len(rows)
            yield from (Chunk(*row[1:]) for row in rows)
            start = rows[-1][0] + 1

    def positions(self, **equal) -> list[int]:
        """Positions (ascending) of the chunks whose columns equal the given values: an indexed query (the
        answers to the last few thousand lookups are kept)."""
        _check_columns(equal)
        key = tuple(sorted(equal.items()))
        with self._lock:
            found = self._lookups.get(key)
            if found is not None:
                self._lookups.move_to_end(key)
                return list(found)
        where = " AND ".join(f'"{name}" = ?' for name in equal) or "1"
        found = tuple(row[0] for row in self._query(f"SELECT position FROM chunks WHERE {where} ORDER BY position",
                                                    list(equal.values())))
        with self._lock:
            self._lookups[key] = found
            while len(self._lookups) > self._cache_size:
                self._lookups.popitem(last=False)
        return list(found)

    def first_of_each(self, columns: Sequence[str], nonempty: str = "") -> list[int]:
        """The first position of every distinct combination of the columns (among rows where `nonempty` is set)."""
        _check_columns(list(columns) + ([nonempty] if nonempty else []))
        where = f'WHERE "{nonempty}" != \'\'' if nonempty else ""
        group = ", ".join(f'"{c}"' for c in columns)
        return sorted(row[0] for row in self._query(f"SELECT MIN(position) FROM chunks {where} GROUP BY {group}"))


class ChunkList(list):
    """An in-memory list of chunks with ChunkTable's lookups, each answered from a dictionary built once."""

    def __init__(self, chunks: Iterable[Chunk] = ()):
        super().__init__(chunks)
        self._by: dict[tuple[str, ...], dict[tuple, list[int]]] = {}

    def many(self, positions: Iterable[int]) -> list[Chunk]:
        return [self[int(p)] for p in positions]

    def _index(self, columns: tuple[str, ...]) -> dict[tuple, list[int]]:
        if columns not in self._by:
            _check_columns(columns)
            table: dict[tuple, list[int]] = {}
            for position, chunk in enumerate(self):
                key = tuple(text_key(chunk) if c == "text_key" else getattr(chunk, c) for c in columns)
                table.setdefault(key, []).append(position)
            self._by[columns] = table
        return self._by[columns]

    def positions(self, **equal) -> list[int]:
        names = tuple(sorted(equal))
        return list(self._index(names).get(tuple(equal[n] for n in names), ()))

    def first_of_each(self, columns: Sequence[str], nonempty: str = "") -> list[int]:
        key = ("first", nonempty) + tuple(columns)
        if key not in self._by:
            _check_columns(list(columns) + ([nonempty] if nonempty else []))
            first: dict[tuple, list[int]] = {}
            for position, chunk in enumerate(self):
                if not nonempty or getattr(chunk, nonempty):
                    first.setdefault(tuple(getattr(chunk, c) for c in columns), [position])
            self._by[key] = first
        return sorted(found[0] for found in self._by[key].values())
