"""Conversations and feedback kept locally in SQLite (in the data folder); no network, no server."""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL, content TEXT NOT NULL, payload TEXT, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL, rating INTEGER NOT NULL, comment TEXT,
    question TEXT, answer TEXT, citation_ids TEXT, created REAL NOT NULL);
"""


@dataclass(frozen=True)
class Message:
    id: int
    role: str  # user | assistant
    content: str
    payload: dict | None  # the answer's JSON for assistant messages


class ConversationStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def new_conversation(self, title: str) -> int:
        with self._connect() as db:
            cur = db.execute("INSERT INTO conversations (title, created) VALUES (?, ?)",
                             (title.strip()[:80] or "…", time.time()))
            return int(cur.lastrowid)

    def conversations(self, limit: int = 50) -> list[tuple[int, str]]:
        with self._connect() as db:
            return [(int(i), t) for i, t in db.execute(
                "SELECT id, title FROM conversations ORDER BY created DESC, id DESC LIMIT ?", (limit,))]

    def add_message(self, conversation_id: int, role: str, content: str, payload: dict | None = None) -> int:
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO messages (conversation_id, role, content, payload, created) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, role, content, json.dumps(payload, ensure_ascii=False) if payload else None,
                 time.time()))
            return int(cur.lastrowid)

    def messages(self, conversation_id: int) -> list[Message]:
        with self._connect() as db:
            rows = db.execute("SELECT id, role, content, payload FROM messages WHERE conversation_id = ? ORDER BY id",
                              (conversation_id,)).fetchall()
        return [Message(int(i), r, c, json.loads(p) if p else None) for i, r, c, p in rows]

    def delete_conversation(self, conversation_id: int) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def add_feedback(self, message_id: int, rating: int, comment: str, question: str, answer: str,
                     citation_ids: list[str]) -> int:
        if rating not in (-1, 1):
            raise ValueError("rating is +1 (thumbs up) or -1 (thumbs down)")
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (message_id, rating, comment, question, answer, citation_ids, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (message_id, rating, comment.strip()[:2000], question, answer, json.dumps(citation_ids), time.time()))
            return int(cur.lastrowid)

    def feedback(self) -> list[dict]:
        with self._connect() as db:
            rows = db.execute("SELECT message_id, rating, comment, question, citation_ids FROM feedback ORDER BY id")
            return [{"message_id": m, "rating": r, "comment": c, "question": q, "citation_ids": json.loads(ids)}
                    for m, r, c, q, ids in rows]
