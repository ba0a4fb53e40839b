"""A scripted OpenAI-compatible chat server for the tests: real HTTP on 127.0.0.1 (a free port), serving
POST /v1/chat/completions plainly or as server-sent events, one scripted reply per request, every request kept."""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    content: str = ""  # the draft (plain) or, cut into `piece` characters, the streamed deltas
    status: int = 200
    delay_s: float = 0.0  # before the headers
    piece: int = 7  # characters per streamed chunk
    chunk_delay_s: float = 0.0
    raw: bytes | None = None  # a plain body sent as is (malformed replies)
    raw_chunk: str | None = None  # a streamed `data:` payload sent after the first chunk (a malformed chunk)
    cut: bool = False  # the stream stops before `data: [DONE]` (connection closed)
    chunked_cut: bool = False  # HTTP/1.1 chunked body that breaks inside a chunk


class ScriptedLLM:
    def __init__(self):
        self.replies: list[Reply] = []
        self.requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def script(self, *replies: Reply) -> "ScriptedLLM":
        self.replies.extend(replies)
        return self

    def start(self) -> "ScriptedLLM":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def closed_port_url() -> str:
    """The URL of a port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def _handler(llm: ScriptedLLM):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            request = {"path": self.path, "headers": dict(self.headers), "json": json.loads(body or b"{}")}
            llm.requests.append(request)
            reply = llm.replies.pop(0) if llm.replies else Reply(status=500, content="no scripted reply")
            time.sleep(reply.delay_s)
            try:
                self._answer(reply, request["json"].get("stream", False))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): expected in those tests

        def _answer(self, reply: Reply, stream: bool):
            if reply.status >= 400:
                return self._send(reply.status, json.dumps({"error": {"message": reply.content}}).encode())
            if reply.raw is not None:
                return self._send(200, reply.raw)
            if reply.chunked_cut:
                return self._chunked_cut(reply)
            if not stream:
                message = {"choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                                        "finish_reason": "stop"}]}
                return self._send(200, json.dumps(message, ensure_ascii=False).encode())
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            pieces = [reply.content[i:i + reply.piece] for i in range(0, len(reply.content), reply.piece)]
            for n, piece in enumerate(pieces):
                self._event(json.dumps({"choices": [{"index": 0, "delta": {"content": piece},
                                                     "finish_reason": None}]}, ensure_ascii=False))
                if n == 0 and reply.raw_chunk is not None:
                    self._event(reply.raw_chunk)
                time.sleep(reply.chunk_delay_s)
            if not reply.cut:
                self._event(json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
                self._event("[DONE]")

        def _event(self, data: str):
            self.wfile.write(f"data: {data}\n\n".encode("utf-8"))
            self.wfile.flush()

        def _send(self, status: int, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _chunked_cut(self, reply: Reply):
            self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            event = f"data: {json.dumps({'choices': [{'delta': {'content': reply.content}}]})}\n\n".encode()
            self.wfile.write(b"%x\r\n" % (len(event) + 50) + event)  # promises 50 bytes it never sends
            self.wfile.flush()
            self.close_connection = True

    return Handler
