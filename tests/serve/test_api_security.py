"""The HTTP API's security, with FastAPI's TestClient on the small real index: keys, roles on every route,
conversation isolation (also by guessing ids), upload checks, SQL-injection strings, rate limit, no secrets in logs."""
from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from assistant.serve.api import create_app
from assistant.serve.db import open_database
from assistant.serve.jobs import JobQueue
from tests.serve.conftest import bearer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
QUESTION = "Сколько жалоб поступило в 2024 году?"

# (method, path, least role, request body as keyword arguments)
ROUTES = [
    ("POST", "/v1/ask", "reader", {"json": {"question": QUESTION}}),
    ("POST", "/v1/search", "reader", {"json": {"query": "complaints"}}),
    ("GET", "/v1/conversations", "reader", {}),
    ("GET", "/v1/conversations/1", "reader", {}),
    ("POST", "/v1/feedback", "reader", {"json": {"message_id": 1, "rating": 1}}),
    ("GET", "/v1/documents", "editor", {}),
    ("POST", "/v1/documents", "editor", {"files": {"file": ("a.txt", b"Some text.", "text/plain")}}),
    ("DELETE", "/v1/documents/a.txt", "editor", {}),
    ("POST", "/v1/reindex", "editor", {}),
    ("GET", "/v1/jobs/1", "editor", {}),
    ("GET", "/v1/audit", "admin", {}),
    ("GET", "/v1/audit?format=csv", "admin", {}),
    ("GET", "/v1/users", "admin", {}),
    ("POST", "/v1/users", "admin", {"json": {"name": "zed", "role": "reader"}}),
    ("POST", "/v1/users/rob/disable", "admin", {}),
    ("POST", "/v1/users/rob/rotate-key", "admin", {}),
]
ACCOUNT_OF_ROLE = {"reader": "rita", "editor": "ed", "admin": "ada"}
RANK = {"reader": 0, "editor": 1, "admin": 2}


@pytest.fixture
def client(api_settings, keys):
    with TestClient(create_app(api_settings)) as test_client:
        yield test_client


def _ask(client, key, question=QUESTION, **extra):
    response = client.post("/v1/ask", json={"question": question, **extra}, headers=bearer(key))
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("method,path,role,body", ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer qj_not-a-real-key"},
                                     {"Authorization": "Basic YWRhOnNlY3JldA=="}, {"Authorization": "Bearer "}],
                         ids=["no key", "wrong key", "basic auth", "empty bearer"])
