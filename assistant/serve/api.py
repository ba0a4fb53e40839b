"""The HTTP API (FastAPI): the CLI's JSON contract over HTTP, with accounts, roles, per-user conversations,
audit and indexing jobs. `make api` serves it with uvicorn on 127.0.0.1:8000; OpenAPI at /docs."""
from __future__ import annotations

import threading
import time
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import Depends, FastAPI, File, HTTPException, Query, Response, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

from indexer.errors import IndexCorruptError, IndexMissingError, ModelMismatchError, QoljetimError
from indexer.settings import Settings, load_settings
from indexer.status import index_status

from .accounts import AccountError, Accounts, User
from .audit import AuditLog
from .conversations import ConversationStore, NotFound
from .db import open_database
from .jobs import JobQueue
from .library import UploadError, remove_document, save_upload, waiting_files
from .live import LiveAssistant
from .security import RateLimiter, auth_middleware, require

reader, editor, admin = require("reader"), require("editor"), require("admin")


class AskRequest(BaseModel):
    question: str = Field(max_length=20_000)
    lang: Literal["ru", "kk", "en"] | None = None
    k: int = Field(5, ge=1, le=20)
    doc_types: list[str] | None = None
    conversation_id: int | None = Field(None, description="continue one of your conversations")


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(5, ge=1, le=50)


class FeedbackRequest(BaseModel):
    message_id: int
    rating: Literal[-1, 1]
    comment: str = Field("", max_length=2000)


class NewUser(BaseModel):
    name: str
    role: Literal["reader", "editor", "admin"]


class Context:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = open_database(settings.database_url)
        self.accounts = Accounts(self.engine)
        self.audit = AuditLog(self.engine, settings.audit_retention_days)
        self.jobs = JobQueue(self.engine)
        self.live = LiveAssistant(settings)

    def store(self, user: User) -> ConversationStore:
        return ConversationStore(self.engine, user.id)


def create_app(settings: Settings | None = None) -> FastAPI:
    ctx = Context(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_app):
        threading.Thread(target=ctx.live.ready, daemon=True).start()  # load the index in the background
        ctx.audit.purge_expired()
        yield

    app = FastAPI(title="Qoljetim API", version="1", lifespan=lifespan,
                  description="Cited answers on the accessibility of public services in Kazakhstan (ru/kk/en).")
    app.middleware("http")(auth_middleware(ctx.accounts, RateLimiter(ctx.settings.rate_limit_per_minute),
                                           int(ctx.settings.max_file_mb * 1e6)))
    app.state.ctx = ctx

    @app.exception_handler(NotFound)
    async def not_found(_request, exc):
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(QoljetimError)
    async def refused(_request, exc):
        unavailable = isinstance(exc, (IndexMissingError, IndexCorruptError, ModelMismatchError))
        return JSONResponse({"detail": str(exc)}, status_code=503 if unavailable else 422)

    _health_routes(app, ctx)
    _answer_routes(app, ctx)
    _document_routes(app, ctx)
    _admin_routes(app, ctx)
    return app


def _health_routes(app: FastAPI, ctx: Context) -> None:
    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz(response: Response) -> dict:
        ready, detail = ctx.live.ready()
        response.status_code = 200 if ready else 503
        return {"ready": ready, "detail": detail}


def _answer_routes(app: FastAPI, ctx: Context) -> None:
    @app.post("/v1/ask", tags=["answers"], summary="a cited answer: the same JSON as `ask --json`")
    def ask(body: AskRequest, response: Response, user: User = Depends(reader)) -> dict:
        started = time.perf_counter()
        store = ctx.store(user)
        if body.conversation_id is not None and not store.owns(body.conversation_id):
            raise NotFound(f"conversation {body.conversation_id} not found")
        assistant = ctx.live.get()
        began = time.perf_counter()
        with ctx.live.ask_lock:
            answer = assistant.ask(body.question, body.lang, k=body.k, doc_types=set(body.doc_types or ()))
        data = answer.as_dict()
        asked = time.perf_counter()
        ctx.audit.record_ask(user.name, data)
        conversation_id = body.conversation_id or store.new_conversation(answer.question)
        store.add_message(conversation_id, "user", answer.question)
        message_id = store.add_message(conversation_id, "assistant", answer.text, data)
        response.headers["X-Conversation-Id"] = str(conversation_id)
        response.headers["X-Message-Id"] = str(message_id)
        response.headers["Server-Timing"] = (f"wait;dur={(began - started) * 1000:.1f}, "
                                             f"engine;dur={(asked - began) * 1000:.1f}, "
                                             f"db;dur={(time.perf_counter() - asked) * 1000:.1f}")
        return data

    @app.post("/v1/search", tags=["answers"], summary="hybrid hits: the same JSON as `search --json`")
    def search(body: SearchRequest, _user: User = Depends(reader)) -> dict:
        from assistant.understand.query import analyse

        searcher = ctx.live.get().searcher
        analysis = analyse(body.query, ctx.settings.data_dir)
        with ctx.live.ask_lock:
            hits = searcher.search(body.query, k=body.k, analysis=analysis)
        return {"query": body.query, "hits": [h.as_dict() for h in hits]}

    @app.get("/v1/conversations", tags=["conversations"])
    def conversations(limit: int = Query(50, ge=1, le=500), user: User = Depends(reader)) -> dict:
        return {"conversations": [{"id": i, "title": t} for i, t in ctx.store(user).conversations(limit)]}

    @app.get("/v1/conversations/{conversation_id}", tags=["conversations"])
    def conversation(conversation_id: int, user: User = Depends(reader)) -> dict:
        store = ctx.store(user)
        title = store.title(conversation_id)
        return {"id": conversation_id, "title": title,
                "messages": [{"id": m.id, "role": m.role, "content": m.content, "payload": m.payload}
                             for m in store.messages(conversation_id)]}

    @app.post("/v1/feedback", tags=["conversations"], status_code=201)
    def feedback(body: FeedbackRequest, user: User = Depends(reader)) -> dict:
        store = ctx.store(user)
        message, question = store.find_message(body.message_id)
        ids = [c.get("doc_id", "") for c in (message.payload or {}).get("citations", [])]
        return {"id": store.add_feedback(message.id, body.rating, body.comment, question, message.content, ids)}


