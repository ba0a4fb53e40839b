"""The document library: what is indexed, uploads (checked and confined to one folder), re-index, removal."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.serve.library import add_uploads, library_files, remove_document
from indexer.build import BuildProgress, build_index
from indexer.errors import QoljetimError
from indexer.status import index_status

from .i18n import t


class StreamlitProgress(BuildProgress):
    def __init__(self, bar):
        self.bar, self.total, self.done = bar, 1, 0

    def files_found(self, total: int) -> None:
        self.total = max(total, 1)

    def file_done(self, outcome) -> None:
        self.done += 1
        self.bar.progress(min(self.done / self.total, 1.0), text=outcome.source)

    def embedding_started(self, total: int) -> None:
        self.total, self.done = max(total, 1), 0

    def embedded(self, count: int) -> None:
        self.done += count
        self.bar.progress(min(self.done / self.total, 1.0))


def reindex(settings, lang: str) -> bool:
    bar = st.progress(0.0, text=t(lang, "indexing"))
    try:
        report = build_index(settings, StreamlitProgress(bar))
    except QoljetimError as exc:
        st.error(str(exc))
        return False
    bar.progress(1.0, text=t(lang, "done"))
    for outcome in report.outcomes:
        if outcome.status == "skipped":
            st.warning(f"{outcome.source}: {outcome.reason}")
    return True


def page(settings, lang: str, on_change) -> None:
    status = index_status(settings.index_dir)
    st.subheader(t(lang, "documents"))
    rows = [{t(lang, "title_col"): d.get("title", d["source"]), "source": d["source"],
             t(lang, "type"): d.get("doc_type", ""), t(lang, "lang_col"): d.get("language", ""),
             t(lang, "pages"): d.get("pages"), t(lang, "chunks"): d.get("chunks", 0),
             t(lang, "status"): d["status"]} for d in status["documents"]]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if status["skipped"]:
        st.markdown(f"**{t(lang, 'skipped')}**")
        for doc in status["skipped"]:
            st.caption(f"{doc['source']}: {doc['reason']}")
    uploads = st.file_uploader(t(lang, "upload"), accept_multiple_files=True, key="uploader",
                               type=["pdf", "docx", "txt", "md", "csv", "xlsx"])
    done = st.session_state.setdefault("uploads_done", set())
    fresh = [u for u in uploads or [] if (u.name, u.size) not in done]
    done.update((u.name, u.size) for u in fresh)  # a rerun keeps the files in the widget: handle each once
    results = add_uploads(settings.library_dir, [(u.name, u.getvalue()) for u in fresh],
                          int(settings.max_file_mb * 1e6))
    for name, saved, message in results:
        st.success(f"{t(lang, 'indexed_ok')}: {message}") if saved else st.error(message)
    added = any(saved for _, saved, _ in results)
    if (added or st.button(t(lang, "reindex"), key="reindex")) and reindex(settings, lang):
        on_change()
        st.rerun()
    files = [p.name for p in library_files(settings.library_dir)]
    if files:
        name = st.selectbox(t(lang, "remove"), files, key="remove-name")
        if st.button(t(lang, "remove"), key="remove"):
            remove_document(settings.library_dir, name)
            if reindex(settings, lang):
                on_change()
                st.rerun()
