"""The indexing worker: takes build jobs from the job table and runs the incremental build, outside any
browser session or API request. `python -m assistant worker` (make run starts one beside the app)."""
from __future__ import annotations

import logging
import signal
import threading
import time

from indexer.build import BuildProgress, build_index
from indexer.errors import IndexLockedError, QoljetimError
from indexer.pgstore import sync_from_index, uses_postgres
from indexer.settings import Settings
from indexer.status import is_stale

from .db import open_database
from .jobs import Job, JobQueue

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress writes


class JobProgress(BuildProgress):
    """Writes the build's progress to the job row (throttled), which doubles as the worker's heartbeat."""

    def __init__(self, queue: JobQueue, job_id: int):
        self.queue, self.job_id = queue, job_id
        self.stage, self.done, self.total, self.last = "reading", 0, 0, 0.0

    def _write(self, message: str = "", force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last >= PROGRESS_EVERY:
            self.queue.progress(self.job_id, self.done, self.total, self.stage, message)
            self.last = now

    def files_found(self, total: int) -> None:
        self.stage, self.done, self.total = "reading", 0, total
        self._write(force=True)

    def file_done(self, outcome) -> None:
        self.done += 1
        self._write(outcome.source)

    def embedding_started(self, total: int) -> None:
        self.stage, self.done, self.total = "embedding", 0, total
        self._write(force=True)

    def embedded(self, count: int) -> None:
        self.done += count
        self._write()


def run_job(settings: Settings, queue: JobQueue, job: Job) -> None:
    log.info("job %s (%s) started", job.id, job.kind)
    try:
        report = build_index(settings, JobProgress(queue, job.id), full=job.kind == "full")
    except (KeyboardInterrupt, SystemExit):  # stopped (Ctrl-C, SIGTERM): the next worker takes the job up
        queue.requeue(job.id)
        raise
    except IndexLockedError as exc:
        queue.fail(job.id, f"{exc} — another build is running; the next request will include these changes")
        return
    except QoljetimError as exc:
        queue.fail(job.id, str(exc))
        return
    except Exception as exc:  # a bug must not kill the worker; the job says what happened
        log.exception("job %s failed", job.id)
        queue.fail(job.id, f"{type(exc).__name__}: {exc}")
        return
    if uses_postgres(settings.database_url):
        queue.progress(job.id, report.chunk_count, report.chunk_count, "publishing")
        sync_from_index(settings.index_dir, settings.database_url)
    skipped = [(o.source, o.reason) for o in report.outcomes if o.status == "skipped"]
    summary = (f"{report.count('indexed')} indexed, {report.count('unchanged')} unchanged, "
               f"{report.count('removed')} removed, {len(skipped)} skipped; {report.chunk_count} chunks")
    queue.finish(job.id, skipped, summary)
    log.info("job %s done: %s", job.id, summary)


def _stop(_signum, _frame) -> None:
    raise SystemExit(0)


def run_worker(settings: Settings, once: bool = False, poll: float = 1.0, enqueue_if_stale: bool = False,
               stop_after: float | None = None) -> int:
    """Serve jobs until stopped (or, with once, until the queue is empty). Returns the number of jobs run."""
    queue = JobQueue(open_database(settings.database_url))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    if uses_postgres(settings.database_url) and sync_from_index(settings.index_dir, settings.database_url):
        log.info("published the live index to PostgreSQL")
    if enqueue_if_stale and is_stale(settings):
        log.info("the index is missing or stale: queued build job %s", queue.enqueue("worker"))
    started, count = time.monotonic(), 0
    while True:
        job = queue.claim()
        if job is not None:
            run_job(settings, queue, job)
            count += 1
            continue
        if once or (stop_after is not None and time.monotonic() - started > stop_after):
            return count
        time.sleep(poll)
