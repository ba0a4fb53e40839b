"""Optional LLM drafting against a scripted OpenAI-compatible server on 127.0.0.1 (no real model): good drafts,
invented figures, dangling [n], uncited and wrong-language drafts, slow, broken and cut streams, HTTP errors,
malformed replies and a closed port. The answer underneath is a real one (small_index, real embedder)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.draft.llm_client import ChatClient, LLMStreamCutError
from assistant.draft.llm_draft import llm_rewrite, recommendation_tail, stream_rewrite
from assistant.draft.traceability import untraceable
from assistant.service import Assistant
from assistant.types import Answer, GuardNote, Recommendation
from tests.scripted_llm import Reply, ScriptedLLM, closed_port_url

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Как изменилось число участников семинара «Люди прежде всего» за последний год?"


@pytest.fixture
def llm():
    server = ScriptedLLM().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def base(small_index) -> Assistant:
    return Assistant(small_index)


@pytest.fixture(scope="module")
def extractive(base) -> Answer:
    answer = base.ask(QUESTION)
    assert answer.grounded and answer.drafted_by == "extractive" and answer.guard == ()
    return answer


def with_llm(settings, url: str, timeout: float = 5.0, key: str = ""):
    return settings.with_overrides(llm_url=url, llm_model="test-model", llm_timeout_s=timeout, llm_key=key)


def numbered(answer: Answer) -> tuple[int, int, int]:
    """[n] of the seminar passage, of the 2024 participants data row and of its change against 2023."""
    passage = next(c.n for c in answer.citations if c.doc_id == "seminar-ru")
    value = next(c.n for c in answer.citations if c.kind == "data" and c.meta["kind"] == "value"
                 and c.meta["id"] == "people_first_participants")
    change = next(c.n for c in answer.citations if c.kind == "data" and c.meta["kind"] == "change"
                  and c.meta["id"] == "people_first_participants")
    return passage, value, change


def good_draft(answer: Answer) -> str:
    p, v, y = numbered(answer)
    return (f"Число участников семинара «Люди прежде всего» сократилось с 233 в 2022 году до 119 в 2024 году [{p}]. "
            f"В 2024 году в семинаре участвовали 119 человек [{v}], на 28,3% меньше, чем годом ранее [{y}].\n"
            f"Семинар обучает государственных служащих вежливому обслуживанию граждан [{p}].")


def test_without_the_url_nothing_changes_and_nothing_is_sent(small_index, base, extractive, llm):
    assert small_index.llm_url == "" and not small_index.llm_enabled
    assert llm_rewrite(extractive, small_index) is extractive
    assert stream_rewrite(extractive, small_index, on_sentence=lambda s: None) is extractive
    again = base.ask(QUESTION)
    assert again.drafted_by == "extractive" and again.guard == () and again.text == extractive.text
    assert again.as_dict()["drafted_by"] == "extractive" and again.as_dict()["guard"] == []
    assert llm.requests == []


def test_a_good_plain_draft_replaces_the_text_and_keeps_citations_and_metrics(small_index, base, extractive, llm):
    llm.script(Reply(good_draft(extractive)))
    assistant = Assistant(with_llm(small_index, llm.url, key="secret-key"), searcher=base.searcher)
    answer = assistant.ask(QUESTION)
    assert answer.drafted_by == "llm:test-model" and answer.guard == ()
    assert answer.text == good_draft(extractive)
    assert answer.citations == extractive.citations and answer.metrics == extractive.metrics
    assert untraceable(answer) == []
    request = llm.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer secret-key"
    body = request["json"]
    assert body["model"] == "test-model" and body["stream"] is False
    user = body["messages"][-1]["content"]
    assert QUESTION in user and "233" in user and "28,3" in user
    assert all(f"[{c.n}]" in user for c in extractive.citations)
    assert "по-русски" in body["messages"][0]["content"]


def test_a_good_streamed_draft_arrives_sentence_by_sentence(small_index, extractive, llm):
    llm.script(Reply(good_draft(extractive), piece=3))
    seen: list[str] = []
    answer = stream_rewrite(extractive, with_llm(small_index, llm.url), seen.append)
    assert answer.drafted_by == "llm:test-model" and answer.text == good_draft(extractive)
    assert len(seen) == 3 and " ".join(seen).replace("\n", " ") == answer.text.replace("\n", " ")
    assert llm.requests[0]["json"]["stream"] is True and "Authorization" not in llm.requests[0]["headers"]


@pytest.mark.parametrize("stream", [False, True])
def test_an_invented_figure_and_a_dangling_citation_never_reach_the_user(small_index, extractive, llm, stream):
    p, v, y = numbered(extractive)
    draft = (good_draft(extractive) + f" В 2025 году ожидается 4 731 участник [{p}]."
             f" Каждый второй участник остался доволен [{len(extractive.citations) + 3}].")
    llm.script(Reply(draft))
    seen: list[str] = []
    settings = with_llm(small_index, llm.url)
    answer = stream_rewrite(extractive, settings, seen.append) if stream else llm_rewrite(extractive, settings)
    assert answer.drafted_by == "llm:test-model"
    assert "4 731" not in answer.text and "2025" not in answer.text and "доволен" not in answer.text
    assert [g.reason for g in answer.guard] == ["unsupported_figure", "dangling_citation"]
    assert "4731" in answer.guard[0].detail and "2025" in answer.guard[0].detail
    assert all("4 731" not in s and "доволен" not in s for s in seen)


@pytest.mark.parametrize("draft, reason", [
    ("Число участников семинара сократилось. Семинар обучает служащих.", "fallback:too_little_left"),
    ("The number of seminar participants fell from 233 in 2022 to 119 in 2024 [{p}]. "
     "The seminar teaches civil servants to serve citizens politely [{p}].", "fallback:wrong_language"),
    ("Семинарға қатысушылар саны 2022 жылғы 233-тен 2024 жылы 119-ға дейін қысқарды [{p}]. "
     "Семинар мемлекеттік қызметшілерді азаматтарға сыпайы қызмет көрсетуге үйретеді [{p}].",
     "fallback:wrong_language"),
    ("В 2024 году участников было 500 [{p}]. В 2023 году их было 300 [{p}]. Семинар полезен [{p}].",
     "fallback:too_little_left"),
    ("", "fallback:too_little_left"),
])
def test_a_draft_that_mostly_fails_the_guard_gives_the_extractive_answer(small_index, extractive, llm, draft,
                                                                          reason):
    p, _, _ = numbered(extractive)
    llm.script(Reply(draft.format(p=p)))
    answer = llm_rewrite(extractive, with_llm(small_index, llm.url))
    assert answer.drafted_by == "extractive" and answer.text == extractive.text
    assert answer.guard[-1].reason == reason and answer.guard[-1].is_fallback


@pytest.mark.parametrize("reply, cause", [
    (Reply(status=500, content="CUDA out of memory"), "fallback:http_error"),
    (Reply(status=404, content="model not found"), "fallback:http_error"),
    (Reply(status=401, content="bad key"), "fallback:http_error"),
    (Reply(raw=b"<html>Bad gateway</html>"), "fallback:malformed_response"),
    (Reply(raw=b'{"choices": []}'), "fallback:malformed_response"),
    (Reply(raw=b'{"choices": [{"message": {"content": null}}]}'), "fallback:malformed_response"),
    (Reply(raw=b'{"object": "error"}'), "fallback:malformed_response"),
    (Reply(delay_s=5.0, content="late"), "fallback:timeout"),
])
@pytest.mark.parametrize("stream", [False, True])
def test_failures_give_the_extractive_answer_with_a_note(small_index, extractive, llm, reply, cause, stream):
    llm.script(reply)
    settings = with_llm(small_index, llm.url, timeout=1.0)
    started = time.perf_counter()
    seen: list[str] = []
    answer = stream_rewrite(extractive, settings, seen.append) if stream else llm_rewrite(extractive, settings)
    assert time.perf_counter() - started < 3.0  # the 1 s deadline holds, whatever the server does
    assert answer.drafted_by == "extractive" and answer.text == extractive.text
    assert answer.citations == extractive.citations and answer.metrics == extractive.metrics
    assert [g.reason for g in answer.guard] == [cause] and answer.guard[0].detail
    assert seen == []


@pytest.mark.parametrize("reply, cause", [
    (Reply("Число участников сократилось до 119 [1]. Семинар идёт [1].", cut=True), "fallback:stream_cut"),
    (Reply("Число участников сократилось до 119 [1].", chunked_cut=True), "fallback:stream_cut"),
    (Reply("Число участников сократилось до 119 [1].", raw_chunk="{not json"), "fallback:malformed_response"),
    (Reply("Число участников сократилось до 119 [1].", raw_chunk='{"choices": "none"}'),
     "fallback:malformed_response"),
    (Reply("Число участников семинара сократилось до 119 [1]. " * 4, piece=20, chunk_delay_s=0.4),
     "fallback:timeout"),
])
def test_broken_streams_give_the_extractive_answer(small_index, extractive, llm, reply, cause):
    llm.script(reply)
    started = time.perf_counter()
    answer = stream_rewrite(extractive, with_llm(small_index, llm.url, timeout=1.0), lambda s: None)
    assert time.perf_counter() - started < 3.0
    assert answer.drafted_by == "extractive" and answer.text == extractive.text
    assert [g.reason for g in answer.guard] == [cause]


def test_a_closed_port_is_reported_as_endpoint_down_at_once(small_index, base, extractive):
    assistant = Assistant(with_llm(small_index, closed_port_url()), searcher=base.searcher)
    answer = assistant.ask(QUESTION)
    assert answer.timings_ms["llm"] < 1000
    assert answer.text == extractive.text and answer.drafted_by == "extractive"
    assert answer.guard[0].reason == "fallback:endpoint_down" and "QOLJETIM_LLM_URL" in answer.guard[0].detail


def test_a_stream_without_its_end_raises_a_named_error(llm):
    llm.script(Reply("Начало ответа", cut=True))
    client = ChatClient(llm.url, "test-model", timeout_s=2.0)
    pieces = []
    with pytest.raises(LLMStreamCutError, match="stopped before its end"):
        for piece in client.stream([{"role": "user", "content": "?"}]):
            pieces.append(piece)
    assert "".join(pieces) == "Начало ответа"


def test_refusals_and_frameworks_are_not_sent_to_the_model(small_index, base, extractive, llm):
    assistant = Assistant(with_llm(small_index, llm.url), searcher=base.searcher)
    refusal = assistant.ask("Who won the 2022 football world cup?")
    assert not refusal.grounded and refusal.drafted_by == "extractive" and refusal.guard == ()
    swot = llm_rewrite(replace(extractive, intent="swot"), with_llm(small_index, llm.url))
    assert swot.drafted_by == "extractive" and swot.guard == ()
    assert llm.requests == []


def test_the_recommendation_list_stays_after_the_draft():
    rec = Recommendation(title="Перераспределить нагрузку", problem="", actions=(), responsible=(), kpis=(),
                         evidence=(2,), metrics=())
    answer = Answer("?", "ru", "recommendation", True, "По документам:\n- A [1]\n\nРекомендации:\n"
                    "- Перераспределить нагрузку [2]", (), (), (rec,))
    assert recommendation_tail(answer) == "\n\nРекомендации:\n- Перераспределить нагрузку [2]"
    assert recommendation_tail(replace(answer, recommendations=())) == ""


def test_the_json_form_carries_drafted_by_and_guard_both_ways(extractive):
    drafted = replace(extractive, drafted_by="llm:qwen2.5", guard=(GuardNote("uncited", "Просто фраза."),
                                                                   GuardNote("fallback:timeout", "", "30 s")))
    data = drafted.as_dict()
    assert data["drafted_by"] == "llm:qwen2.5"
    assert data["guard"] == [{"reason": "uncited", "sentence": "Просто фраза.", "detail": ""},
                             {"reason": "fallback:timeout", "sentence": "", "detail": "30 s"}]
    again = Answer.from_dict(data)
    assert again.drafted_by == drafted.drafted_by and again.guard == drafted.guard
    old = {k: v for k, v in data.items() if k not in ("drafted_by", "guard")}  # stored before this feature
    assert Answer.from_dict(old).drafted_by == "extractive" and Answer.from_dict(old).guard == ()


def run_cli(small_index, url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QOLJETIM_INDEX": str(small_index.index_dir),
           "QOLJETIM_LLM_URL": url, "QOLJETIM_LLM_MODEL": "test-model", "QOLJETIM_LLM_TIMEOUT": "5"}
    return subprocess.run([sys.executable, "-m", "assistant", "ask", QUESTION, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_command_line_prints_the_guarded_draft_and_names_the_model(small_index, extractive, llm):
    llm.script(Reply(good_draft(extractive)), Reply(good_draft(extractive)))
    shown = run_cli(small_index, llm.url)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(good_draft(extractive)) and "Drafted by test-model" in shown.stdout
    data = json.loads(run_cli(small_index, llm.url, "--json").stdout)
    assert data["drafted_by"] == "llm:test-model" and data["answer"] == good_draft(extractive)


def test_the_command_line_with_the_endpoint_down_answers_as_today(small_index, extractive):
    shown = run_cli(small_index, closed_port_url())
    assert shown.returncode == 0 and shown.stdout.startswith(extractive.text)
    assert "LLM draft not used (endpoint_down)" in shown.stderr and "Traceback" not in shown.stderr
