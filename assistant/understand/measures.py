"""What a figure question asks for, and whether anything can give it: how many figures it asks, a share or a
count (and the sibling indicator of the other kind), quantities no indicator or figure-printing passage speaks of
(a salary, a budget, a waiting time…), and what in a passage is a figure at all."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from indexer.analysis import tokenize

from assistant.measure.facts import structural_words
from assistant.measure.knowledge import load_entities, load_indicators
from assistant.measure.metrics import formula_inputs
from assistant.types import Frame, Hit, QueryAnalysis
from assistant.understand.cues import cue_word_starts, frame_cues, has_cue, without_names

FIGURE_ASKS = {"value", "compare", "rank", "threshold", "change", "share"}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def figures_asked(question: str, data_dir: Path) -> int:
    """How many quantity cues the question holds ("сколько сотрудников … и сколько услуг" asks two figures)."""
    low = " ".join(question.lower().split())
    spans = {m.start() for cues in frame_cues(data_dir)["quantity"].values() for cue in cues
             for m in re.finditer(re.escape(cue), low)}
    return len(spans)


MAX_TOP = 10


def ranked_count(question: str, data_dir: Path) -> int:
    """How many units a ranking asks for: a count word ("two", «трёх», «үшеуін») or a digit after a "top" word
    ("top 3", «топ-5»); `plural` units for a ranking in the plural; else 1 (`rank_counts` in frames.yaml)."""
    cues = frame_cues(data_dir)["rank_counts"]
    words = re.findall(r"\w+", question.lower())
    for count, forms in cues["words"].items():
        if any(_is_form(w, form) for w in words for fs in forms.values() for form in fs):
            return int(count)
    for i, word in enumerate(words[:-1]):
        if word in cues["top_words"] and words[i + 1].isdigit() and 1 < int(words[i + 1]) <= MAX_TOP:
            return int(words[i + 1])
    return int(cues["plural"]) if has_cue(question, cues["plural_cues"]) else 1


def _is_form(word: str, form: str) -> bool:
    """A whole word, or (for a form of four letters or more) a word that starts with it."""
    return word == form or (len(form) >= 4 and word.startswith(form))


def question_parts(question: str, data_dir: Path) -> list[str]:
    """The question cut where it joins several things it asks about (`part_separators` in frames.yaml)."""
    separators = {cue for cues in frame_cues(data_dir)["part_separators"].values() for cue in cues}
    pattern = "|".join(re.escape(cue) for cue in sorted(separators, key=len, reverse=True))
    return [part.strip() for part in re.split(pattern, question, flags=re.I) if part.strip()]


def share_asked(question: str, asks: tuple[str, ...], data_dir: Path) -> bool:
    """A share is asked: the share ask, or a share cue ("what percentage"); a count cue without one asks a number."""
    cues = frame_cues(data_dir)
    if has_cue(question, cues["share"]):
        return True
    return "share" in asks and not has_cue(question, cues["count"])


def share_or_count(asks: tuple[str, ...], share: bool) -> tuple[str, ...]:
    """A share ask where a count was asked ("сколько услуг…") becomes a value ask, and a share cue adds one."""
    if share and "share" not in asks and FIGURE_ASKS & set(asks):
        return (*asks, "share")
    if not share and "share" in asks:
        return tuple(dict.fromkeys("value" if a == "share" else a for a in asks))
    return asks


def asked_kind_first(indicators: tuple[str, ...], share: bool, data_dir: Path) -> tuple[str, ...]:
    """A share and the count it is computed from answer one matter: the kind asked for leads, its sibling
    follows (a count picked for "what share…" brings its share first, and the other way round)."""
    catalogue = load_indicators(data_dir)
    ordered: list[str] = []
    for iid in indicators:
        sibling = _sibling(iid, catalogue)
        is_share = iid in catalogue and catalogue[iid].unit == "%"
        pair = [iid, sibling] if sibling and is_share == share else [sibling, iid] if sibling else [iid]
        ordered += [p for p in pair if p not in ordered]
    return tuple(ordered[:max(2, len(indicators))])


def _sibling(iid: str, catalogue: dict) -> str:
    """The share computed from a count (its numerator), or the count a share is computed from."""
    indicator = catalogue.get(iid)
    if indicator is None:
        return ""
    if indicator.unit == "%" and indicator.formula:
        inputs = formula_inputs(indicator.formula)
        return inputs[0] if inputs and inputs[0] in catalogue else ""
    return next((other.id for other in catalogue.values() if other.unit == "%" and other.formula
                 and formula_inputs(other.formula)[:1] == [iid]), "")


def count_of_a_share(frame: Frame, question: str, data_dir: Path) -> bool:
    """A number asked ("how many violations…") where the data give only a share: the leading indicator is still
    a percentage after the asked kind was put first, so no count exists to answer with."""
    cues = frame_cues(data_dir)
    if not frame.indicators or not set(frame.asks) <= {"value", "list"} or has_cue(question, cues["share"]):
        return False
    catalogue = load_indicators(data_dir)
    lead = catalogue.get(frame.indicators[0])
    low = question.lower()
    counted = any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", low) for cs in cues["count"].values() for c in cs)
    return counted and lead is not None and lead.unit == "%"  # whole words: «қаншалықты» (how far) asks no count


ACTION_ASKS = ("what_to_do", "swot", "pest", "brief", "why", "legal")


def unmeasured(frame: Frame, analysis: QueryAnalysis, data_dir: Path, hits: list[Hit]) -> list[str]:
    """Quantities a figure question asks for (a salary, a budget, a waiting time…) that neither a picked indicator
    nor a retrieved sentence printing a figure beside the quantity's word speaks of: the documents give no such
    figure."""
    cues = frame_cues(data_dir)
    if frame.wants(*ACTION_ASKS) or not has_cue(analysis.question, cues["quantity"]):
        return []
    asked = _words(without_names(analysis.question))
    named = [m for m in cues["measures"].values() if cue_starts(asked, m["cues"])]
    if not named:
        return unspoken_of(frame, analysis, data_dir, hits)
    labels, sentences = _figure_evidence(frame, hits, data_dir)
    return [m["name"].get(analysis.language, m["name"]["en"]) for m in named
            if not cue_starts(labels, m["cues"]) and not any(_beside_figure(s, m["cues"]) for s in sentences)]


MAX_NAMED_WORDS = 6


def unspoken_of(frame: Frame, analysis: QueryAnalysis, data_dir: Path, hits: list[Hit]) -> list[str]:
    """A figure asked that no indicator answers and no retrieved sentence printing a figure speaks of: none of
    them shares a word with what the question asks about (its words less places, kinds of body, question and
    quantity words; two glossary words in another language count). Named by the question's own words."""
    if frame.indicators or not FIGURE_ASKS & set(frame.asks):
        return []
    content = subject_words(analysis.question, data_dir)
    if not content:
        return []
    translated = set(tokenize(analysis.expansion)) - _ignored_words(data_dir) - content
    sentences = [s for s in hit_sentences(hits) if prints_figure(s) or _counts_in_words(s, data_dir)]
    for sentence in sentences:
        words = set(tokenize(sentence))
        if words & content or len(words & translated) >= 2:  # one glossary word in another language is too loose
            return []
    return [_named_span(analysis.question, content) or f"«{analysis.question.strip().rstrip('?')}»"]


