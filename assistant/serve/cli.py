"""python -m assistant search | ask — a stable command-line contract (see README)."""
from __future__ import annotations

import argparse
import json
import logging
import sys

from indexer.errors import QoljetimError
from indexer.settings import load_settings

from assistant.understand.query import analyse
from assistant.retrieve.retrieval import Searcher
from assistant.serve.commands import add_parsers as add_serve_parsers


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Ask and search the Qoljetim index.")
    sub = parser.add_subparsers(dest="command", required=True)
    search = sub.add_parser("search", help="hybrid search (dense + BM25, reciprocal rank fusion)")
    search.add_argument("query")
    search.add_argument("--index", metavar="DIR")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    ask = sub.add_parser("ask", help="a cited answer with live figures")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--batch", metavar="FILE", help="one question per line; one JSON object per line out")
    ask.add_argument("--index", metavar="DIR")
    ask.add_argument("--lang", choices=("ru", "kk", "en"))
    ask.add_argument("--json", action="store_true")
    export = sub.add_parser("export", help="an answer with its recommendations as DOCX or Markdown")
    export.add_argument("question")
    export.add_argument("--format", choices=("docx", "md"), default="docx")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.add_argument("--index", metavar="DIR")
    export.add_argument("--lang", choices=("ru", "kk", "en"))
    evaluation = sub.add_parser("eval", help="score retrieval and answers on the stored question sets")
    evaluation.add_argument("--questions", metavar="FILE", nargs="*", default=[],
                            help="question files (default: tests/eval/questions.yaml and the frozen unseen sets)")
    evaluation.add_argument("--index", metavar="DIR")
    evaluation.add_argument("--verbose", action="store_true", help="list every failure")
    add_serve_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "worker":  # the worker says what it does; libraries stay quiet
        logging.getLogger("assistant").setLevel(logging.INFO)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(index_dir=getattr(args, "index", None))
        if args.command in ("users", "worker"):
            from assistant.serve.commands import run as run_serve_command

            return run_serve_command(settings, args)
        if args.command == "search":
            return _search(settings, args)
        if args.command == "ask":
            if not args.batch and args.question is None:
                parser.error("ask needs a QUESTION or --batch FILE")
            return _ask(settings, args)
        if args.command == "export":
            return _export(settings, args)
        if args.command == "eval":
            return _eval(settings, args)
    except QoljetimError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 1


def _search(settings, args) -> int:
    analysis = analyse(args.query, settings.data_dir)
    hits = Searcher(settings).search(args.query, k=max(1, args.k), analysis=analysis)
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


def _ask(settings, args) -> int:
    from assistant.service import Assistant, QuestionError

    assistant = Assistant(settings)
    if args.batch:
        with open(args.batch, encoding="utf-8") as fh:
            questions = [line.rstrip("\n") for line in fh if line.strip()]
        for question in questions:
            try:
                result = assistant.ask(question, args.lang).as_dict()
            except QuestionError as exc:
                result = {"question": question, "error": str(exc), "grounded": False}
            print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    answer = assistant.ask(args.question, args.lang)
    if args.json:
        print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=1))
        return 0
    print(answer.text)
    if answer.citations:
        from assistant.draft.wording import phrase

        print("\n" + phrase(settings.data_dir, answer.language, "sources_header"))
        for c in answer.citations:
            where = ", ".join(x for x in (c.source, f"p. {c.page}" if c.page else "", c.section) if x)
            print(f"[{c.n}] {c.title} — {where}")
    _drafting_note(answer)
    return 0


def _drafting_note(answer) -> None:
    """One line on LLM drafting, when it was tried: the model and the sentences the guard removed, or why not."""
    if answer.drafted_by != "extractive":
        removed = sum(1 for g in answer.guard if g.sentence)
        print(f"\nDrafted by {answer.drafted_by[4:]} from these sources; the guard removed {removed} sentence(s).")
    for note in answer.guard:
        if note.is_fallback:
            print(f"LLM draft not used ({note.reason[9:]}): {note.detail}", file=sys.stderr)


def _export(settings, args) -> int:
    from pathlib import Path

    from assistant.draft.export import to_docx, to_markdown
    from assistant.service import Assistant

    assistant = Assistant(settings)
    answer = assistant.ask(args.question, args.lang)
    documents = assistant.searcher.store.manifest["documents"]
    path = Path(args.output)
    if args.format == "md":
        path.write_text(to_markdown(answer, documents), encoding="utf-8")
    else:
        to_docx(answer, documents, path)
    print(f"written {path} ({len(answer.citations)} citations, {len(answer.recommendations)} recommendations)")
    return 0


def _eval(settings, args) -> int:
    from pathlib import Path

    from assistant.serve.evaluation import below_thresholds, evaluate, load_questions, render
    from assistant.service import Assistant

    stored = Path(__file__).resolve().parents[2] / "tests" / "eval"
    paths = [Path(p) for p in args.questions] or [stored / "questions.yaml",
                                                  *sorted(stored.glob("unseen_questions_*.yaml"))]
    assistant = Assistant(settings)
    failed = False
    for path in paths:
        table = evaluate(assistant, load_questions(path))
        print(f"{path.name}\n{render(table)}")
        for lang, row in table.items():
            for qid, failure in row["failures"][: None if args.verbose else 5]:
                print(f"  {lang} {qid}: {failure}")
        for problem in below_thresholds(table):
            failed = True
            print(f"below threshold: {problem}")
        print()
    return 1 if failed else 0
