"""The audit log: append-only (the database refuses UPDATE), exportable as JSON or CSV, with a retention period.

Every ask records who, when, the question, its language, whether it was grounded, the cited document ids and
the SHA-256 of the answer text; every upload, delete and reindex records who and what."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .db import audit as audit_t

COLUMNS = ("id", "at", "user_name", "action", "target", "question", "language", "grounded", "doc_ids",
           "answer_sha256")


class AuditLog:
    def __init__(self, engine: Engine, retention_days: int = 0):
        self.engine = engine
        self.retention_days = retention_days

    def record(self, user_name: str, action: str, target: str | None = None) -> None:
        self._append(user_name=user_name, action=action, target=target)

    def record_ask(self, user_name: str, answer: dict) -> None:
        doc_ids = sorted({c.get("doc_id", "") for c in answer.get("citations", []) if c.get("doc_id")})
        digest = hashlib.sha256(str(answer.get("answer", "")).encode("utf-8")).hexdigest()
        self._append(user_name=user_name, action="ask", question=answer.get("question", ""),
                     language=answer.get("language"), grounded=bool(answer.get("grounded")),
                     doc_ids=json.dumps(doc_ids, ensure_ascii=False), answer_sha256=digest)

    def _append(self, **values) -> None:
        with self.engine.begin() as db:
            db.execute(audit_t.insert().values(at=time.time(), **values))

    def rows(self, since: float | None = None, limit: int = 1000) -> list[dict]:
        query = sa.select(audit_t).order_by(audit_t.c.id.desc()).limit(max(1, min(limit, 100_000)))
        if since is not None:
            query = query.where(audit_t.c.at >= since)
        with self.engine.connect() as db:
            rows = [dict(row._mapping) for row in db.execute(query)]
        for row in rows:
            row["doc_ids"] = json.loads(row["doc_ids"]) if row["doc_ids"] else []
        return rows

    def csv(self, since: float | None = None, limit: int = 100_000) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in self.rows(since, limit):
            writer.writerow({**row, "doc_ids": " ".join(row["doc_ids"])})
        return out.getvalue()

    def purge_expired(self, now: float | None = None) -> int:
        """Delete rows older than the retention period (the only deletion the log allows); 0 days keeps all."""
        if self.retention_days <= 0:
            return 0
        cutoff = (now or time.time()) - self.retention_days * 86400
        with self.engine.begin() as db:
            return db.execute(audit_t.delete().where(audit_t.c.at < cutoff)).rowcount
