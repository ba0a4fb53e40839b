"""Qoljetim — Streamlit front end. Thin: widgets and session state; the work happens in assistant/ and indexer/."""
from __future__ import annotations

import streamlit as st

from assistant.retrieval import Searcher
from indexer.errors import QoljetimError
from indexer.settings import load_settings
from indexer.status import index_status

st.set_page_config(page_title="Qoljetim", page_icon="🏛️", layout="wide")


@st.cache_resource(show_spinner="Loading the index and the embedding model…")
def get_searcher(index_dir: str) -> Searcher:
    return Searcher(load_settings(index_dir=index_dir))


settings = load_settings()
status = index_status(settings.index_dir)
st.title("Qoljetim — доступность государственных услуг")
with st.sidebar:
    st.subheader("Индекс")
    st.write(status["summary"])
    for doc in status["skipped"]:
        st.caption(f"Пропущен {doc['source']}: {doc['reason']}")

if not status["ready"]:
    st.warning("Индекс ещё не построен. Выполните `make run` или `python -m indexer build`.")
    st.stop()

query = st.text_input("Поиск по документам", placeholder="Например: нагрузка на управление земельных отношений")
k = st.slider("Число фрагментов", 1, 20, 5)
if query.strip():
    try:
        hits = get_searcher(str(settings.index_dir)).search(query, k=k)
    except QoljetimError as exc:
        st.error(str(exc))
        st.stop()
    for n, hit in enumerate(hits, start=1):
        c = hit.chunk
        where = ", ".join(x for x in (c.source, f"стр. {c.page}" if c.page else "", c.section) if x)
        with st.container(border=True):
            st.markdown(f"**[{n}] {c.title}**")
            st.caption(f"{where} · score {hit.score:.4f}")
            st.text(c.text)
