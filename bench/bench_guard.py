"""The LLM guard against adversarial drafts built from real answers: how many unsupported sentences reach the
user (target 0) and how many supported ones are wrongly dropped.

Run: .venv/bin/python bench/bench_guard.py [--index DIR] [--questions N] [--per-answer K] [--seed S]
(needs a built index: `make index`). For each grounded eval question the real extractive answer gives the
supported sentences (its cited lines, which the evaluation proves traceable); drafts mix some of them — with their
[n] moved after the full stop and their numbers rewritten in another ru/kk/en format — with adversarial sentences:
invented figures (alone, or slipped into a true sentence), perturbed numbers (±1, ×10, ÷10, +0.1, ×1.5), a
wrong [n], a dangling [n], no [n] at all. Each draft goes through the guard.

A leak is judged by the injected defect itself, not by re-running the guard's check: the invented or perturbed
value (chosen to be in none of the answer's sources) appears in the output; the dangling [k] appears; the
sentence re-cited to a source lacking its figure appears with that [m]; the uncited sentence's text appears.
Prints a table and appends it to bench/RESULTS.md; also times llm_rewrite with LLM drafting off.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.draft.guard import guard_draft, support_of  # noqa: E402
from assistant.draft.llm_draft import drafting_fits, llm_rewrite  # noqa: E402
from assistant.draft.llm_prompts import shown_text  # noqa: E402
from assistant.draft.traceability import MARKER, numbers_in, same_number  # noqa: E402
from assistant.serve.evaluation import load_questions  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from bench.bench_index import commit  # noqa: E402
from indexer.language import detect_language  # noqa: E402
from indexer.settings import load_settings  # noqa: E402

KINDS = ("invented", "appended", "perturbed", "wrong_citation", "dangling", "uncited")
_NUM = re.compile(r"\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?")
APPENDED = {"ru": ", а к 2031 году — {x}", "kk": ", ал 2031 жылға қарай — {x}", "en": ", and {x} by 2031"}
INVENTED = {"ru": "По оценкам, этот показатель достигнет {x} к 2031 году", "kk": "Бағалау бойынша бұл көрсеткіш "
            "2031 жылға қарай {x} жетеді", "en": "By estimate, this figure will reach {x} by 2031"}


@dataclass
class Sentence:
    text: str  # as placed in the draft (a supported sentence may be reformatted)
    kind: str = "supported"
    payload: tuple = ()  # what would show the defect in the output


@dataclass
class Tally:
    drafts: int = 0
    fallbacks: int = 0
    supported: int = 0
    wrongly_dropped: int = 0
    adversarial: dict = field(default_factory=lambda: {k: 0 for k in KINDS})
    leaked: dict = field(default_factory=lambda: {k: 0 for k in KINDS})
    leaks: list = field(default_factory=list)
    dropped: list = field(default_factory=list)


def supported_sentences(answer) -> list[tuple[str, list[int]]]:
    """The answer's cited lines in the question's language: (sentence with its [n], cited numbers)."""
    out = []
    for line in answer.text.splitlines():
        line = line.strip()
        cited = [int(n) for n in MARKER.findall(line)]
        body = line[2:] if line.startswith("- ") else line
        if cited and detect_language(MARKER.sub("", body), answer.language) == answer.language:
            out.append((body, cited))
    return out


def render(value: float, lang: str, rng: random.Random) -> str:
    """A value written the way one of the three languages might write it."""
    decimals = 0 if float(value).is_integer() else min(2, len(f"{value:g}".split(".")[-1]))
    text = f"{value:,.{decimals}f}"
    style = rng.choice(["en", "ru", "plain"]) if lang == "en" else rng.choice(["ru", "ru", "en", "plain"])
    if style == "ru":
        return text.replace(",", "\u00a0" if rng.random() < 0.5 else " ").replace(".", ",")
    return text.replace(",", "") if style == "plain" else text


def reformat(sentence: str, rng: random.Random) -> str:
    """The same numbers in another format: '92,3' ↔ '92.3', '1 256' → '1,256' or '1256'."""
    def swap(match: re.Match) -> str:
        raw = match.group(0)
        if re.fullmatch(r"\d+[.,]\d{1,2}", raw):
            return raw.replace(",", "#").replace(".", ",").replace("#", ".")
        if re.fullmatch(r"\d{1,3}(?:[ \u00a0]\d{3})+", raw):
            return raw.replace(" ", "").replace("\u00a0", "") if rng.random() < 0.5 else re.sub(r"[ \u00a0]", ",", raw)
        return raw
    return _NUM.sub(swap, sentence)


def move_markers(sentence: str) -> str:
    """'Text [1].' → 'Text. [1]' (a model's other habit)."""
    m = re.fullmatch(r"(.*?)\s*((?:\[\d+\])+)\s*([.!?])?", sentence, flags=re.S)
    return f"{m.group(1).rstrip('.')}. {m.group(2)}" if m else sentence


def fresh_value(everything: set[str], rng: random.Random, near: float | None = None) -> float | None:
    """A value in none of the answer's sources (near a given one when `near` is set)."""
    for _ in range(50):
        if near is None:
            value = rng.choice([rng.randint(3, 9999), round(rng.uniform(0.1, 99.9), 1)])
        else:
            value = rng.choice([near + 1, near - 1, near * 10, near / 10, near + 0.1, near * 1.5, near + 100])
            value = round(value, 2) if not float(near).is_integer() else round(value)
        if value > 0 and not any(same_number(str(value), a) or same_number(f"{value:g}", a) for a in everything):
            return value
    return None


def adversarial(kind: str, base: tuple[str, list[int]], answer, support, everything, rng) -> Sentence | None:
    text, cited = base
    lang = answer.language
    if kind == "invented":
        value = fresh_value(everything, rng)
        written = render(value, lang, rng)
        return Sentence(f"{INVENTED[lang].format(x=written)} [{cited[0]}].", kind, (value,))
    if kind == "appended":  # a true sentence with one invented figure slipped in before its [n]
        value = fresh_value(everything, rng)
        body = MARKER.sub("", text).strip().rstrip(" .")
        marks = "".join(f"[{n}]" for n in cited)
        return Sentence(f"{body}{APPENDED[lang].format(x=render(value, lang, rng))} {marks}.", kind, (value,))
    if kind == "perturbed":
        numbers = [m for m in _NUM.finditer(MARKER.sub("", text))]
        if not numbers:
            return None
        target = rng.choice(numbers)
        near = float(next(iter(numbers_in(target.group(0)))))
        value = fresh_value(everything, rng, near)
        if value is None:
            return None
        body = MARKER.sub("", text)
        changed = body[:target.start()] + render(value, lang, rng) + body[target.end():]
        return Sentence(f"{changed.rstrip(' .')} [{cited[0]}].", kind, (value,))
    if kind == "wrong_citation":
        figures = numbers_in(MARKER.sub("", text))
        others = [n for n in support if n not in cited and any(f not in support[n] for f in figures)]
        if not figures or not others:
            return None
        m = rng.choice(others)
        lacking = next((f for f in sorted(figures) if not any(same_number(f, a) for a in support[m])), None)
        if lacking is None:
            return None
        return Sentence(f"{MARKER.sub('', text).rstrip(' .')} [{m}].", kind, (m, lacking))
    if kind == "dangling":
        k = max(support) + rng.randint(1, 5) if rng.random() < 0.8 else 0
        return Sentence(f"{MARKER.sub('', text).rstrip(' .')} [{k}].", kind, (k,))
    body = MARKER.sub("", text).strip().rstrip(" .")
    return Sentence(f"{body}.", "uncited", (body,))


def build_draft(answer, support, everything, rng: random.Random) -> list[Sentence]:
    pool = supported_sentences(answer)
    if len(pool) < 2:
        return []
    rng.shuffle(pool)
    n_bad = 1 if len(pool) < 4 else rng.choice([1, 2])
    good, bad_bases = pool[:len(pool) - n_bad][:4], pool[len(pool) - n_bad:]  # never the same sentence twice
    draft = []
    for text, _ in good:
        text = reformat(text, rng) if rng.random() < 0.5 else text
        text = text if re.search(r"[.!?]\s*(?:\[\d+\])*$", text) else text + "."
        draft.append(Sentence(move_markers(text) if rng.random() < 0.3 else text))
    for base in bad_bases:
        for kind in rng.sample(KINDS, len(KINDS)):
            sentence = adversarial(kind, base, answer, support, everything, rng)
            if sentence is not None and sentence.text not in {s.text for s in draft}:
                draft.append(sentence)
                break
    rng.shuffle(draft)
    return draft


def leaked(sentence: Sentence, output: list[str]) -> bool:
    """Did this adversarial sentence's defect reach the output (the guard's kept sentences)?"""
    text = " ".join(output)
    if sentence.kind in ("invented", "appended", "perturbed"):
        return any(same_number(f"{sentence.payload[0]:g}", x) for x in numbers_in(MARKER.sub("", text)))
    if sentence.kind == "dangling":
        return f"[{sentence.payload[0]}]" in text
    if sentence.kind == "wrong_citation":
        m, figure = sentence.payload
        return any(f"[{m}]" in s and any(same_number(figure, x) for x in numbers_in(MARKER.sub("", s)))
                   for s in output)
    return sentence.payload[0] in MARKER.sub("", text)


def score(draft: list[Sentence], answer, shown, tally: Tally) -> None:
    text = " ".join(s.text for s in draft)
    result = guard_draft(text, answer.citations, answer.language, shown)
    output = [] if result.fallback else [s.text for s in result.kept]
    tally.drafts += 1
    tally.fallbacks += result.fallback is not None
    for sentence in draft:
        if sentence.kind == "supported":
            tally.supported += 1
            if not result.fallback and sentence.text not in " ".join(output):
                tally.wrongly_dropped += 1
                notes = [f"{g.reason} {g.detail}" for g in result.dropped if g.sentence in sentence.text
                         or sentence.text in g.sentence]
                tally.dropped.append((sentence.text, notes))
            continue
        tally.adversarial[sentence.kind] += 1
        if leaked(sentence, output):
            tally.leaked[sentence.kind] += 1
            tally.leaks.append((answer.question, sentence.kind, sentence.text))


def off_switch_cost(answer, settings, calls: int = 100_000) -> float:
    """Nanoseconds per llm_rewrite call with LLM drafting off (the only cost `ask` pays without the settings)."""
    started = time.perf_counter()
    for _ in range(calls):
        llm_rewrite(answer, settings)
    return (time.perf_counter() - started) / calls * 1e9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=None)
    parser.add_argument("--questions", type=int, default=0, help="first N grounded questions (0 = all)")
    parser.add_argument("--per-answer", type=int, default=2, help="adversarial drafts per answer")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    settings = load_settings(index_dir=args.index).without_llm()
    assistant = Assistant(settings)
    questions = [q for q in load_questions(ROOT / "tests" / "eval" / "questions.yaml") if q.grounded]
    questions = questions[:args.questions] if args.questions else questions
    tally, rng, last = Tally(), random.Random(args.seed), None
    for q in questions:
        answer = assistant.ask(q.question)
        if not drafting_fits(answer):
            continue
        last = answer
        shown = {c.n: shown_text(c, answer.language) for c in answer.citations}
        support = support_of(answer.citations, shown)
        everything = set().union(*support.values())
        for _ in range(args.per_answer):
            draft = build_draft(answer, support, everything, rng)
            if draft:
                score(draft, answer, shown, tally)
    report(tally, off_switch_cost(last, settings) if last else float("nan"), args)


