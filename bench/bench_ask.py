"""`ask` latency with the model loaded, split into analysis / embedding / search / metrics / drafting.

Run: .venv/bin/python bench/bench_ask.py [--rounds N]   (needs a built index: `make index`)
Uses the questions of tests/eval/questions.yaml; prints a table and appends it to bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.serve.evaluation import load_questions  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from bench.bench_index import commit, percentile  # noqa: E402
from indexer.settings import load_settings  # noqa: E402

STAGES = ("analysis", "embedding", "search", "metrics", "drafting", "total")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    questions = [q.question for q in load_questions(ROOT / "tests" / "eval" / "questions.yaml")]
    started = time.perf_counter()
    assistant = Assistant(load_settings())
    assistant.ask(questions[0])
    cold_s = time.perf_counter() - started
    timings = {stage: [] for stage in STAGES}
    for _ in range(args.rounds):
        for question in questions:
            answer = assistant.ask(question)
            for stage in STAGES:
                timings[stage].append(answer.timings_ms[stage])
    header = (f"\n## ask latency — {time.strftime('%Y-%m-%d %H:%M')} · commit {commit()} · {platform.machine()} · "
              f"{len(questions)} questions × {args.rounds} rounds · first answer {cold_s:.1f} s after start\n\n"
              "| stage | p50 ms | p95 ms |\n|---|---|---|\n")
    rows = "".join(f"| {stage} | {statistics.median(v):.1f} | {percentile(v, 0.95):.1f} |\n"
                   for stage, v in timings.items())
    print(header + rows)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write(header + rows)


if __name__ == "__main__":
    main()
