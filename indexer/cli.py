"""python -m indexer build | status — with progress bars, plain messages, no tracebacks."""
from __future__ import annotations

import argparse
import json
import logging
import sys

from tqdm import tqdm

from .build import BuildProgress, FileOutcome, build_index
from .errors import QoljetimError
from .settings import load_settings
from .status import index_status


class TqdmProgress(BuildProgress):
    def __init__(self, stream=sys.stderr, lines=sys.stdout):
        self._stream, self._lines = stream, lines
        self._files = self._embed = None

    def files_found(self, total: int) -> None:
        self._files = tqdm(total=total, desc="files", unit="file", file=self._stream, leave=False)

    def file_done(self, outcome: FileOutcome) -> None:
        if self._files is not None and outcome.status != "removed":
            self._files.update(1)
        tqdm.write(describe_outcome(outcome), file=self._lines)

    def embedding_started(self, total: int) -> None:
        if self._files is not None:
            self._files.close()
        self._embed = tqdm(total=total, desc="embedding", unit="chunk", file=self._stream, leave=False)

    def embedded(self, count: int) -> None:
        self._embed.update(count)

    def close(self) -> None:
        for bar in (self._files, self._embed):
            if bar is not None:
                bar.close()


def describe_outcome(outcome: FileOutcome) -> str:
    if outcome.status == "skipped":
        return f"skipped   {outcome.source}: {outcome.reason}"
    if outcome.status == "removed":
        return f"removed   {outcome.source}"
    note = "".join(f" (warning: {w})" for w in outcome.warnings)
    verb = "indexed  " if outcome.status == "indexed" else "unchanged"
    return f"{verb} {outcome.source}: {outcome.chunks} chunks{note}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indexer", description="Build and inspect the Qoljetim index.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or update the index")
    build.add_argument("--corpus", action="append", metavar="DIR", help="corpus folder (repeatable)")
    build.add_argument("--index", metavar="DIR", help="index folder")
    build.add_argument("--full", action="store_true", help="re-embed everything")
    build.add_argument("-v", "--verbose", action="store_true")
    status = sub.add_parser("status", help="show what the index holds")
    status.add_argument("--index", metavar="DIR")
    status.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        settings = load_settings(index_dir=args.index, corpus_dirs=getattr(args, "corpus", None))
        if args.command == "build":
            return _build(settings, args.full)
        return _status(settings, args.json)
    except QoljetimError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the last complete index is still in place", file=sys.stderr)
        return 130


def _build(settings, full: bool) -> int:
    progress = TqdmProgress()
    try:
        report = build_index(settings, progress, full=full)
    finally:
        progress.close()
    state = "written" if report.written else "already up to date (nothing changed)"
    print(f"\nindex {state}: {settings.index_dir}\n"
          f"  files: {report.count('indexed')} indexed, {report.count('unchanged')} unchanged, "
          f"{report.count('skipped')} skipped, {report.count('removed')} removed\n"
          f"  chunks: {report.chunk_count} ({report.embedded} embedded, {report.reused} reused) "
          f"in {report.seconds:.1f} s")
    return 0


def _status(settings, as_json: bool) -> int:
    status = index_status(settings.index_dir)
    if as_json:
        print(json.dumps(status, ensure_ascii=False, indent=1))
    else:
        print(status["summary"])
        for doc in status.get("skipped", []):
            print(f"  skipped {doc['source']}: {doc['reason']}")
    return 0 if status["ready"] else 1
