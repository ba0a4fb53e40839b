"""Qoljetim — Streamlit front end. Thin: widgets and session state; the work happens in assistant/ and indexer/."""
from __future__ import annotations

import streamlit as st

from assistant.serve.accounts import Accounts
from assistant.serve.audit import AuditLog
from assistant.serve.conversations import ConversationStore
from assistant.serve.db import open_database
from assistant.serve.jobs import JobQueue
from assistant.serve.legacy import import_legacy
from assistant.serve.live import LiveAssistant
from indexer.errors import QoljetimError
from indexer.settings import load_settings
from indexer.status import index_status
from ui import chat, dashboard_page, library_page, login, settings_page
from ui.i18n import LANGS, t

st.set_page_config(page_title="Qoljetim", page_icon="🏛️", layout="wide")


@st.cache_resource(show_spinner=False)
def get_live(index_dir: str, database_url: str) -> LiveAssistant:
    """One loaded assistant per process, reloaded when a build makes a new index live (embedded or PostgreSQL).
    It answers extractively: the chat page streams the optional LLM draft itself (chat.page's llm_settings)."""
    return LiveAssistant(load_settings(index_dir=index_dir, database_url=database_url).without_llm())


settings = load_settings()
engine = open_database(settings.database_url)
if settings.database_url == f"sqlite:///{settings.data_dir.resolve() / 'app' / 'qoljetim.sqlite3'}":
    import_legacy(engine, settings.data_dir / "app" / "conversations.sqlite3")  # earlier versions' history, once
audit = AuditLog(engine, settings.audit_retention_days)
jobs = JobQueue(engine)
lang = st.sidebar.selectbox("Язык · Тіл · Language", list(LANGS), format_func=LANGS.get, key="lang")
st.title(t(lang, "app_title"))
user = login.current_user(Accounts(engine), audit, lang)
section = st.sidebar.radio(t(lang, "nav"), ["chat", "dashboard", "library", "settings"],
                           format_func=lambda key: t(lang, key), key="section")
status = index_status(settings.index_dir)
store = ConversationStore(engine, None if user is login.LOCAL else user.id)

if section == "dashboard":
    dashboard_page.page(settings.data_dir, lang)
elif section == "library":
    library_page.page(settings, lang, jobs, audit, user)
elif section == "settings":
    settings_page.page(settings, lang)
elif not status["ready"]:
    st.info(t(lang, "first_build")) if jobs.active() else st.warning(t(lang, "no_index"))
    st.fragment(run_every=2.0)(library_page.live_status)(settings, jobs, lang)
else:
    try:
        assistant = get_live(str(settings.index_dir), settings.database_url).get()
    except QoljetimError as exc:
        st.error(str(exc))
        st.stop()
    chat.page(assistant, store, lang, assistant.searcher.store.manifest["documents"], llm_settings=settings,
              on_answer=lambda answer: audit.record_ask(user.name, answer))
