from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures import write_corpus

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_build_and_status_cli(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    index = tmp_path / "index"
    built = run("indexer", "build", "--corpus", str(corpus), "--index", str(index))
    assert built.returncode == 0, built.stderr
    assert "indexed   findings/land-workload.en.md: 1 chunks" in built.stdout
    assert "skipped   broken.pdf:" in built.stdout
    assert "5 indexed, 0 unchanged, 1 skipped" in built.stdout
    status = run("indexer", "status", "--index", str(index), "--json")
    assert status.returncode == 0
    data = json.loads(status.stdout)
    assert data["ready"] and data["manifest"]["chunk_count"] == 5
    again = run("indexer", "build", "--corpus", str(corpus), "--index", str(index))
    assert "already up to date" in again.stdout


def test_missing_index_is_a_plain_message(tmp_path):
    result = run("assistant", "search", "жалобы", "--index", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "No index found" in result.stderr and "Traceback" not in result.stderr
