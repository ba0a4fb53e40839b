"""One passage-store interface, two implementations: the embedded store (FAISS + bm25s) and PostgreSQL with
pgvector (HNSW + sparsevec BM25). The same retrieval and answer checks run on both; PostgreSQL's BM25 scores
must equal bm25s's."""
from __future__ import annotations

import pytest

from assistant.retrieve.retrieval import Searcher
from assistant.service import Assistant
from indexer.errors import IndexMissingError, ModelMismatchError
from indexer.passage_store import PassageStore
from indexer.pgstore import PgPassageStore, publish
from indexer.store import IndexStore

QUERIES = ["Сколько жалоб поступило?", "шағымдар саны", "complaints about public services",
           "land relations workload", "доля бумажных услуг", "nothing like this at all xyzzy"]


@pytest.fixture(scope="module")
def published(small_index, postgres):
    url = postgres.new_database()
    assert publish(IndexStore.load(small_index.index_dir), url) == len(IndexStore.load(small_index.index_dir))
    return url


@pytest.fixture(params=["embedded", "postgresql"])
def store(request, small_index):
    if request.param == "embedded":
        return IndexStore.load(small_index.index_dir)
    return PgPassageStore.load(request.getfixturevalue("published"))


def test_both_stores_have_the_interface(store):
    assert isinstance(store, PassageStore) and len(store) == len(store.chunks) == len(store.vectors) > 0


@pytest.mark.parametrize("query", QUERIES)
def test_bm25_scores_match_the_embedded_store(store, small_index, query):
    embedded = IndexStore.load(small_index.index_dir)
    expected = {h.position: h.score for h in embedded.search_bm25(query, 10)}
    got = {h.position: h.score for h in store.search_bm25(query, 10)}
    assert got.keys() == expected.keys()
    for position, score in expected.items():
        assert got[position] == pytest.approx(score, rel=1e-4)


@pytest.mark.parametrize("query", QUERIES)
def test_hybrid_search_ranks_alike(store, small_index, query):
    embedded = Searcher(small_index)
    searcher = Searcher(small_index, store=store, embedder=embedded.embedder)
    assert [h.chunk.chunk_id for h in searcher.search(query, k=3)] == \
           [h.chunk.chunk_id for h in embedded.search(query, k=3)]
    dense = store.search_dense(embedded.embedder.embed_query(query), 3)
    assert [h.position for h in dense] == [h.position for h in embedded.store.search_dense(
        embedded.embedder.embed_query(query), 3)]


def test_answers_are_the_same_on_both_stores(store, small_index):
    reference = Assistant(small_index)
    assistant = Assistant(small_index, Searcher(small_index, store=store, embedder=reference.searcher.embedder))
    for question in ("Сколько жалоб поступило в 2024 году?", "What is the weather on Mars?"):
        got, expected = assistant.ask(question).as_dict(), reference.ask(question).as_dict()
        for key in ("grounded", "answer", "citations"):
            assert got[key] == expected[key], key


def test_postgres_store_checks_embedder_and_absence(published, postgres):
    store = PgPassageStore.load(published)
    with pytest.raises(ModelMismatchError):
        store.check_embedder("sentence-transformers:other-model")
    with pytest.raises(IndexMissingError):
        PgPassageStore.load(postgres.new_database())


def test_the_api_serves_from_postgresql_after_the_worker_publishes(small_index, postgres, tmp_path):
    from fastapi.testclient import TestClient

    from assistant.serve.accounts import Accounts
    from assistant.serve.api import create_app
    from assistant.serve.db import open_database
    from assistant.serve.worker import run_worker
    from tests.serve.conftest import bearer

    settings = small_index.with_overrides(database_url=postgres.new_database(), library_dir=tmp_path / "library")
    key = Accounts(open_database(settings.database_url)).add("rita", "reader")[1]
    assert run_worker(settings, once=True) == 0  # nothing queued, but the live index is published at start
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").json()["ready"] is True
        assert isinstance(client.app.state.ctx.live.get().searcher.store, PgPassageStore)
        answer = client.post("/v1/ask", json={"question": "Сколько жалоб поступило в 2024 году?"},
                             headers=bearer(key)).json()
    expected = Assistant(small_index).ask("Сколько жалоб поступило в 2024 году?").as_dict()
    assert answer["grounded"] is True and answer["citations"] == expected["citations"]


@pytest.mark.parametrize("query", ["жалоб", "complaints about public services", "шағымдар саны", "o'clock \\\\ 'x' | !"])
def test_tsvector_lexical_search_finds_the_bm25_candidates(published, small_index, query):
    """The measured alternative (ts_rank_cd over our own tokens): the same candidate set as BM25, other order;
    quotes, backslashes and tsquery operators in a query are plain text."""
    store = PgPassageStore.load(published, lexical="tsvector")
    embedded = IndexStore.load(small_index.index_dir)
    assert {h.position for h in store.search_bm25(query, 10)} == {h.position for h in embedded.search_bm25(query, 10)}
