"""Settings: sources per answer and document-type filters (session); embedder, LLM drafting and index status
(read-only)."""
from __future__ import annotations

import streamlit as st

from indexer.status import index_status

from .i18n import t

DOC_TYPES = ["law", "regulation", "concept", "finding", "practice", "playbook", "project", "data", "document"]


def page(settings, lang: str) -> None:
    st.session_state.k = st.slider(t(lang, "k"), 1, 10, st.session_state.get("k", 5), key="k-slider")
    st.session_state.doc_types = st.multiselect(t(lang, "doc_types"), DOC_TYPES,
                                                default=st.session_state.get("doc_types", []), key="types")
    status = index_status(settings.index_dir)
    manifest = status.get("manifest", {})
    st.text_input(t(lang, "embedder"), manifest.get("embedder", {}).get("identity", settings.embedder_backend),
                  disabled=True)
    llm = f"{settings.llm_model} @ {settings.llm_url}" if settings.llm_url else t(lang, "llm_off")
    st.text_input(t(lang, "llm"), llm, disabled=True)  # the key is never shown
    st.markdown(f"**{t(lang, 'index_status')}**")
    st.text(status["summary"])
