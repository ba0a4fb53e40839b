"""Real processes: `python -m assistant users add` (key on the last line, only its hash stored), real uvicorn on
127.0.0.1 answering with a key, and the worker indexing an API upload outside any request."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from assistant.serve.db import open_database, users as users_t
from assistant.serve.jobs import JobQueue
from assistant.serve.worker import run_worker
from indexer.status import index_status

ROOT = Path(__file__).resolve().parents[2]


def _env(settings) -> dict:
    corpus = os.pathsep.join(str(p) for p in settings.corpus_dirs)
    return dict(os.environ, PYTHONPATH=str(ROOT), QOLJETIM_DATABASE_URL=settings.database_url,
                QOLJETIM_INDEX=str(settings.index_dir), QOLJETIM_LIBRARY=str(settings.library_dir),
                QOLJETIM_CORPUS=corpus)


def _cli(settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], env=_env(settings), cwd=ROOT,
                          capture_output=True, text=True, input=stdin, timeout=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, key: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {key}"} if key else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_users_cli_prints_the_key_last_and_stores_only_its_hash(api_settings):
    added = _cli(api_settings, "users", "add", "nurlan", "--role", "editor", "--password-stdin",
                 stdin="long enough password\n")
    assert added.returncode == 0, added.stderr
    key = added.stdout.strip().splitlines()[-1]
    assert key.startswith("qj_") and len(key) > 40
    listed = _cli(api_settings, "users", "list").stdout
    assert "nurlan\teditor\tactive\tpassword" in listed and key not in listed
    with open_database(api_settings.database_url).connect() as db:
        assert key not in str(db.execute(sa.select(users_t)).all())
    rotated = _cli(api_settings, "users", "rotate-key", "nurlan").stdout.strip().splitlines()[-1]
    assert rotated.startswith("qj_") and rotated != key
    assert _cli(api_settings, "users", "disable", "nurlan").returncode == 0
    assert "nurlan\teditor\tdisabled" in _cli(api_settings, "users", "list").stdout
    duplicate = _cli(api_settings, "users", "add", "nurlan", "--role", "reader")
    assert duplicate.returncode == 2 and "exists already" in duplicate.stderr
    assert _cli(api_settings, "users", "add", "x", "--role", "root").returncode == 2


def test_real_uvicorn_serves_ask_with_a_key_and_kill_9_loses_no_committed_row(api_settings, keys):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "assistant.serve.api:create_app", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                              env=_env(api_settings), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if _request(base + "/readyz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.5)
        assert _request(base + "/readyz")[0] == 200
        assert _request(base + "/v1/ask", None, {"question": "complaints"})[0] == 401
        status, answer = _request(base + "/v1/ask", keys["rita"], {"question": "Сколько жалоб поступило в 2024 году?"})
        assert status == 200 and answer["citations"] and answer["grounded"] is True
        status, listing = _request(base + "/v1/conversations", keys["rita"])
        assert status == 200 and len(listing["conversations"]) == 1
        assert _request(base + "/v1/feedback", keys["rita"], {"message_id": 2, "rating": 1})[0] == 201
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # every worker dies at once, with no chance to flush anything
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    assert keys["rita"] not in output  # the access log never shows the key
    from assistant.serve.audit import AuditLog
    from assistant.serve.db import close_all, feedback as feedback_t, messages as messages_t

    close_all()
    engine = open_database(api_settings.database_url)
    with engine.connect() as db:
        assert db.execute(sa.select(sa.func.count()).select_from(messages_t)).scalar() == 2
        assert db.execute(sa.select(sa.func.count()).select_from(feedback_t)).scalar() == 1
    assert [r["action"] for r in AuditLog(engine).rows()] == ["ask"]


def test_worker_indexes_an_upload_outside_the_request(api_settings, keys, tmp_path):
    from fastapi.testclient import TestClient

    from assistant.serve.api import create_app
    from tests.serve.conftest import bearer

    index = api_settings.with_overrides(index_dir=tmp_path / "index")
    with TestClient(create_app(index)) as client:
        text = b"Mobile public service centres visited remote villages of the Syrym district every month."
        queued = client.post("/v1/documents", files={"file": ("mobile centres.txt", text, "text/plain")},
                             headers=bearer(keys["ed"])).json()
        assert queued["status"] == "queued"
        listing = client.get("/v1/documents", headers=bearer(keys["ed"])).json()
        assert {"source": "library/mobile centres.txt", "change": "new"} in listing["waiting"]
        assert [j["id"] for j in listing["jobs"]] == [queued["job_id"]]
        assert run_worker(index, once=True) == 1
        job = client.get(f"/v1/jobs/{queued['job_id']}", headers=bearer(keys["ed"])).json()
        assert job["status"] == "done" and job["progress"]["fraction"] == 1.0, job
        listing = client.get("/v1/documents", headers=bearer(keys["ed"])).json()
        assert listing["waiting"] == [] and listing["jobs"] == []
        assert any(d["source"] == "library/mobile centres.txt" for d in listing["documents"])
        hits = client.post("/v1/search", json={"query": "mobile centres remote villages"},
                           headers=bearer(keys["rita"])).json()["hits"]
        assert hits[0]["source"] == "library/mobile centres.txt"
    assert index_status(index.index_dir)["ready"]
    assert JobQueue(open_database(index.database_url)).active() == []


def test_a_stopped_worker_puts_its_job_back(small_index, tmp_path):
    """SIGTERM in the middle of a build (make run's Ctrl-C): the job returns to the queue and the next worker
    finishes it; the index stays whole."""
    from indexer.settings import load_settings

    settings = small_index.with_overrides(database_url=f"sqlite:///{tmp_path / 'app.sqlite3'}",
                                          index_dir=tmp_path / "index", library_dir=tmp_path / "library")
    queue = JobQueue(open_database(settings.database_url))
    job_id = queue.enqueue("test", "full")
    env = dict(_env(settings), QOLJETIM_THREADS="1")
    worker = subprocess.Popen([sys.executable, "-m", "assistant", "worker", "--once"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while queue.get(job_id).stage not in ("reading", "embedding") and time.time() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=60)
    job = queue.get(job_id)
    assert job.status == "queued" and job.stage == "requeued", job
    assert run_worker(load_settings(**{"index_dir": settings.index_dir}, database_url=settings.database_url,
                                    corpus_dirs=settings.corpus_dirs), once=True) == 1
    assert queue.get(job_id).status == "done" and index_status(settings.index_dir)["ready"]
