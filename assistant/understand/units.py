"""A department the question names that the data hold no row for ("the regional Digital Technologies Department",
«Орал қаласы білім бөлімі»): named in `Frame.missing`, so the answer says so instead of giving another
department's figure."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from indexer.analysis import tokenize

from assistant.measure.facts import indicator_words
from assistant.measure.knowledge import alias_index, find_terms, load_entities, load_glossary
from assistant.types import QueryAnalysis
from assistant.understand.cues import frame_cues
from assistant.understand.query import names_level

DEPARTMENT_TERMS = {"regional_department", "city_department"}
PLACES = {"country", "region", "city", "district"}
NAME_REACH = 2  # content words on each side of the department word that may name it


def unlisted_department(analysis: QueryAnalysis, data_dir: Path) -> str:
    """The words naming a department the tables do not list, or "": a department word beside name words that
    no gazetteer department owns, or a city department asked where only the region's one is known."""
    words = analysis.question.replace("?", " ").replace(",", " ").split()
    stems = [tuple(tokenize(w)) for w in words]
    at = next((i for i, s in enumerate(stems) if s and DEPARTMENT_TERMS & set(find_terms(s, data_dir))), None)
    if at is None:
        return ""
    entities = load_entities(data_dir)
    kinds = {entities[e].type for e in analysis.entities if e in entities}
    names = [i for i in _content_neighbours(stems, at) if _names_something(stems[i], data_dir)]
    if "regional_department" in kinds or "city_department" in kinds:
        city_asked = names_level(analysis.question, "city", data_dir) and (
            "city_department" in find_terms(stems[at], data_dir) or _says_city(words, data_dir))
        if not (city_asked and "city_department" not in kinds):
            return ""
        named = {tok for alias, eid in alias_index(data_dir) if eid in analysis.entities
                 and entities[eid].type not in PLACES for tok in alias}
        names = [i for i in _content_neighbours(stems, at) if set(stems[i]) & named]  # the region's department
    if not names:
        return ""
    return " ".join(words[i].strip(".,;:!?«»\"'") for i in sorted({*names, at}))


def _content_neighbours(stems: list[tuple[str, ...]], at: int) -> list[int]:
    """Positions of the nearest words with content (stopwords skipped) on each side of the department word."""
    found: list[int] = []
    for step in (-1, 1):
        i, taken = at + step, 0
        while 0 <= i < len(stems) and taken < NAME_REACH:
            if stems[i]:
                found.append(i)
                taken += 1
            i += step
    return found


def _names_something(stems: tuple[str, ...], data_dir: Path) -> bool:
    """A word that can name a department: a word of a subject term (a sector, a topic), and not a place, a number,
    an indicator's word (four letters agree), or a word of measurement, staffing, territory or question terms."""
    known = indicator_words(data_dir)
    for stem in stems:
        if stem.isdigit() or stem in _not_name_words(data_dir) or any(w[:4] == stem[:4] for w in known):
            return False
    return bool(stems) and any(stem in _topic_words(data_dir) for stem in stems)


@lru_cache(maxsize=4)
def _topic_words(data_dir: Path) -> frozenset[str]:
    """Words of the glossary's subject terms (sectors, digitalisation, services, law…): what departments are
    named after."""
    return frozenset(tok for t in load_glossary(data_dir) if t.group not in NOT_NAMES
                     and t.id not in DEPARTMENT_TERMS for forms in t.forms.values() for form in forms
                     for tok in tokenize(form))


NOT_NAMES = {"statistics", "workload_staff", "territory", "questions"}


@lru_cache(maxsize=4)
def _not_name_words(data_dir: Path) -> frozenset[str]:
    entities = load_entities(data_dir)
    places = {tok for alias, eid in alias_index(data_dir) if entities[eid].type not in DEPARTMENT_TERMS
              for tok in alias}
    terms = {tok for t in load_glossary(data_dir) if t.group in NOT_NAMES or t.id in DEPARTMENT_TERMS
             for forms in t.forms.values() for form in forms for tok in tokenize(form)}
    return frozenset(places | terms)


def _says_city(words: list[str], data_dir: Path) -> bool:
    """The level named as a word ("the Uralsk city education department", «қалалық»), where the department word
    itself does not mark it."""
    city_words = set(frame_cues(data_dir)["levels"]["city_word"])
    return any(w.lower().strip(".,;:!?«»\"'") in city_words for w in words)
