"""The Streamlit app on accounts: a sign-in form when accounts exist, per-user history, asks audited, readers
cannot change the library; with no accounts, the single-user local mode (no form)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from assistant.serve.accounts import Accounts
from assistant.serve.audit import AuditLog
from assistant.serve.conversations import ConversationStore
from assistant.serve.db import open_database

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def _app(monkeypatch, settings) -> AppTest:
    monkeypatch.setenv("QOLJETIM_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("QOLJETIM_INDEX", str(settings.index_dir))
    monkeypatch.setenv("QOLJETIM_LIBRARY", str(settings.library_dir))
    return AppTest.from_file(APP, default_timeout=300)


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    return at.button[0].click().run()


def test_sign_in_keeps_conversations_per_user(api_settings, monkeypatch):
    engine = open_database(api_settings.database_url)
    accounts = Accounts(engine)
    ann, _ = accounts.add("ann", "reader", password="ann-password")
    bob, _ = accounts.add("bob", "editor", password="bob-password")
    ConversationStore(engine, bob.id).new_conversation("Bob's private question")
    at = _app(monkeypatch, api_settings).run()
    assert not at.exception and not at.chat_input and len(at.text_input) == 2  # only the sign-in form
    at = _sign_in(at, "ann", "wrong password")
    assert any("Неверное имя или пароль" in e.value for e in at.error) and not at.chat_input
    at = _sign_in(at, "ann", "ann-password")
    assert not at.exception and at.chat_input
    labels = [b.label for b in at.sidebar.button]
    assert "Bob's private question" not in labels
    at.chat_input[0].set_value("Сколько жалоб поступило в 2024 году?").run()
    assert not at.exception
    assert ConversationStore(engine, ann.id).conversations()[0][1] == "Сколько жалоб поступило в 2024 году?"
    assert [c for _, c in ConversationStore(engine, bob.id).conversations()] == ["Bob's private question"]
    actions = [(r["user_name"], r["action"]) for r in AuditLog(engine).rows()]
    assert actions[:2] == [("ann", "ask"), ("ann", "login")]
    at.radio(key="section").set_value("library").run()
    assert not at.exception
    assert "reindex" not in [b.key for b in at.button]  # a reader sees the library but cannot change it


def test_without_accounts_the_app_is_single_user(api_settings, monkeypatch):
    at = _app(monkeypatch, api_settings).run()
    assert not at.exception and at.chat_input and not at.text_input
    at.radio(key="section").set_value("library").run()
    assert "reindex" in [b.key for b in at.button]
