"""The chat page: questions, cited answers, metric and recommendation cards, downloads and feedback."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import streamlit as st

from assistant.draft.wording import format_number
from assistant.draft.export import to_docx, to_markdown
from assistant.draft.llm_draft import drafting_fits, stream_rewrite
from assistant.service import QuestionError
from assistant.types import Answer

from .i18n import STARTERS, t
from .render import escape_md, highlight

log = logging.getLogger(__name__)


def sidebar_history(store, lang: str) -> None:
    st.sidebar.subheader(t(lang, "history"))
    if st.sidebar.button(t(lang, "new_chat"), key="new_chat", width="stretch"):
        st.session_state.conversation_id = None
    for conversation_id, title in store.conversations(limit=20):
        if st.sidebar.button(title, key=f"conv-{conversation_id}", width="stretch"):
            st.session_state.conversation_id = conversation_id


def page(assistant, store, lang: str, documents: dict, llm_settings=None, on_answer=None) -> None:
    """`llm_settings`: the Settings naming an LLM endpoint, if any; the assistant itself answers extractively and
    the draft is streamed here, sentence by sentence, each one guarded before it is shown.
    `on_answer(answer_dict)` is called once per new answer (the app records it in the audit log)."""
    sidebar_history(store, lang)
    conversation_id = st.session_state.get("conversation_id")
    messages = store.messages(conversation_id) if conversation_id else []
    if not messages:
        starters(lang)
    question_asked = None
    for index, message in enumerate(messages):
        with st.chat_message(message.role):
            if message.role == "user":
                st.markdown(escape_md(message.content))
                question_asked = message.content
            else:
                show_answer(message, question_asked or "", lang, documents, store)
    prompt = st.chat_input(t(lang, "ask")) or st.session_state.pop("starter", None)
    if prompt:
        ask(assistant, store, prompt, lang, llm_settings, on_answer)


def starters(lang: str) -> None:
    st.caption(t(lang, "starters"))
    columns = st.columns(3)
    for column, group in zip(columns, ("civil_servant", "researcher", "trainer")):
        column.markdown(f"**{t(lang, group)}**")
        for n, question in enumerate(STARTERS[lang][group]):
            if column.button(question, key=f"starter-{group}-{n}"):
                st.session_state.starter = question
                st.rerun()


def ask(assistant, store, prompt: str, lang: str, llm_settings=None, on_answer=None) -> None:
    with st.status(t(lang, "thinking"), expanded=False) as status:
        try:
            answer = assistant.ask(prompt, k=st.session_state.get("k", 5),
                                   doc_types=set(st.session_state.get("doc_types") or ()))
        except QuestionError as exc:
            status.update(state="error")
            st.error(str(exc))
            return
        status.update(state="complete")
    if llm_settings is not None and llm_settings.llm_url and drafting_fits(answer):
        answer = streamed_draft(answer, prompt, llm_settings, lang)
    if on_answer is not None:
        on_answer(answer.as_dict())
    conversation_id = st.session_state.get("conversation_id") or store.new_conversation(prompt)
    st.session_state.conversation_id = conversation_id
    store.add_message(conversation_id, "user", prompt)
    store.add_message(conversation_id, "assistant", answer.text, answer.as_dict())
    st.rerun()


def streamed_draft(answer: Answer, prompt: str, llm_settings, lang: str) -> Answer:
    """Show the guarded sentences of the LLM draft as they arrive; the answer to keep (extractive on fallback)."""
    with st.chat_message("user"):
        st.markdown(escape_md(prompt))
    with st.chat_message("assistant"):
        placeholder, shown = st.empty(), []

        def on_sentence(sentence: str) -> None:
            shown.append(sentence)
            placeholder.markdown(escape_md(" ".join(shown)) + " ▌")

        try:
            return stream_rewrite(answer, llm_settings, on_sentence)
        except Exception:  # stream_rewrite does not raise; this is the app's promise of no traceback
            log.exception("LLM drafting failed in the app; extractive answer kept")
            return answer


def show_answer(message, question: str, lang: str, documents: dict, store) -> None:
    data = message.payload or {}
    st.markdown(escape_md(data.get("answer", message.content)))
    drafting_note(data, lang)
    if not data.get("grounded", True):
        return
    metric_cards(data.get("metrics", []), data.get("language", lang))
    recommendation_cards(data.get("recommendations", []), lang)
    sources(data.get("citations", []), question, lang)
    downloads(data, documents, lang, message.id)
    feedback(store, message, question, lang)


def drafting_note(data: dict, lang: str) -> None:
    """A short caption: who drafted the text, or that the language model was not used and why not."""
    drafted_by, guard = data.get("drafted_by", "extractive"), data.get("guard") or []
    if drafted_by.startswith("llm:"):
        removed = sum(1 for g in guard if g.get("sentence"))
        st.caption(t(lang, "llm_drafted").format(model=drafted_by[4:], removed=removed))
    elif any(str(g.get("reason", "")).startswith("fallback:") for g in guard):
        st.caption(t(lang, "llm_fallback"))


def metric_cards(metrics: list[dict], lang: str) -> None:
    """A card per figure: the unit's name as the card's label (short, never cut mid-word), the value at its
    source's precision, the change against the previous year (a share in percentage points), and the
    indicator with its period written below."""
    values = [m for m in metrics if m.get("unit") not in ("ratio", "pp")][:4]
    if not values:
        return
    columns = st.columns(len(values))
    for column, fact in zip(columns, values):
        percent = fact["unit"] == "%"
        unit = "\u00a0%" if percent and lang != "en" else ("%" if percent else "")
        column.metric(fact["entity"], format_number(fact["value"], lang, fact.get("decimals")) + unit,
                      delta=_delta(fact, lang), delta_color="off")
        column.caption(f"{fact['label']}, {fact['period']}")


def _delta(fact: dict, lang: str) -> str | None:
    previous = fact.get("previous")
    if not previous:
        return None
    if fact["unit"] == "%":
        return f"{fact['value'] - previous:+.1f}".replace(".", "," if lang != "en" else ".") + f" {t(lang, 'pp')}"
    change = (fact["value"] - previous) / previous * 100
    return f"{change:+.1f}".replace(".", "," if lang != "en" else ".") + "%"


def recommendation_cards(recommendations: list[dict], lang: str) -> None:
    for rec in recommendations:
        with st.container(border=True):
            st.markdown(f"**{escape_md(rec['title'])}**")
            st.markdown(f"*{t(lang, 'problem')}:* {escape_md(rec['problem'])}")
            if rec.get("legal_basis"):
                st.markdown(f"*{t(lang, 'legal')}:* {escape_md(rec['legal_basis'])}")
            st.markdown(f"*{t(lang, 'actions')}:*\n" + "\n".join(f"- {escape_md(a)}" for a in rec["actions"]))
            st.markdown(f"*{t(lang, 'responsible')}:* " + escape_md("; ".join(rec["responsible"])))
            st.markdown(f"*{t(lang, 'kpis')}:*\n" + "\n".join(f"- {escape_md(k)}" for k in rec["kpis"]))
            st.caption(f"{t(lang, 'evidence')}: " + ", ".join(f"[{n}]" for n in rec["evidence"]))


def sources(citations: list[dict], question: str, lang: str) -> None:
    if not citations:
        return
    with st.expander(f"{t(lang, 'sources')} ({len(citations)})"):
        for c in citations:
            where = ", ".join(x for x in (c["source"], f"{t(lang, 'page')} {c['page']}" if c.get("page") else "",
                                          c.get("section", "")) if x)
            kind = c.get("type") or c.get("kind", "")
            st.markdown(f"**[{c['n']}] {escape_md(c['title'])}** · {t(lang, 'type')}: {escape_md(kind)}")
            st.caption(where)
            if c.get("reference"):  # a law's article: «… № 88-V, ст. 25, п. 2 (ред. на 27.06.2022)»
                st.caption(escape_md(c["reference"]))
            st.markdown(highlight(c.get("text", ""), question))


def downloads(data: dict, documents: dict, lang: str, message_id: int) -> None:
    answer = Answer.from_dict(data)
    left, right = st.columns(2)
    with tempfile.TemporaryDirectory() as tmp:
        path = to_docx(answer, documents, Path(tmp) / "answer.docx")
        left.download_button(t(lang, "download_docx"), path.read_bytes(), file_name="qoljetim-answer.docx",
                             mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                             key=f"docx-{message_id}")
    right.download_button(t(lang, "download_md"), to_markdown(answer, documents).encode("utf-8"),
                          file_name="qoljetim-answer.md", mime="text/markdown", key=f"md-{message_id}")


def feedback(store, message, question: str, lang: str) -> None:
    rating = st.feedback("thumbs", key=f"fb-{message.id}")
    if rating is None:
        return
    comment = st.text_input(t(lang, "comment"), key=f"fbc-{message.id}")
    if st.button(t(lang, "send_feedback"), key=f"fbs-{message.id}"):
        ids = [c["doc_id"] for c in (message.payload or {}).get("citations", [])]
        store.add_feedback(message.id, 1 if rating == 1 else -1, comment, question, message.content, ids)
        st.success(t(lang, "thanks"))
