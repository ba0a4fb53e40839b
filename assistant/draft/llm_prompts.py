"""The LLM prompt: the question and the engine's numbered sources (passages and computed data rows), in the
answer's language. Templates and the splitter's abbreviations are data: assistant/draft/llm_prompts.yaml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from assistant.draft.drafting import format_fact
from assistant.types import Answer, Citation, MetricFact

PROMPTS_FILE = Path(__file__).with_name("llm_prompts.yaml")
MAX_SOURCE_CHARS = 1500


@lru_cache(maxsize=1)
def prompt_data() -> dict:
    return yaml.safe_load(PROMPTS_FILE.read_text(encoding="utf-8"))


def abbreviations() -> frozenset[str]:
    return frozenset(str(a).lower() for a in prompt_data().get("abbreviations", ()))


def shown_text(citation: Citation, lang: str, data_dir: Path) -> str:
    """What the model is shown for one source: a passage's title, section and text, or a data row's computed
    figure (the same line the extractive answer prints) with its source rows."""
    if citation.kind == "data":
        try:
            fact = format_fact(MetricFact.from_dict(citation.meta), lang, data_dir)
        except (KeyError, TypeError, ValueError):
            fact = citation.title
        return f"{fact}. {citation.text}"
    head = " — ".join(x for x in (citation.title, citation.section) if x)
    text = " ".join(citation.text.split())
    if len(text) > MAX_SOURCE_CHARS:
        text = text[:MAX_SOURCE_CHARS].rsplit(" ", 1)[0] + " …"
    return f"{head}: {text}" if head else text


def sources_block(citations: tuple[Citation, ...], lang: str, data_dir: Path) -> str:
    labels = prompt_data()["labels"].get(lang, prompt_data()["labels"]["en"])
    return "\n\n".join(f"[{c.n}] ({labels.get(c.kind, labels['passage'])}) {shown_text(c, lang, data_dir)}"
                       for c in citations)


def messages_for(answer: Answer, data_dir: Path) -> list[dict]:
    """The chat messages for one answer: system rules, then the question and its numbered sources."""
    lang = answer.language if answer.language in ("ru", "kk", "en") else "en"
    template = prompt_data()[lang]
    user = template["user"].format(question=answer.question, sources=sources_block(answer.citations, lang, data_dir))
    return [{"role": "system", "content": template["system"]}, {"role": "user", "content": user}]
