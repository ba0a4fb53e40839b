"""Query analysis: language, intent, gazetteer entities, years, and glossary expansion into the other languages."""
from __future__ import annotations

import re
from pathlib import Path

from indexer.analysis import tokenize
from indexer.language import detect_language

from assistant.measure.knowledge import (LANGS, Entity, alias_index, contains, find_terms, load_entities,
                                        load_glossary)
from assistant.types import QueryAnalysis

INTENT_PATTERNS: dict[str, tuple[str, ...]] = {
    "swot": (r"\bswot\b", r"свот"),
    "pest": (r"\bpest\b", r"\bпест\b"),
    "brief": (r"\bbrief", r"бриф", r"для тренер", r"trainer", r"тренер", r"семинар(а|у)? .*материал",
              r"материал.* семинар", r"discussion questions", r"вопросы для обсуждения", r"талқылау"),
    "recommendation": (r"рекоменд", r"предлож", r"что (делать|сделать|нужно|следует)", r"как (снизить|уменьшить|"
                       r"улучшить|повысить|сократить)", r"\bмер[аыу]?\b", r"recommend", r"what should", r"propos",
                       r"how (can|could|to) (we )?(reduce|improve|increase|cut|lower)", r"measures", r"ұсыныс",
                       r"ұсын", r"не істе", r"қалай (азайт|жақсарт|арттыр|төменд)", r"шаралар", r"шара\b"),
    "definition": (r"что так(ое|ой|ая)", r"что означает", r"определени", r"понятие", r"what (is|are) (a|an) ",
                   r"what does .+ mean", r"\bdefin", r"дегеніміз не", r"деген (не|не\?)", r"ұғым", r"мағына",
                   r"^what is [\w\- \"«»]+\?$"),
    "comparison": (r"сравн", r"\bcompar", r"\bversus\b", r"\bvs\.?\b", r"салыстыр", r"чем .* (больше|меньше)",
                   r"(больше|меньше|выше|ниже),? чем", r"higher than|lower than|more than", r"қайсы"),
    "figure": (r"сколько", r"\bдол[яиюе]\b", r"how (many|much)", r"\bshare\b", r"\bчисл", r"қанша", r"үлес",
               r"коэффициент", r"coefficient", r"динамик", r"trend", r"измени", r"өзгер", r"рост", r"снижен",
               r"growth", r"decline", r"\bсаны\b", r"процент", r"percent", r"объ[её]м", r"volume",
               r"какой .*(уровень|показатель)", r"нагрузк", r"workload", r"жүктеме", r"overload", r"перегруж"),
}
INTENT_ORDER = ("swot", "pest", "brief", "recommendation", "definition", "comparison", "figure")
_YEAR = re.compile(r"\b(20[0-3]\d)\b")
_CITY_CUES = ("уральск", "орал", "uralsk", "oral", "город", "қала", "city")


def detect_intent(text: str) -> str:
    low = text.lower().strip()
    for intent in INTENT_ORDER:
        if intent == "definition" and _YEAR.search(low):
            continue
        if any(re.search(p, low) for p in INTENT_PATTERNS[intent]):
            return intent
    return "fact"


def find_entities(tokens: tuple[str, ...], text: str, data_dir: Path) -> tuple[str, ...]:
    found: list[str] = []
    for alias, entity_id in alias_index(data_dir):
        if entity_id not in found and contains(tokens, alias):
            found.append(entity_id)
    return _prefer_city_units(found, text.lower(), load_entities(data_dir))


def _prefer_city_units(found: list[str], low: str, entities: dict[str, Entity]) -> tuple[str, ...]:
    """A topic word names a regional and a city department; keep the city one when the question is about Uralsk."""
    city = any(cue in low for cue in _CITY_CUES)
    kept = []
    if any(entities[e].type == "city_department" for e in found if e in entities) and city:
        found = [e for e in found if entities[e].type != "city"]  # "Uralsk" only said which department
    for entity_id in found:
        kind = entities[entity_id].type
        if kind == "regional_department" and city and any(entities[e].type == "city_department" for e in found):
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
    return QueryAnalysis(question=question, language=lang, intent=detect_intent(question), entities=entities,
                         years=years, terms=terms, expansion=expand(lang, terms, entities, data_dir))
