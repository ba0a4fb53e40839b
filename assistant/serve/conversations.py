"""Conversations and feedback, per user, in the app database (SQLite by default, PostgreSQL by URL).

A store is bound to one user (user_id None is the single-user local mode): it never reads or changes another
user's rows, whatever id it is given — a foreign or unknown id looks the same (not found)."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from indexer.errors import QoljetimError

from .db import conversations as conv_t
from .db import feedback as feedback_t
from .db import messages as msg_t


class NotFound(QoljetimError):
    """No such conversation or message for this user."""


@dataclass(frozen=True)
class Message:
    id: int
    role: str  # user | assistant
    content: str
    payload: dict | None  # the answer's JSON for assistant messages


class ConversationStore:
    def __init__(self, engine: Engine, user_id: int | None = None):
        self.engine = engine
        self.user_id = user_id

    def _mine(self):
        column = conv_t.c.user_id
        return column.is_(None) if self.user_id is None else column == self.user_id

    def new_conversation(self, title: str) -> int:
        with self.engine.begin() as db:
            result = db.execute(conv_t.insert().values(user_id=self.user_id, title=title.strip()[:80] or "…",
                                                       created=time.time()))
            return int(result.inserted_primary_key[0])

    def conversations(self, limit: int = 50) -> list[tuple[int, str]]:
        query = (sa.select(conv_t.c.id, conv_t.c.title).where(self._mine())
                 .order_by(conv_t.c.created.desc(), conv_t.c.id.desc()).limit(limit))
        with self.engine.connect() as db:
            return [(int(i), t) for i, t in db.execute(query)]

    def owns(self, conversation_id: int) -> bool:
        query = sa.select(conv_t.c.id).where(conv_t.c.id == conversation_id, self._mine())
        with self.engine.connect() as db:
            return db.execute(query).first() is not None

    def title(self, conversation_id: int) -> str:
        query = sa.select(conv_t.c.title).where(conv_t.c.id == conversation_id, self._mine())
        with self.engine.connect() as db:
            row = db.execute(query).first()
        if row is None:
            raise NotFound(f"conversation {conversation_id} not found")
        return row[0]

    def add_message(self, conversation_id: int, role: str, content: str, payload: dict | None = None) -> int:
        if not self.owns(conversation_id):
            raise NotFound(f"conversation {conversation_id} not found")
        with self.engine.begin() as db:
            result = db.execute(msg_t.insert().values(
                conversation_id=conversation_id, role=role, content=content,
                payload=json.dumps(payload, ensure_ascii=False) if payload else None, created=time.time()))
            return int(result.inserted_primary_key[0])

    def messages(self, conversation_id: int) -> list[Message]:
        query = (sa.select(msg_t.c.id, msg_t.c.role, msg_t.c.content, msg_t.c.payload)
                 .join(conv_t, conv_t.c.id == msg_t.c.conversation_id)
                 .where(msg_t.c.conversation_id == conversation_id, self._mine()).order_by(msg_t.c.id))
        with self.engine.connect() as db:
            rows = db.execute(query).all()
        return [Message(int(i), r, c, json.loads(p) if p else None) for i, r, c, p in rows]

    def delete_conversation(self, conversation_id: int) -> None:
        with self.engine.begin() as db:
            db.execute(conv_t.delete().where(conv_t.c.id == conversation_id, self._mine()))

    def _owns_message(self, message_id: int) -> bool:
        query = (sa.select(msg_t.c.id).join(conv_t, conv_t.c.id == msg_t.c.conversation_id)
                 .where(msg_t.c.id == message_id, self._mine()))
        with self.engine.connect() as db:
            return db.execute(query).first() is not None

    def add_feedback(self, message_id: int, rating: int, comment: str, question: str, answer: str,
                     citation_ids: list[str]) -> int:
        if rating not in (-1, 1):
            raise ValueError("rating is +1 (thumbs up) or -1 (thumbs down)")
        if not self._owns_message(message_id):
            raise NotFound(f"message {message_id} not found")
        with self.engine.begin() as db:
            result = db.execute(feedback_t.insert().values(
                user_id=self.user_id, message_id=message_id, rating=rating, comment=(comment or "").strip()[:2000],
                question=question, answer=answer, citation_ids=json.dumps(citation_ids), created=time.time()))
            return int(result.inserted_primary_key[0])

    def feedback(self) -> list[dict]:
        column = feedback_t.c.user_id
        mine = column.is_(None) if self.user_id is None else column == self.user_id
        query = (sa.select(feedback_t.c.message_id, feedback_t.c.rating, feedback_t.c.comment,
                           feedback_t.c.question, feedback_t.c.citation_ids).where(mine).order_by(feedback_t.c.id))
        with self.engine.connect() as db:
            return [{"message_id": m, "rating": r, "comment": c, "question": q, "citation_ids": json.loads(ids)}
                    for m, r, c, q, ids in db.execute(query)]

    def find_message(self, message_id: int) -> tuple[Message, str]:
        """One of this user's messages with the question that preceded it; NotFound for anyone else's."""
        query = (sa.select(msg_t.c.conversation_id).join(conv_t, conv_t.c.id == msg_t.c.conversation_id)
                 .where(msg_t.c.id == message_id, self._mine()))
        with self.engine.connect() as db:
            row = db.execute(query).first()
        if row is None:
            raise NotFound(f"message {message_id} not found")
        history = self.messages(int(row[0]))
        question = ""
        for message in history:
            if message.id == message_id:
                return message, question
            if message.role == "user":
                question = message.content
        raise NotFound(f"message {message_id} not found")
