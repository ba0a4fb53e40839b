"""The job table: indexing runs as a job taken by a worker process, never inside a page or a request.

States: queued → running → done | failed. A job whose worker died (no heartbeat for STALE_SECONDS) goes back
to the queue. Asking for a build while one is already queued returns that job: it will see every change."""
from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .db import jobs as jobs_t

STALE_SECONDS = 120.0
KINDS = ("build", "full")


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    status: str
    requested_by: str
    created: float
    started: float | None
    finished: float | None
    done: int
    total: int
    stage: str | None
    message: str | None
    skipped: list
    error: str | None

    @property
    def fraction(self) -> float:
        return min(self.done / self.total, 1.0) if self.total else (1.0 if self.status == "done" else 0.0)

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "status": self.status, "requested_by": self.requested_by,
                "created": self.created, "started": self.started, "finished": self.finished,
                "progress": {"done": self.done, "total": self.total, "stage": self.stage,
                             "fraction": round(self.fraction, 4)},
                "message": self.message, "skipped": self.skipped, "error": self.error}


def _job(row) -> Job:
    return Job(int(row.id), row.kind, row.status, row.requested_by, row.created, row.started, row.finished,
               int(row.done or 0), int(row.total or 0), row.stage, row.message,
               json.loads(row.skipped) if row.skipped else [], row.error)


class JobQueue:
    def __init__(self, engine: Engine):
        self.engine = engine

    def enqueue(self, requested_by: str, kind: str = "build") -> int:
        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        with self.engine.begin() as db:
            waiting = db.execute(sa.select(jobs_t.c.id).where(jobs_t.c.status == "queued", jobs_t.c.kind == kind)
                                 .order_by(jobs_t.c.id).limit(1)).first()
            if waiting is not None:
                return int(waiting[0])
            result = db.execute(jobs_t.insert().values(kind=kind, status="queued", requested_by=requested_by,
                                                       created=time.time(), done=0, total=0))
            return int(result.inserted_primary_key[0])

    def get(self, job_id: int) -> Job | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(jobs_t).where(jobs_t.c.id == job_id)).first()
        return _job(row) if row else None

    def recent(self, limit: int = 10) -> list[Job]:
        with self.engine.connect() as db:
            return [_job(r) for r in db.execute(sa.select(jobs_t).order_by(jobs_t.c.id.desc()).limit(limit))]

    def active(self) -> list[Job]:
        """Queued and running jobs, oldest first."""
        query = sa.select(jobs_t).where(jobs_t.c.status.in_(("queued", "running"))).order_by(jobs_t.c.id)
        with self.engine.connect() as db:
            return [_job(r) for r in db.execute(query)]

    def claim(self) -> Job | None:
        """Take the oldest queued job for this worker (an UPDATE guarded by status, so two workers never share)."""
        self.requeue_stale()
        with self.engine.connect() as db:
            candidate = db.execute(sa.select(jobs_t.c.id).where(jobs_t.c.status == "queued")
                                   .order_by(jobs_t.c.id).limit(1)).first()
        if candidate is None:
            return None
        now = time.time()
        with self.engine.begin() as db:
            taken = db.execute(jobs_t.update().where(jobs_t.c.id == candidate[0], jobs_t.c.status == "queued")
                               .values(status="running", started=now, heartbeat=now, stage="starting",
                                       message=f"{socket.gethostname()}:{os.getpid()}")).rowcount
        return self.get(int(candidate[0])) if taken == 1 else None

    def progress(self, job_id: int, done: int, total: int, stage: str, message: str = "") -> None:
        with self.engine.begin() as db:
            db.execute(jobs_t.update().where(jobs_t.c.id == job_id).values(
                done=done, total=total, stage=stage, message=message[:500], heartbeat=time.time()))

    def finish(self, job_id: int, skipped: list[tuple[str, str]], message: str) -> None:
        with self.engine.begin() as db:
            db.execute(jobs_t.update().where(jobs_t.c.id == job_id).values(
                status="done", finished=time.time(), stage="done", message=message[:500], done=jobs_t.c.total,
                skipped=json.dumps([list(s) for s in skipped], ensure_ascii=False)))

    def fail(self, job_id: int, error: str) -> None:
        with self.engine.begin() as db:
            db.execute(jobs_t.update().where(jobs_t.c.id == job_id).values(
                status="failed", finished=time.time(), stage="failed", error=error[:2000]))

    def requeue(self, job_id: int) -> None:
        """Put a running job back in the queue (its worker is stopping)."""
        with self.engine.begin() as db:
            db.execute(jobs_t.update().where(jobs_t.c.id == job_id, jobs_t.c.status == "running")
                       .values(status="queued", stage="requeued", started=None))

    def requeue_stale(self, now: float | None = None) -> int:
        """Running jobs whose worker stopped sending heartbeats go back to the queue."""
        cutoff = (now or time.time()) - STALE_SECONDS
        with self.engine.begin() as db:
            return db.execute(jobs_t.update().where(jobs_t.c.status == "running", jobs_t.c.heartbeat < cutoff)
                              .values(status="queued", stage="requeued", started=None)).rowcount
