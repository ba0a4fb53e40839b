"""Query analysis: language, intent, gazetteer entities, years, and glossary expansion into the other languages."""
from __future__ import annotations

import re
from pathlib import Path

from indexer.analysis import tokenize
from indexer.language import detect_language

from assistant.measure.knowledge import (LANGS, Entity, alias_index, find_terms, load_entities,
                                        load_glossary, occurrences)
from assistant.types import QueryAnalysis
from assistant.understand.asks import combine, cue_asks, load_ask_data
from assistant.understand.cues import frame_cues

_YEAR = re.compile(r"\b(20[0-3]\d)\b")


def find_entities(tokens: tuple[str, ...], text: str, data_dir: Path) -> tuple[str, ...]:
    """Gazetteer entities named in the question, longest alias first; words inside a longer name already found
    name nothing else ("Kazakhstan" in "West Kazakhstan Region" is not the country)."""
    found: list[str] = []
    taken: dict[int, tuple[str, ...]] = {}  # token position -> the alias that named it
    for alias, entity_id in alias_index(data_dir):
        free = [i for i in occurrences(tokens, alias)
                if all(taken.get(j, alias) == alias for j in range(i, i + len(alias)))]  # same words: both named
        if free and entity_id not in found:
            found.append(entity_id)
        taken.update({j: alias for i in free for j in range(i, i + len(alias))})
    return _prefer_city_units(found, text, load_entities(data_dir), data_dir)


def names_level(text: str, level: str, data_dir: Path) -> bool:
    """The question speaks of a level (`levels` in data/frames.yaml): "city" (Uralsk or the city), "regional"."""
    low = text.lower()
    return any(cue in low for cue in frame_cues(data_dir)["levels"][level])


def _prefer_city_units(found: list[str], text: str, entities: dict[str, Entity], data_dir: Path) -> tuple[str, ...]:
    """A topic word names a regional and a city department; keep the city one when the question is about Uralsk."""
    city = names_level(text, "city", data_dir)
    regional = names_level(text, "regional", data_dir)  # "the regional one and the city one": keep both
    kept = []
    if any(entities[e].type == "city_department" for e in found if e in entities) and city:
        found = [e for e in found if entities[e].type != "city"]  # "Uralsk" only said which department
    for entity_id in found:
        kind = entities[entity_id].type
        if (kind == "regional_department" and city and not regional
                and any(entities[e].type == "city_department" for e in found)):
            continue
        if kind == "city_department" and not city and any(entities[e].type == "regional_department" for e in found):
            continue
        kept.append(entity_id)
    return tuple(kept)


def expand(language: str, terms: tuple[str, ...], entities: tuple[str, ...], data_dir: Path) -> str:
    """Main forms of the recognised terms and entity names in the two languages the question is not in."""
    others = [lang for lang in LANGS if lang != language]
    glossary = {t.id: t for t in load_glossary(data_dir)}
    known = load_entities(data_dir)
    words: list[str] = []
    for term_id in terms:
        for lang in others:
            words.extend(glossary[term_id].forms[lang][:2])
    for entity_id in entities:
        for lang in others:
            words.append(known[entity_id].name(lang))
    return " ".join(dict.fromkeys(words))


def analyse(question: str, data_dir: Path, language: str | None = None) -> QueryAnalysis:
    lang = language or detect_language(question, default="ru")
    tokens = tuple(tokenize(question))
    entities = find_entities(tokens, question, data_dir)
    terms = find_terms(tokens, data_dir)
    years = tuple(sorted({int(y) for y in _YEAR.findall(question)}))
    asks = combine(cue_asks(question, load_ask_data(data_dir)), {})
    return QueryAnalysis(question=question, language=lang, intent=intent_of(asks), entities=entities,
                         years=years, terms=terms, expansion=expand(lang, terms, entities, data_dir), asks=asks)


ASK_INTENTS = {"swot": "swot", "pest": "pest", "brief": "brief", "what_to_do": "recommendation",
               "definition": "definition", "compare": "comparison", "threshold": "figure", "rank": "figure",
               "change": "figure", "share": "figure", "value": "figure", "legal": "fact", "why": "fact",
               "list": "fact"}


def intent_of(asks: tuple[str, ...]) -> str:
    """The coarse intent retrieval and drafting key on: a framework or a request for action wins over the rest."""
    for ask in ("swot", "pest", "brief", "what_to_do"):
        if ask in asks:
            return ASK_INTENTS[ask]
    return ASK_INTENTS.get(asks[0], "fact") if asks else "fact"
