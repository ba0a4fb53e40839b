"""Optional LLM drafting: a language model rewrites the extractive answer as prose from the same numbered
sources, and the guard checks every sentence before it is shown or returned.

Off unless `settings.llm_url` is set: then nothing is sent anywhere and the answer is returned unchanged. Any
failure (endpoint down, timeout, HTTP error, malformed or cut stream, a draft the guard rejects) gives back the
extractive answer with a `fallback:<cause>` note in `Answer.guard`; it never raises.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from assistant.draft.frameworks import FRAMEWORK_GROUPS
from assistant.draft.guard import SentenceStream, check_sentence, guard_draft, support_of
from assistant.draft.llm_client import ChatClient, LLMError
from assistant.draft.llm_prompts import messages_for, shown_text
from assistant.types import Answer, GuardNote

log = logging.getLogger(__name__)


def llm_rewrite(answer: Answer, settings, client: ChatClient | None = None) -> Answer:
    """The answer with a guarded LLM draft as its text, or unchanged when LLM drafting is off or not fitting."""
    if not settings.llm_url or not drafting_fits(answer):
        return answer
    return _rewrite(answer, settings, client, on_sentence=None)


def stream_rewrite(answer: Answer, settings, on_sentence: Callable[[str], None],
                   client: ChatClient | None = None) -> Answer:
    """As llm_rewrite, streamed: `on_sentence` receives each sentence once it has passed the guard (so the app
    can show them as they come). The returned answer is what to keep; on fallback it is the extractive one."""
    if not settings.llm_url or not drafting_fits(answer):
        return answer
    return _rewrite(answer, settings, client, on_sentence=on_sentence)


def drafting_fits(answer: Answer) -> bool:
    """Only a grounded, cited answer is rewritten: a refusal stays a refusal, and a SWOT/PEST/brief keeps its
    structure."""
    return answer.grounded and bool(answer.citations) and answer.intent not in FRAMEWORK_GROUPS


def _rewrite(answer: Answer, settings, client: ChatClient | None, on_sentence) -> Answer:
    client = client or ChatClient.from_settings(settings)
    shown = {c.n: shown_text(c, answer.language, settings.data_dir) for c in answer.citations}
    started = time.perf_counter()
    try:
        if on_sentence is None:
            draft = client.complete(messages_for(answer, settings.data_dir))
        else:
            draft = _streamed_draft(client, answer, shown, on_sentence, settings.data_dir)
        result = guard_draft(draft, answer.citations, answer.language, shown)
    except LLMError as exc:
        log.warning("LLM draft not used, extractive answer kept: %s", exc)
        return _fallback(answer, GuardNote(f"fallback:{exc.cause}", "", str(exc)), started)
    except Exception as exc:  # an optional stage must never take the answer down with it
        log.exception("LLM drafting failed unexpectedly; extractive answer kept")
        return _fallback(answer, GuardNote("fallback:internal_error", "", repr(exc)), started)
    if result.fallback is not None:
        log.info("LLM draft rejected by the guard (%s); extractive answer kept", result.fallback.detail)
        return _fallback(answer, result.fallback, started, result.dropped)
    timings = {**answer.timings_ms, "llm": round((time.perf_counter() - started) * 1000, 2)}
    return replace(answer, text=result.text + recommendation_tail(answer), drafted_by=f"llm:{settings.llm_model}",
                   guard=result.dropped, timings_ms=timings)


def _fallback(answer: Answer, note: GuardNote, started: float, dropped: tuple = ()) -> Answer:
    timings = {**answer.timings_ms, "llm": round((time.perf_counter() - started) * 1000, 2)}
    return replace(answer, drafted_by="extractive", guard=tuple(dropped) + (note,), timings_ms=timings)


def _streamed_draft(client: ChatClient, answer: Answer, shown: dict[int, str], on_sentence, data_dir) -> str:
    """The whole draft text; on the way, each complete sentence that passes the guard goes to `on_sentence`."""
    support = support_of(answer.citations, shown)
    stream, pieces = SentenceStream(), []

    def emit(sentences):
        for sentence in sentences:
            if check_sentence(sentence.text, support, answer.language) is None:
                on_sentence(sentence.text)

    for piece in client.stream(messages_for(answer, data_dir)):
        pieces.append(piece)
        emit(stream.feed(piece))
    emit(stream.finish())
    return "".join(pieces)


def recommendation_tail(answer: Answer) -> str:
    """The recommendation list the engine appended to the extractive text ("\\n\\nRecommendations:\\n- …"),
    kept verbatim after the draft; "" when there is none."""
    if not answer.recommendations:
        return ""
    lines = answer.text.split("\n")
    first = f"- {answer.recommendations[0].title}"
    for i, line in enumerate(lines):
        if line.startswith(first) and i >= 1:
            start = i - 2 if i >= 2 and not lines[i - 2].strip() else i - 1
            return "\n" + "\n".join(lines[start:])
    return ""
