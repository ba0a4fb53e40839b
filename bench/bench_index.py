"""Index benchmark: build throughput vs the raw embedder, no-change rebuild time, search latency p50/p95.

Run: .venv/bin/python bench/bench_index.py [--corpus DIR ...]   (or `make bench`)
Prints a table and appends it to bench/RESULTS.md with the date, machine and commit.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.retrieve.retrieval import Searcher  # noqa: E402
from indexer.build import build_index  # noqa: E402
from indexer.embedding import embed_in_batches, make_embedder  # noqa: E402
from indexer.settings import load_settings  # noqa: E402
from indexer.store import IndexStore  # noqa: E402

QUERIES = [
    "Какая нагрузка в управлении земельных отношений Уральска?", "Сколько жалоб поступило в 2024 году?",
    "Жаңақала ауданындағы жүктеме коэффициенті қандай?", "How did the share of paper services change?",
    "Что такое проактивные услуги?", "People First seminar participants", "Эстония обмен данными",
    "нарушения в здравоохранении", "SWOT анализ ЗКО", "Мемлекеттік қызметтер тізілімі",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(index_dir=Path(tmp) / "index", corpus_dirs=args.corpus)
        embedder = make_embedder(settings)
        started = time.perf_counter()
        report = build_index(settings, full=True)
        build_s = time.perf_counter() - started
        store = IndexStore.load(settings.index_dir)
        texts = [c.embedding_text() for c in store.chunks]
        started = time.perf_counter()
        embed_in_batches(embedder, texts, settings.batch_size)
        raw_s = time.perf_counter() - started
        docs = report.count("indexed") + report.count("skipped")
        started = time.perf_counter()
        again = build_index(settings)
        nochange_s = time.perf_counter() - started
        assert not again.written
        searcher = Searcher(settings, store=store, embedder=embedder)
        searcher.search(QUERIES[0])
        latencies = []
        for _ in range(5):
            for query in QUERIES:
                t0 = time.perf_counter()
                searcher.search(query, k=5)
                latencies.append((time.perf_counter() - t0) * 1000)
    rows = [
        ("documents / chunks", f"{docs} / {len(texts)}"),
        ("build throughput (full build)", f"{len(texts) / build_s:.2f} chunks/s ({build_s:.1f} s)"),
        ("raw embedder on the same chunks", f"{len(texts) / raw_s:.2f} chunks/s ({raw_s:.1f} s)"),
        ("pipeline overhead", f"{(build_s - raw_s) / raw_s * 100:.1f} %"),
        ("no-change rebuild", f"{nochange_s:.3f} s ({nochange_s / max(docs, 1) * 100:.3f} s per 100 documents)"),
        ("search latency p50 / p95 (k=5, model loaded)",
         f"{statistics.median(latencies):.1f} / {percentile(latencies, 0.95):.1f} ms"),
    ]
    header = (f"\n## Index benchmark — {time.strftime('%Y-%m-%d %H:%M')} · commit {commit()} · "
              f"{platform.machine()} {platform.processor() or ''} · {settings.threads} threads · "
              f"{settings.embedder_backend}\n\n| measure | value |\n|---|---|\n")
    table = header + "".join(f"| {k} | {v} |\n" for k, v in rows)
    print(table)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write(table)


if __name__ == "__main__":
    main()
