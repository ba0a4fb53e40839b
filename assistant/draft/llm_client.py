"""A minimal client for an OpenAI-compatible chat API (vLLM, Ollama, llama.cpp server, LM Studio, …).

POST {base_url}/chat/completions, plain or streamed (server-sent events: `data: {...}` lines, then
`data: [DONE]`). Standard library only (http.client): nothing to install, and nothing is sent anywhere unless
a base URL is configured. One deadline (`timeout_s`) covers connecting, waiting and reading the whole reply.
Every failure is one of the named errors below; callers fall back to the extractive answer.
"""
from __future__ import annotations

import http.client
import json
import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from indexer.errors import QoljetimError

log = logging.getLogger(__name__)
MAX_TOKENS = 700
MAX_BODY_BYTES = 2_000_000


class LLMError(QoljetimError):
    """The language model gave no usable draft; `cause` names the kind of failure for the audit trail."""
    cause = "error"


class LLMUnavailableError(LLMError):
    cause = "endpoint_down"


class LLMTimeoutError(LLMError):
    cause = "timeout"


class LLMHTTPError(LLMError):
    cause = "http_error"

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class LLMMalformedError(LLMError):
    cause = "malformed_response"


class LLMStreamCutError(LLMError):
    cause = "stream_cut"


@dataclass(frozen=True)
class ChatClient:
    base_url: str
    model: str
    key: str = field(default="", repr=False)  # never printed
    timeout_s: float = 30.0

    @classmethod
    def from_settings(cls, settings) -> "ChatClient":
        return cls(settings.llm_url, settings.llm_model, settings.llm_key, settings.llm_timeout_s)

    def complete(self, messages: list[dict]) -> str:
        """The whole reply text of one chat completion."""
        deadline = time.monotonic() + self.timeout_s
        connection, response, sock = self._post(messages, stream=False, deadline=deadline)
        try:
            body = self._read_all(response, sock, deadline)
        finally:
            connection.close()
        return self._content(body)

    def _content(self, body: bytes) -> str:
        try:
            content = json.loads(body)["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMMalformedError(f"The language model at {self.base_url} answered with something that is not "
                                    f"an OpenAI chat completion ({exc!r}). Check that QOLJETIM_LLM_URL ends in "
                                    "/v1 of an OpenAI-compatible server.") from exc
        if not isinstance(content, str):
            raise LLMMalformedError(f"The language model at {self.base_url} returned no text content.")
        return content

    def stream(self, messages: list[dict]) -> Iterator[str]:
        """Pieces of the reply text as the server sends them; raises LLMStreamCutError if the stream stops
        before `data: [DONE]` or a finish_reason. A server that answers a plain completion instead is accepted."""
        deadline = time.monotonic() + self.timeout_s
        connection, response, sock = self._post(messages, stream=True, deadline=deadline)
        if "event-stream" not in (response.getheader("Content-Type") or ""):
            try:  # a server that ignores "stream": the whole completion at once
                body = self._read_all(response, sock, deadline)
            finally:
                connection.close()
            yield self._content(body)
            return
        finished = False
        try:
            while True:
                line = self._read_line(response, sock, deadline)
                if line is None:
                    break
                data = _sse_data(line)
                if data is None:
                    continue
                if data == "[DONE]":
                    finished = True
                    break
                piece, finish_reason = self._delta(data)
                if piece:
                    yield piece
                if finish_reason:  # the text is complete; do not wait on a server that keeps the line open
                    finished = True
                    break
        finally:
            connection.close()
        if not finished:
            raise LLMStreamCutError(f"The stream from the language model at {self.base_url} stopped before its "
                                    "end. Check the server's log (out of memory, restarted, proxy timeout).")

    def _post(self, messages: list[dict], stream: bool, deadline: float):
        parts = urlsplit(self.base_url.rstrip("/"))
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname or "", parts.port, timeout=_remaining(deadline, self))
        body = json.dumps({"model": self.model, "messages": messages, "stream": stream, "temperature": 0,
                           "max_tokens": MAX_TOKENS}, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream" if stream else
                   "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        try:
            connection.request("POST", f"{parts.path}/chat/completions", body=body, headers=headers)
            sock = connection.sock  # kept: http.client drops its own reference once the reply will close
            response = connection.getresponse()
        except (socket.timeout, TimeoutError) as exc:
            connection.close()
            raise self._timeout() from exc
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise LLMUnavailableError(f"No answer from the language model at {self.base_url} ({exc}). Start the "
                                      "server (vLLM: `vllm serve MODEL`, Ollama: `ollama serve`) or unset "
                                      "QOLJETIM_LLM_URL to use extractive answers only.") from exc
        if response.status >= 400:
            detail = response.read(500).decode("utf-8", "replace")
            connection.close()
            raise LLMHTTPError(f"The language model at {self.base_url} answered HTTP {response.status}: "
                               f"{detail[:200]!r}. Check QOLJETIM_LLM_MODEL (the served model's name) and "
                               "QOLJETIM_LLM_KEY.", response.status)
        return connection, response, sock

    def _read_all(self, response, sock, deadline: float) -> bytes:
        chunks, size = [], 0
        while True:
            chunk = self._guarded(lambda: response.read1(65536), sock, deadline)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise LLMMalformedError(f"The reply from {self.base_url} exceeds {MAX_BODY_BYTES} bytes.")

    def _read_line(self, response, sock, deadline: float) -> str | None:
        line = self._guarded(lambda: response.readline(65536), sock, deadline)
        if not line:
            return None
        return line.decode("utf-8", "replace").rstrip("\r\n")

    def _guarded(self, read, sock, deadline: float):
        """One read under the overall deadline; socket errors become the named LLM errors."""
        sock.settimeout(_remaining(deadline, self))
        try:
            return read()
        except (socket.timeout, TimeoutError) as exc:
            raise self._timeout() from exc
        except (OSError, http.client.HTTPException) as exc:
            raise LLMStreamCutError(f"The connection to the language model at {self.base_url} broke while "
                                    f"reading its reply ({exc!r}).") from exc

    def _delta(self, data: str) -> tuple[str, str | None]:
        try:
            choice = json.loads(data)["choices"][0]
            piece = (choice.get("delta") or {}).get("content") or ""
            if not isinstance(piece, str):
                raise TypeError("content is not text")
            return piece, choice.get("finish_reason")
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise LLMMalformedError(f"The language model at {self.base_url} streamed a chunk that is not an "
                                    f"OpenAI chat completion chunk: {data[:120]!r}.") from exc

    def _timeout(self) -> LLMTimeoutError:
        return LLMTimeoutError(f"The language model at {self.base_url} did not finish within {self.timeout_s:g} s. "
                               "Raise QOLJETIM_LLM_TIMEOUT or use a smaller model.")


def _remaining(deadline: float, client: ChatClient) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise client._timeout()
    return left


def _sse_data(line: str) -> str | None:
    """The payload of an SSE `data:` line; None for blank lines, comments and other fields."""
    if not line.startswith("data:"):
        return None
    return line[5:].strip()
