"""python -m assistant search "QUERY" [--index DIR] [--k N] [--json]"""
from __future__ import annotations

import argparse
import json
import logging
import sys

from indexer.errors import QoljetimError
from indexer.settings import load_settings

from .retrieval import Searcher


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Ask and search the Qoljetim index.")
    sub = parser.add_subparsers(dest="command", required=True)
    search = sub.add_parser("search", help="hybrid search (dense + BM25, reciprocal rank fusion)")
    search.add_argument("query")
    search.add_argument("--index", metavar="DIR")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(index_dir=args.index)
        if args.command == "search":
            return _search(settings, args)
    except QoljetimError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 1


def _search(settings, args) -> int:
    hits = Searcher(settings).search(args.query, k=max(1, args.k))
    if args.json:
        print(json.dumps({"query": args.query, "hits": [h.as_dict() for h in hits]}, ensure_ascii=False, indent=1))
        return 0
    for n, hit in enumerate(hits, start=1):
        c = hit.chunk
        where = ", ".join(p for p in (f"p. {c.page}" if c.page else "", c.section, f"row {c.row}" if c.row else "") if p)
        print(f"[{n}] {c.title} ({c.source}{'; ' + where if where else ''}) score {hit.score:.4f}")
        print("    " + c.text[:300].replace("\n", " ") + ("…" if len(c.text) > 300 else ""))
    if not hits:
        print("no passages found")
    return 0