def test_every_v1_route_needs_a_valid_key(client, method, path, role, body, headers):
    response = client.request(method, path, headers=headers, **body)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("method,path,role,body", ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
@pytest.mark.parametrize("account_role", ["reader", "editor", "admin"])
def test_roles_on_every_route(client, keys, method, path, role, body, account_role):
    response = client.request(method, path, headers=bearer(keys[ACCOUNT_OF_ROLE[account_role]]), **body)
    if RANK[account_role] < RANK[role]:
        assert response.status_code == 403, response.text
        assert role in response.json()["detail"]
    else:
        assert response.status_code not in (401, 403), response.text


def test_a_disabled_account_is_refused_at_once(client, keys):
    assert client.get("/v1/conversations", headers=bearer(keys["rob"])).status_code == 200
    assert client.post("/v1/users/rob/disable", headers=bearer(keys["ada"])).status_code == 200
    assert client.get("/v1/conversations", headers=bearer(keys["rob"])).status_code == 401


def test_ask_returns_the_cli_contract_and_keeps_the_conversation(client, keys):
    response = _ask(client, keys["rita"])
    data = response.json()
    assert data["grounded"] is True and data["citations"] and "[1]" in data["answer"]
    assert {"question", "language", "intent", "grounded", "answer", "citations", "metrics",
            "recommendations"} <= set(data)
    conversation_id = int(response.headers["x-conversation-id"])
    follow = _ask(client, keys["rita"], "Which units are overloaded?", conversation_id=conversation_id)
    assert int(follow.headers["x-conversation-id"]) == conversation_id
    thread = client.get(f"/v1/conversations/{conversation_id}", headers=bearer(keys["rita"])).json()
    assert [m["role"] for m in thread["messages"]] == ["user", "assistant", "user", "assistant"]
    assert thread["messages"][1]["payload"]["answer"] == data["answer"]


def test_no_user_reads_or_continues_another_users_conversation(client, keys):
    response = _ask(client, keys["rita"])
    conversation_id, message_id = int(response.headers["x-conversation-id"]), int(response.headers["x-message-id"])
    rob = bearer(keys["rob"])
    assert client.get("/v1/conversations", headers=rob).json() == {"conversations": []}
    for guess in range(0, conversation_id + 20):  # guessing ids finds nothing, and looks like "not found"
        assert client.get(f"/v1/conversations/{guess}", headers=rob).status_code == 404
    assert client.post("/v1/ask", json={"question": QUESTION, "conversation_id": conversation_id},
                       headers=rob).status_code == 404
    assert client.post("/v1/feedback", json={"message_id": message_id, "rating": -1}, headers=rob).status_code == 404
    assert client.get(f"/v1/conversations/{conversation_id}", headers=bearer(keys["ada"])).status_code == 404
    assert client.post("/v1/feedback", json={"message_id": message_id, "rating": 1},
                       headers=bearer(keys["rita"])).status_code == 201


@pytest.mark.parametrize("name,content,status", [
    ("../../escape.txt", b"Some text about public services.", 202),  # cleaned to escape.txt inside the library
    ("/etc/passwd.txt", b"Some text.", 202),
    ("report.pdf", b"MZ\x90\x00 a program renamed", 400),
    ("notes.exe", b"text", 400),
    ("table.csv", b"\x00\x01\x02binary", 400),
    ("empty.txt", b"", 400),
])
def test_uploads_are_checked_and_confined(client, keys, api_settings, tmp_path, name, content, status):
    response = client.post("/v1/documents", files={"file": (name, content, "application/octet-stream")},
                           headers=bearer(keys["ed"]))
    assert response.status_code == status, response.text
    library = api_settings.library_dir.resolve()
    assert all(p.resolve().parent == library for p in library.rglob("*"))
    assert not (tmp_path.parent / "escape.txt").exists()
    if status == 202:
        assert response.json()["status"] == "queued" and (library / response.json()["file"]).is_file()
        assert JobQueue(open_database(api_settings.database_url)).get(response.json()["job_id"]).status == "queued"
    else:
        assert list(library.iterdir()) == []


def test_oversize_uploads_are_refused_before_they_are_read(api_settings, keys):
    small = api_settings.with_overrides(max_file_mb=0.01)
    with TestClient(create_app(small)) as client:
        response = client.post("/v1/documents", files={"file": ("big.pdf", PDF + b"0" * 200_000, "application/pdf")},
                               headers=bearer(keys["ed"]))
        assert response.status_code == 413 and "limit" in response.json()["detail"]
        just_over = client.post("/v1/documents", files={"file": ("b.txt", b"a" * 10_001, "text/plain")},
                                headers=bearer(keys["ed"]))
        assert just_over.status_code == 413
    assert list(api_settings.library_dir.iterdir()) == []


def test_delete_stays_in_the_library(client, keys, api_settings):
    outside = api_settings.library_dir.parent / "keep.txt"
    outside.write_text("keep me")
    for name in ("..%2Fkeep.txt", "keep.txt", "..", "%2E%2E%2Fkeep.txt"):
        assert client.delete(f"/v1/documents/{name}", headers=bearer(keys["ed"])).status_code == 404
    assert outside.read_text() == "keep me"


INJECTIONS = ["'; DROP TABLE users; --", "1 OR 1=1", "\" OR \"\"=\"", "Robert'); DELETE FROM audit;--",
              "complaints' UNION SELECT api_key_hash FROM users --"]


@pytest.mark.parametrize("text", INJECTIONS)
def test_sql_injection_strings_are_harmless(client, keys, text):
    assert client.post("/v1/ask", json={"question": text}, headers=bearer(keys["rita"])).status_code == 200
    assert client.post("/v1/search", json={"query": text}, headers=bearer(keys["rita"])).status_code == 200
    assert client.post("/v1/ask", json={"question": QUESTION, "doc_types": [text]},
                       headers=bearer(keys["rita"])).status_code == 200
    assert client.post("/v1/users", json={"name": text, "role": "reader"},
                       headers=bearer(keys["ada"])).status_code == 409
    assert client.get(f"/v1/conversations/{text}", headers=bearer(keys["rita"])).status_code == 422
    assert client.get("/v1/audit", params={"since": text}, headers=bearer(keys["ada"])).status_code == 422
    users = client.get("/v1/users", headers=bearer(keys["ada"])).json()["users"]
    assert {u["name"] for u in users} == {"rita", "rob", "ed", "ada"}
    rows = client.get("/v1/audit", headers=bearer(keys["ada"])).json()["rows"]
    assert any(r["question"] == " ".join(text.split()) for r in rows)
    assert client.get("/v1/conversations", headers=bearer(keys["rita"])).status_code == 200


def test_rate_limit_per_key(api_settings, keys):
    limited = api_settings.with_overrides(rate_limit_per_minute=5)
    with TestClient(create_app(limited)) as client:
        codes = [client.get("/v1/conversations", headers=bearer(keys["rita"])).status_code for _ in range(7)]
        assert codes == [200] * 5 + [429, 429]
        refused = client.get("/v1/conversations", headers=bearer(keys["rita"]))
        assert int(refused.headers["retry-after"]) >= 1
        assert client.get("/v1/conversations", headers=bearer(keys["rob"])).status_code == 200  # per key


def test_health_is_open_and_ready_reports_the_index(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    assert "/v1/ask" in client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 200


def test_readyz_is_503_without_an_index(api_settings, tmp_path):
    with TestClient(create_app(api_settings.with_overrides(index_dir=tmp_path / "none"))) as client:
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["ready"] is False


def test_audit_records_asks_uploads_and_exports_csv(client, keys):
    answer = _ask(client, keys["rita"]).json()
    client.post("/v1/documents", files={"file": ("n.txt", b"Some notes.", "text/plain")}, headers=bearer(keys["ed"]))
    client.post("/v1/reindex", headers=bearer(keys["ed"]))
    rows = client.get("/v1/audit", headers=bearer(keys["ada"])).json()["rows"]
    assert [r["action"] for r in rows][:3] == ["reindex", "upload", "ask"]
    ask = rows[2]
    cited = sorted({c["doc_id"] for c in answer["citations"]})
    assert ask["user_name"] == "rita" and ask["doc_ids"] == cited and ask["grounded"] == answer["grounded"]
    import hashlib
    assert ask["answer_sha256"] == hashlib.sha256(answer["answer"].encode()).hexdigest()
    csv_text = client.get("/v1/audit?format=csv", headers=bearer(keys["ada"])).text
    assert csv_text.splitlines()[0].startswith("id,at,user_name") and "rita" in csv_text


def test_no_key_or_password_reaches_the_logs(api_settings, caplog):
    from assistant.serve.accounts import Accounts

    caplog.set_level(logging.DEBUG)
    accounts = Accounts(open_database(api_settings.database_url))
    _, key = accounts.add("logan", "admin", password="s3cret-passphrase")
    with TestClient(create_app(api_settings)) as client:
        client.get("/v1/users", headers=bearer(key))
        client.get("/v1/users", headers=bearer(key + "wrong"))
        created = client.post("/v1/users", json={"name": "newbie", "role": "reader"}, headers=bearer(key)).json()
        rotated = client.post("/v1/users/newbie/rotate-key", headers=bearer(key)).json()
    accounts.login("logan", "s3cret-passphrase")
    accounts.login("logan", "wrong-passphrase")
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records, "the test must see some log lines"
    for secret in (key, created["api_key"], rotated["api_key"], "s3cret-passphrase", "wrong-passphrase"):
        assert secret not in text
