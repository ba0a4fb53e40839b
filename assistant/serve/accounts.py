"""Accounts and roles: reader < editor < admin. API keys are shown once and stored only as a SHA-256 hash
(they are 256-bit random, so a fast hash is safe for lookup); passwords are hashed with Argon2id."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from indexer.errors import QoljetimError

from .db import ROLES
from .db import users as users_t

KEY_PREFIX = "qj_"
NAME_PATTERN = re.compile(r"^[\w.@-]{1,80}$", re.U)
_hasher = PasswordHasher()


class AccountError(QoljetimError):
    """An account command that cannot be done as asked."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool
    has_password: bool

    def can(self, role: str) -> bool:
        """True when this user's role includes `role` (reader < editor < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "role": self.role, "disabled": self.disabled,
                "has_password": self.has_password}


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _user(row) -> User:
    return User(int(row.id), row.name, row.role, bool(row.disabled), bool(row.password_hash))


class Accounts:
    def __init__(self, engine: Engine):
        self.engine = engine

    def any(self) -> bool:
        """True once any account exists: the app then asks for a login, the API for keys."""
        with self.engine.connect() as db:
            return db.execute(sa.select(users_t.c.id).limit(1)).first() is not None

    def add(self, name: str, role: str, password: str | None = None) -> tuple[User, str]:
        """Create an account; returns it with its API key (shown once, never stored)."""
        if not NAME_PATTERN.match(name or ""):
            raise AccountError(f"{name!r} is not a valid account name: use 1–80 letters, digits, . _ - @")
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
        if self.find(name) is not None:
            raise AccountError(f"an account named {name!r} exists already (rotate-key gives it a new key)")
        key = new_key()
        with self.engine.begin() as db:
            db.execute(users_t.insert().values(
                name=name, role=role, api_key_hash=key_hash(key), disabled=False, created=time.time(),
                password_hash=_hasher.hash(password) if password else None))
        return self.find(name), key

    def find(self, name: str) -> User | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(users_t).where(users_t.c.name == name)).first()
        return _user(row) if row else None

    def get(self, user_id: int) -> User | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(users_t).where(users_t.c.id == user_id)).first()
        return _user(row) if row else None

    def list(self) -> list[User]:
        with self.engine.connect() as db:
            return [_user(row) for row in db.execute(sa.select(users_t).order_by(users_t.c.name))]

    def _require(self, name: str) -> User:
        user = self.find(name)
        if user is None:
            raise AccountError(f"no account named {name!r} (see: python -m assistant users list)")
        return user

    def disable(self, name: str) -> User:
        self._require(name)
        with self.engine.begin() as db:
            db.execute(users_t.update().where(users_t.c.name == name).values(disabled=True, api_key_hash=None))
        return self.find(name)

    def rotate_key(self, name: str) -> str:
        """A new key for the account; the old one stops working at once. Re-enables a disabled account."""
        self._require(name)
        key = new_key()
        with self.engine.begin() as db:
            db.execute(users_t.update().where(users_t.c.name == name).values(api_key_hash=key_hash(key),
                                                                             disabled=False))
        return key

    def set_password(self, name: str, password: str) -> None:
        if len(password or "") < 8:
            raise AccountError("the password is too short: use at least 8 characters")
        self._require(name)
        with self.engine.begin() as db:
            db.execute(users_t.update().where(users_t.c.name == name).values(password_hash=_hasher.hash(password)))

    def by_key(self, key: str) -> User | None:
        """The enabled account this API key belongs to, or None."""
        if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        digest = key_hash(key)
        with self.engine.connect() as db:
            row = db.execute(sa.select(users_t).where(users_t.c.api_key_hash == digest)).first()
        if row is None or row.disabled or not hmac.compare_digest(row.api_key_hash, digest):
            return None
        return _user(row)

    def login(self, name: str, password: str) -> User | None:
        """The enabled account whose password matches, or None (the same answer for any failure)."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(users_t).where(users_t.c.name == name)).first()
        if row is None or row.disabled or not row.password_hash:
            _hasher.hash("x" * 12)  # spend the same time whether or not the account exists
            return None
        try:
            _hasher.verify(row.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            return None
        return _user(row)