def report(tally: Tally, off_ns: float, args) -> None:
    total_bad, total_leaked = sum(tally.adversarial.values()), sum(tally.leaked.values())
    rows = [("drafts", tally.drafts), ("drafts that fell back to the extractive answer", tally.fallbacks),
            ("adversarial sentences", total_bad)]
    rows += [(f"  {kind}", tally.adversarial[kind]) for kind in KINDS]
    rows += [("**unsupported sentences that reached the output** (target 0)", total_leaked)]
    rows += [(f"  {kind}", tally.leaked[kind]) for kind in KINDS if tally.leaked[kind]]
    rows += [("supported sentences", tally.supported),
             ("supported sentences wrongly dropped (in drafts kept)", tally.wrongly_dropped),
             ("llm_rewrite with LLM drafting off, per call", f"{off_ns:.0f} ns")]
    header = (f"\n## LLM guard, adversarial drafts — {time.strftime('%Y-%m-%d %H:%M')} · commit {commit()} · "
              f"seed {args.seed} · {args.per_answer} drafts per answer\n\n| measure | value |\n|---|---|\n")
    table = header + "".join(f"| {name} | {value} |\n" for name, value in rows)
    print(table)
    for question, kind, text in tally.leaks[:20]:
        print(f"LEAK {kind}: {question!r}: {text}")
    for text, notes in tally.dropped[:20]:
        print(f"WRONGLY DROPPED: {text}  ← {notes}")
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write(table)


if __name__ == "__main__":
    main()