def _document_routes(app: FastAPI, ctx: Context) -> None:
    @app.get("/v1/documents", tags=["documents"])
    def documents(_user: User = Depends(editor)) -> dict:
        status = index_status(ctx.settings.index_dir)
        indexed = [d for d in status["documents"] if d["status"] != "skipped"]
        return {"documents": indexed, "skipped": status["skipped"], "waiting": waiting_files(ctx.settings),
                "jobs": [j.as_dict() for j in ctx.jobs.active()]}

    @app.post("/v1/documents", tags=["documents"], status_code=202,
              summary="upload a file (multipart field `file`); it is queued for indexing")
    def upload(file: UploadFile = File(...), user: User = Depends(editor)) -> dict:
        limit = int(ctx.settings.max_file_mb * 1e6)
        data = file.file.read(limit + 1)
        try:
            path = save_upload(ctx.settings.library_dir, file.filename or "", data, limit)
        except UploadError as exc:
            raise HTTPException(413 if len(data) > limit else 400, str(exc)) from exc
        job_id = ctx.jobs.enqueue(user.name)
        ctx.audit.record(user.name, "upload", path.name)
        return {"file": path.name, "status": "queued", "job_id": job_id}

    @app.delete("/v1/documents/{name}", tags=["documents"], status_code=202)
    def delete(name: str, user: User = Depends(editor)) -> dict:
        try:
            remove_document(ctx.settings.library_dir, name)
        except UploadError as exc:
            raise HTTPException(404, str(exc)) from exc
        job_id = ctx.jobs.enqueue(user.name)
        ctx.audit.record(user.name, "delete", name)
        return {"file": name, "status": "queued", "job_id": job_id}

    @app.post("/v1/reindex", tags=["documents"], status_code=202)
    def reindex(full: bool = False, user: User = Depends(editor)) -> dict:
        job_id = ctx.jobs.enqueue(user.name, "full" if full else "build")
        ctx.audit.record(user.name, "reindex", f"job {job_id}")
        return {"job_id": job_id, "status": "queued"}

    @app.get("/v1/jobs/{job_id}", tags=["documents"])
    def job(job_id: int, _user: User = Depends(editor)) -> dict:
        found = ctx.jobs.get(job_id)
        if found is None:
            raise NotFound(f"job {job_id} not found")
        return found.as_dict()


def _admin_routes(app: FastAPI, ctx: Context) -> None:
    @app.get("/v1/audit", tags=["admin"], summary="the audit log, newest first, as JSON or CSV")
    def audit(format: Literal["json", "csv"] = "json", since: float | None = None,
              limit: int = Query(1000, ge=1, le=100_000), _user: User = Depends(admin)):
        if format == "csv":
            return PlainTextResponse(ctx.audit.csv(since, limit), media_type="text/csv; charset=utf-8",
                                     headers={"Content-Disposition": "attachment; filename=qoljetim-audit.csv"})
        return {"rows": ctx.audit.rows(since, limit)}

    @app.get("/v1/users", tags=["admin"])
    def users(_user: User = Depends(admin)) -> dict:
        return {"users": [u.as_dict() for u in ctx.accounts.list()]}

    @app.post("/v1/users", tags=["admin"], status_code=201, summary="create an account; the key is shown once")
    def add_user(body: NewUser, user: User = Depends(admin)) -> dict:
        try:
            created, key = ctx.accounts.add(body.name, body.role)
        except AccountError as exc:
            raise HTTPException(409, str(exc)) from exc
        ctx.audit.record(user.name, "user_add", f"{created.name} ({created.role})")
        return {"user": created.as_dict(), "api_key": key}

    @app.post("/v1/users/{name}/disable", tags=["admin"])
    def disable(name: str, user: User = Depends(admin)) -> dict:
        try:
            disabled = ctx.accounts.disable(name)
        except AccountError as exc:
            raise HTTPException(404, str(exc)) from exc
        ctx.audit.record(user.name, "user_disable", name)
        return {"user": disabled.as_dict()}

    @app.post("/v1/users/{name}/rotate-key", tags=["admin"])
    def rotate(name: str, user: User = Depends(admin)) -> dict:
        try:
            key = ctx.accounts.rotate_key(name)
        except AccountError as exc:
            raise HTTPException(404, str(exc)) from exc
        ctx.audit.record(user.name, "user_rotate_key", name)
        return {"name": name, "api_key": key}


