"""The app tables on SQLite and on a real PostgreSQL: per-user conversations, feedback, accounts (only hashes
stored), the append-only audit log with retention, and the job queue (claim once, requeue a dead worker's job)."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from assistant.serve.accounts import AccountError, Accounts
from assistant.serve.audit import AuditLog
from assistant.serve.conversations import ConversationStore, NotFound
from assistant.serve.db import audit as audit_t
from assistant.serve.db import open_database, users as users_t
from assistant.serve.jobs import STALE_SECONDS, JobQueue

ANSWER = {"question": "Сколько жалоб?", "language": "ru", "grounded": True, "answer": "71 [1]",
          "citations": [{"n": 1, "doc_id": "complaints"}, {"n": 2, "doc_id": "complaints"}]}


def test_conversations_are_per_user(database_url):
    engine = open_database(database_url)
    accounts = Accounts(engine)
    (ann, _), (bob, _) = accounts.add("ann", "reader"), accounts.add("bob", "reader")
    mine, theirs, local = (ConversationStore(engine, ann.id), ConversationStore(engine, bob.id),
                           ConversationStore(engine))
    cid = mine.new_conversation("Сколько жалоб?")
    mine.add_message(cid, "user", "Сколько жалоб?")
    mid = mine.add_message(cid, "assistant", "71 [1]", ANSWER)
    assert mine.conversations() == [(cid, "Сколько жалоб?")] and len(mine.messages(cid)) == 2
    assert theirs.conversations() == [] and local.conversations() == []
    assert theirs.messages(cid) == [] and not theirs.owns(cid)
    for attempt in (lambda: theirs.title(cid), lambda: theirs.add_message(cid, "user", "x"),
                    lambda: theirs.find_message(mid), lambda: theirs.add_feedback(mid, 1, "", "", "", [])):
        with pytest.raises(NotFound):
            attempt()
    theirs.delete_conversation(cid)  # someone else's id: nothing happens
    assert len(mine.messages(cid)) == 2
    message, question = mine.find_message(mid)
    assert question == "Сколько жалоб?" and message.payload["answer"] == "71 [1]"
    mine.add_feedback(mid, -1, "нет года", question, message.content, ["complaints"])
    assert mine.feedback()[0]["comment"] == "нет года" and theirs.feedback() == []
    mine.delete_conversation(cid)
    assert mine.conversations() == [] and mine.messages(cid) == []


def test_accounts_store_only_hashes_and_disable_rotate_work(database_url):
    engine = open_database(database_url)
    accounts = Accounts(engine)
    user, key = accounts.add("ann", "editor", password="correct horse")
    with engine.connect() as db:
        row = db.execute(sa.select(users_t)).one()
    assert key not in str(tuple(row)) and "correct horse" not in str(tuple(row))
    assert row.password_hash.startswith("$argon2")
    assert accounts.by_key(key) == user and accounts.login("ann", "correct horse") == user
    assert accounts.login("ann", "wrong") is None and accounts.login("nobody", "x") is None
    assert accounts.by_key(key + "x") is None and accounts.by_key("") is None
    new = accounts.rotate_key("ann")
    assert accounts.by_key(key) is None and accounts.by_key(new) == user
    accounts.disable("ann")
    assert accounts.by_key(new) is None and accounts.login("ann", "correct horse") is None
    with pytest.raises(AccountError):
        accounts.add("ann", "reader")
    with pytest.raises(AccountError):
        accounts.add("eve", "root")


@pytest.mark.parametrize("name", ["x'; DROP TABLE users; --", "a b", "", "../etc", "x" * 81])
def test_bad_account_names_are_refused_and_harmless(database_url, name):
    accounts = Accounts(open_database(database_url))
    with pytest.raises(AccountError):
        accounts.add(name, "reader")
    assert accounts.find(name) is None and accounts.list() == []


def test_audit_is_append_only_with_retention(database_url):
    engine = open_database(database_url)
    log = AuditLog(engine, retention_days=30)
    log.record_ask("ann", ANSWER)
    log.record("ed", "upload", "report.pdf")
    rows = log.rows()
    assert [r["action"] for r in rows] == ["upload", "ask"]
    ask = rows[1]
    assert ask["user_name"] == "ann" and ask["grounded"] is True and ask["doc_ids"] == ["complaints"]
    assert len(ask["answer_sha256"]) == 64 and ask["question"] == "Сколько жалоб?"
    assert log.csv().splitlines()[0].startswith("id,at,user_name,action")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with engine.begin() as db:
            db.execute(audit_t.update().values(user_name="someone else"))
    assert log.purge_expired(now=time.time() + 31 * 86400) == 2 and log.rows() == []
    assert AuditLog(engine, retention_days=0).purge_expired(now=time.time() + 10**9) == 0


def test_jobs_are_claimed_once_coalesced_and_requeued_after_a_dead_worker(database_url):
    queue = JobQueue(open_database(database_url))
    first = queue.enqueue("ed")
    assert queue.enqueue("ada") == first  # a queued build will see every change
    job = queue.claim()
    assert job.id == first and job.status == "running" and queue.claim() is None
    second = queue.enqueue("ed")
    assert second != first
    queue.progress(first, 3, 10, "embedding")
    assert queue.get(first).fraction == pytest.approx(0.3)
    assert queue.requeue_stale(now=time.time() + STALE_SECONDS + 1) == 1
    assert queue.get(first).status == "queued"
    again = queue.claim()
    assert again.id == first
    queue.finish(first, [("bad.pdf", "encrypted")], "1 indexed")
    done = queue.get(first)
    assert done.status == "done" and done.skipped == [["bad.pdf", "encrypted"]]
    queue.fail(queue.claim().id, "boom")
    assert queue.get(second).status == "failed" and queue.get(second).error == "boom"
    assert queue.active() == []


def test_history_of_earlier_versions_is_imported_once(database_url, tmp_path):
    import sqlite3

    from assistant.serve.legacy import import_legacy

    old = tmp_path / "conversations.sqlite3"
    with sqlite3.connect(old) as db:  # the schema earlier versions wrote
        db.executescript("""
            CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL, created REAL NOT NULL);
            CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL, role TEXT NOT NULL,
                                   content TEXT NOT NULL, payload TEXT, created REAL NOT NULL);
            CREATE TABLE feedback (id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL, rating INTEGER NOT NULL,
                                   comment TEXT, question TEXT, answer TEXT, citation_ids TEXT, created REAL NOT NULL);
            INSERT INTO conversations VALUES (7, 'Сколько жалоб?', 1.0);
            INSERT INTO messages VALUES (11, 7, 'user', 'Сколько жалоб?', NULL, 1.0);
            INSERT INTO messages VALUES (12, 7, 'assistant', '71 [1]', '{"answer": "71 [1]"}', 2.0);
            INSERT INTO feedback VALUES (1, 12, 1, 'ok', 'Сколько жалоб?', '71 [1]', '["d1"]', 3.0);""")
    engine = open_database(database_url)
    assert import_legacy(engine, old) == 1 and import_legacy(engine, old) == 0
    store = ConversationStore(engine)
    (cid, title), = store.conversations()
    assert title == "Сколько жалоб?" and [m.content for m in store.messages(cid)] == ["Сколько жалоб?", "71 [1]"]
    assert store.feedback()[0]["citation_ids"] == ["d1"] and (tmp_path / "conversations.sqlite3.imported").is_file()
