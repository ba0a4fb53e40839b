"""The document library: what is indexed, what waits, the indexing job's progress, uploads and removal.

Indexing never runs here: an upload, removal or re-index only queues a job, which the worker process
(`python -m assistant worker`, started by `make run`) runs; closing the tab loses nothing."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.serve.library import add_uploads, library_files, remove_document, waiting_files
from indexer.status import index_status

from .i18n import t


def jobs_panel(jobs, lang: str) -> bool:
    """Active jobs with progress, else the last finished one; True while a job is queued or running."""
    active = jobs.active()
    for job in active:
        if job.status == "running":
            stage = t(lang, f"stage_{job.stage}") if job.stage in ("reading", "embedding") else (job.stage or "")
            st.progress(job.fraction, text=f"{t(lang, 'job_running')} #{job.id}: {stage} {job.done}/{job.total}")
        else:
            st.info(f"{t(lang, 'job_queued')} #{job.id} ({job.requested_by})")
    if not active:
        last = next(iter(jobs.recent(1)), None)
        if last is not None and last.status == "failed":
            st.error(f"{t(lang, 'job_failed')} #{last.id}: {last.error}")
        elif last is not None:
            st.caption(f"{t(lang, 'job_done')} #{last.id}: {last.message or ''}")
    return bool(active)


def live_status(settings, jobs, lang: str) -> None:
    """Refreshes itself every 2 s while a job is active; reloads the page once the job is over."""
    busy = jobs_panel(jobs, lang)
    waiting = waiting_files(settings)
    if waiting:
        st.markdown(f"**{t(lang, 'waiting')}** ({len(waiting)})")
        for item in waiting:
            st.caption(f"{item['source']} — {item['change']}")
    was_busy = st.session_state.get("library_busy", False)
    st.session_state.library_busy = busy
    if was_busy and not busy:
        st.rerun(scope="app")


def page(settings, lang: str, jobs, audit, user) -> None:
    fragment = st.fragment(run_every=2.0)(live_status)
    fragment(settings, jobs, lang)
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
    if not user.can("editor"):
        st.caption(t(lang, "editors_only"))
        return
    editor_controls(settings, lang, jobs, audit, user)


def editor_controls(settings, lang: str, jobs, audit, user) -> None:
    uploads = st.file_uploader(t(lang, "upload"), accept_multiple_files=True, key="uploader",
                               type=["pdf", "docx", "txt", "md", "csv", "xlsx"])
    done = st.session_state.setdefault("uploads_done", set())
    fresh = [u for u in uploads or [] if (u.name, u.size) not in done]
    done.update((u.name, u.size) for u in fresh)  # a rerun keeps the files in the widget: handle each once
    results = add_uploads(settings.library_dir, [(u.name, u.getvalue()) for u in fresh],
                          int(settings.max_file_mb * 1e6))
    for name, saved, message in results:
        if saved:
            audit.record(user.name, "upload", message)
            st.success(f"{t(lang, 'queued')}: {message}")
        else:
            st.error(message)
    if any(saved for _, saved, _ in results):
        jobs.enqueue(user.name)
    if st.button(t(lang, "reindex"), key="reindex"):
        job_id = jobs.enqueue(user.name)
        audit.record(user.name, "reindex", f"job {job_id}")
        st.rerun()
    files = [p.name for p in library_files(settings.library_dir)]
    if files:
        name = st.selectbox(t(lang, "remove"), files, key="remove-name")
        if st.button(t(lang, "remove"), key="remove"):
            remove_document(settings.library_dir, name)
            audit.record(user.name, "delete", name)
            jobs.enqueue(user.name)
            st.rerun()
