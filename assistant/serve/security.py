"""API authentication and limits: bearer keys checked in a middleware (before any body is read), roles as
route dependencies, a per-key sliding-window rate limit, and an upload size cap from Content-Length.
Keys and passwords are never logged: a failure logs the path and the client address only."""
from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .accounts import Accounts, User, key_hash

log = logging.getLogger(__name__)
bearer = HTTPBearer(auto_error=False, description="An API key from `python -m assistant users add`")
UPLOAD_OVERHEAD = 64 * 1024  # multipart headers and boundaries around the file


class RateLimiter:
    """At most `per_minute` requests per key in any 60 s window (per process: each API worker counts alone)."""

    def __init__(self, per_minute: int, window: float = 60.0):
        self.per_minute, self.window = per_minute, window
        self.hits: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def retry_after(self, key: str, now: float | None = None) -> float:
        """0 when the request may go ahead (and is counted), else seconds to wait."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self.lock:
            hits = self.hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(hits[0] + self.window - now, 0.001)
            hits.append(now)
            return 0.0


def _error(status: int, detail: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def auth_middleware(accounts: Accounts, limiter: RateLimiter, max_upload_bytes: int):
    async def middleware(request: Request, call_next):
        if not request.url.path.startswith("/v1/"):
            return await call_next(request)
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        user = accounts.by_key(key.strip()) if scheme.lower() == "bearer" else None
        client = request.client.host if request.client else "?"
        if user is None:
            log.info("401 %s %s from %s", request.method, request.url.path, client)
            return _error(401, "missing, wrong or disabled API key: send 'Authorization: Bearer <key>'",
                          {"WWW-Authenticate": "Bearer"})
        wait = limiter.retry_after(key_hash(key.strip()))
        if wait:
            log.info("429 for account %s on %s", user.name, request.url.path)
            return _error(429, f"rate limit of {limiter.per_minute} requests per minute reached; retry later",
                          {"Retry-After": str(int(wait) + 1)})
        if request.method == "POST" and request.url.path == "/v1/documents":
            length = request.headers.get("content-length")
            if length is None or not length.isdigit() or int(length) > max_upload_bytes + UPLOAD_OVERHEAD:
                return _error(413, f"the upload is larger than the {max_upload_bytes / 1e6:.0f} MB limit "
                                   "(QOLJETIM_MAX_FILE_MB) or has no Content-Length")
        request.state.user = user
        return await call_next(request)

    return middleware


def require(role: str):
    """A route dependency: the authenticated user, or 403 when their role is below `role`."""

    def dependency(request: Request, _credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> User:
        user: User | None = getattr(request.state, "user", None)
        if user is None:
            raise HTTPException(401, "missing, wrong or disabled API key", {"WWW-Authenticate": "Bearer"})
        if not user.can(role):
            raise HTTPException(403, f"this needs the {role} role; account {user.name} is {user.role}")
        return user

    return dependency