def _counts_in_words(sentence: str, data_dir: Path) -> bool:
    """The sentence writes a number in words («пяти рабочих дней», «он бес күн», "fifteen days")."""
    return bool(_number_words(data_dir).search(sentence.lower()))


@lru_cache(maxsize=4)
def _number_words(data_dir: Path) -> re.Pattern:
    """`number_words` as one pattern: a form of four letters or more begins a word, a shorter one is a word."""
    forms = {w.strip() for ws in frame_cues(data_dir)["number_words"].values() for w in ws}
    alternatives = [re.escape(f) + (r"\w*" if len(f) > 3 else "") for f in sorted(forms, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _named_span(question: str, content: set[str]) -> str:
    """The question's own words from its first word about the subject to its last (at most a few), quoted."""
    words = re.findall(r"[\w-]+", without_names(question))
    at = [i for i, w in enumerate(words) if set(tokenize(w)) & content]
    span = words[at[0]:at[-1] + 1][:MAX_NAMED_WORDS] if at else []
    return f"«{' '.join(span)}»" if span else ""


def subject_words(question: str, data_dir: Path) -> set[str]:
    """The stems of what a question asks about: its words less quoted names, numbers, places, kinds of body,
    question and quantity words."""
    return {w for w in tokenize(without_names(question)) if not w.isdigit()} - _ignored_words(data_dir)


def hit_sentences(hits: list[Hit]) -> list[str]:
    """The retrieved passages cut into sentences and lines."""
    return [s for h in hits for s in re.split(r"(?<=[.!?;:])\s+|\n", h.chunk.text)]


@lru_cache(maxsize=4)
def _ignored_words(data_dir: Path) -> frozenset[str]:
    """Word stems that say where, who or how much is asked, not what: places, kinds of body, question words and
    the quantity cues."""
    cues = frame_cues(data_dir)
    quantity = {t for key in ("quantity", "count", "share") for cs in cues[key].values() for c in cs
                for t in tokenize(c)}
    places = {t for e in load_entities(data_dir).values() if e.type in PLACE_TYPES
              for form in [*e.names.values(), *(a for lang in e.aliases.values() for a in lang)]
              for t in tokenize(str(form))}
    return frozenset(structural_words(data_dir) | quantity | places)


PLACE_TYPES = {"country", "region", "city", "district"}


NEAR_FIGURE = 6  # words between a quantity's word and the figure that gives it


def _words(text: str) -> list[str]:
    return re.findall(r"[\w.,%]+", text.lower())


def cue_starts(words: list[str], cues: list[str]) -> list[int]:
    """Where any of the cues starts among the words (each cue word begins a word, at most one word between)."""
    return [start for cue in cues for start in cue_word_starts(words, cue)]


def _beside_figure(sentence: str, cues: list[str]) -> bool:
    """The sentence prints a figure within a few words of the quantity's word."""
    words = _words(strip_references(sentence))
    figures = [i for i, w in enumerate(words) if re.search(r"\d", w) and not _YEAR.fullmatch(w.strip(".,"))]
    return any(abs(i - j) <= NEAR_FIGURE for i in cue_starts(words, cues) for j in figures)


def _figure_evidence(frame: Frame, hits: list[Hit], data_dir: Path) -> tuple[list[str], list[str]]:
    """The picked indicators' labels (all languages, as words) and the retrieved sentences that print a figure."""
    catalogue = load_indicators(data_dir)
    labels = [label for iid in frame.indicators if iid in catalogue for label in catalogue[iid].labels.values()]
    sentences = [without_names(s) for s in hit_sentences(hits) if prints_figure(s)]
    return _words(without_names(" ".join(labels))), sentences


# What looks like a figure but is not one: a source reference, a list or paragraph number, a year.
_REFERENCE = re.compile(r"\([^()]*\b(?:et al|table|таблиц|кесте|diagram|диаграмм|раздел|section|бөлім)[^()]*\)",
                        re.I)
_ENUMERATION = re.compile(r"^\s*[-*•]?\s*\d+(?:-\d+)?[.)]\s")
_NUMBERED_PART = re.compile(r"\b(?:table|diagram|figure|article|appendix|таблиц\w*|диаграмм\w*|рисун\w*|стать\w*|"
                            r"приложени\w*|кесте\w*|диаграмм\w*|сурет\w*|бап\w*)\s+№?\s*\d+(?:[-.]\d+)?|"
                            r"\b\d+(?:-\d+)?-(?:кесте|диаграмма|сурет|бап|қосымша)\w*", re.I)


def strip_references(text: str) -> str:
    """The text without its source references («(Samarkhanov et al., 2025, Table 5)»), the numbers of tables,
    diagrams and articles it names ("Diagram 4", «4-кесте», «статья 25») and list numbers."""
    text = _NUMBERED_PART.sub(" ", _REFERENCE.sub(" ", text))
    return "\n".join(_ENUMERATION.sub(" ", line) for line in text.splitlines())


def prints_figure(sentence: str) -> bool:
    return bool(re.search(r"\d", _YEAR.sub(" ", strip_references(sentence))))
