"""The assistant: understand (analysis, asks, frame) → retrieve → measure (live facts) → draft a cited answer."""
from __future__ import annotations

import time
from dataclasses import replace

from indexer.errors import QoljetimError
from indexer.settings import Settings

from assistant.draft.citations import CitationBook
from assistant.draft.drafting import draft_answer, refusal
from assistant.draft.frameworks import FRAMEWORK_GROUPS, draft_framework
from assistant.draft.legal_quote import quote_top_paragraph
from assistant.draft.llm_draft import llm_rewrite
from assistant.draft.missing import missing_answer
from assistant.draft.recommend import recommend
from assistant.measure.facts import facts_for
from assistant.retrieve.articles import answer_article, label_citations
from assistant.retrieve.grounding import is_grounded, off_topic
from assistant.understand.legal_refs import find_article_ref
from assistant.retrieve.retrieval import Searcher
from assistant.types import Answer, Frame, Hit, MetricFact, QueryAnalysis, Recommendation
from assistant.understand.asks import AskClassifier
from assistant.understand.frames import blocking, build_frame
from assistant.understand.query import analyse, intent_of

MAX_QUESTION_CHARS = 2000
TOP_K = 5
class QuestionError(QoljetimError):
    """A question that cannot be answered as given (empty, too long)."""


def check_question(question: str) -> str:
    text = " ".join(str(question).split())
    if not text:
        raise QuestionError("The question is empty: type a question in Russian, Kazakh or English.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is too long ({len(text)} characters; the limit is "
                            f"{MAX_QUESTION_CHARS}). Shorten it to the point you want answered.")
    return text


RECOMMENDATION_HEADER = {"ru": "Рекомендации:", "kk": "Ұсынымдар:", "en": "Recommendations:"}


def wants_recommendations(frame: Frame, facts: list[MetricFact]) -> bool:
    """Asked for (whatever the wording), or called for by the figures (a threshold breach in the answer)."""
    return frame.wants("what_to_do") or any(f.kind == "breach" for f in facts)


def recommendation_lines(recommendations: list[Recommendation], lang: str) -> str:
    if not recommendations:
        return ""
    lines = ["", RECOMMENDATION_HEADER.get(lang, "Recommendations:")]
    for rec in recommendations:
        marks = "".join(f"[{n}]" for n in rec.evidence[:3])
        lines.append(f"- {rec.title} {marks}")
    return "\n".join(lines)


class Assistant:
    def __init__(self, settings: Settings, searcher: Searcher | None = None):
        self.settings = settings
        self.searcher = searcher or Searcher(settings)
        self._asks: AskClassifier | None = None

    @property
    def ask_classifier(self) -> AskClassifier:
        if self._asks is None:
            self._asks = AskClassifier(self.settings.data_dir, self.searcher.embedder,
                                       cache_dir=self.settings.index_dir / "cache")
        return self._asks

    def ask(self, question: str, language: str | None = None, k: int = TOP_K,
            doc_types: set[str] | None = None) -> Answer:
        clock = time.perf_counter()
        text = check_question(question)
        data_dir = self.settings.data_dir
        lexical = analyse(text, data_dir, language)
        ref = find_article_ref(text, data_dir)  # «статья 25», «25-бап», "Article 25"
        if ref and (found := answer_article(ref, text, lexical.language, self.searcher.store, data_dir)):
            return found
        t_analysis = time.perf_counter()
        vector = self.searcher.embedder.embed_query(text)
        t_embed = time.perf_counter()
        asks = self.ask_classifier.classify(text, vector)
        analysis = replace(lexical, asks=asks, intent=intent_of(asks))
        hits = self.searcher.search_vector(vector, text, k, analysis, doc_types or None)
        t_search = time.perf_counter()
        frame = build_frame(analysis, asks, data_dir, hits)
        grounded = (is_grounded(hits, analysis, self.searcher.store.grounding_bar(analysis.language))
                    and not off_topic(analysis, hits, self.searcher.store.term_weights(), data_dir))
        if grounded and frame.missing and blocking(frame, data_dir):
            answer_text, citations, facts = missing_answer(analysis, frame, data_dir)
            t_metrics = done = time.perf_counter()
            return self._answer(analysis, frame, False, answer_text, citations, facts, [],
                                (clock, t_analysis, t_embed, t_search, t_metrics, done))
        facts = facts_for(analysis, data_dir, frame) if grounded else []
        t_metrics = time.perf_counter()
        answer_text, citations, facts, grounded = self._draft(analysis, frame, hits, facts, grounded)
        # the best law paragraph beside our notes, unless data rows answer the figure asked (nothing related)
        laws = self.searcher.search_vector(vector, text, 1, analysis, {"law"}) if grounded and not facts else []
        answer_text, citations = quote_top_paragraph(answer_text, citations, hits, grounded, laws)
        recommendations: list[Recommendation] = []
        if grounded and wants_recommendations(frame, facts):
            book = CitationBook(list(citations))
            recommendations = recommend(analysis, self.searcher, book, vector=vector)
            citations = book.citations
            answer_text += recommendation_lines(recommendations, analysis.language)
        citations = label_citations(citations, self.searcher.store, analysis.language, self.settings.data_dir)
        done = time.perf_counter()
        return self._answer(analysis, frame, grounded, answer_text, citations, facts, recommendations,
                            (clock, t_analysis, t_embed, t_search, t_metrics, done))

    def _answer(self, analysis, frame, grounded, text, citations, facts, recommendations, clocks) -> Answer:
        clock, t_analysis, t_embed, t_search, t_metrics, done = clocks
        timings = {"analysis": t_analysis - clock, "embedding": t_embed - t_analysis, "search": t_search - t_embed,
                   "metrics": t_metrics - t_search, "drafting": done - t_metrics, "total": done - clock}
        answer = Answer(question=analysis.question, language=analysis.language, intent=analysis.intent,
                        grounded=grounded, text=text, citations=tuple(citations), metrics=tuple(facts),
                        recommendations=tuple(recommendations), frame=frame, missing=frame.missing,
                        timings_ms={k: round(v * 1000, 2) for k, v in timings.items()})
        return llm_rewrite(answer, self.settings)  # guarded LLM prose; unchanged unless QOLJETIM_LLM_URL is set

    def _draft(self, analysis: QueryAnalysis, frame: Frame, hits: list[Hit], facts: list[MetricFact],
               grounded: bool):
        """(text, citations, facts, grounded): a SWOT/PEST/brief structure when one is asked for, else the
        answer-first extractive answer; an answer whose passages say nothing to the question becomes a refusal."""
        if not grounded:
            return refusal(analysis.language), [], [], False
        if analysis.intent in FRAMEWORK_GROUPS:
            drafted = draft_framework(analysis, self.searcher)
            if drafted is not None:
                text, citations, framework_facts = drafted
                return text, citations, framework_facts, True
        text, citations = draft_answer(analysis, frame, self.searcher.with_siblings(hits), facts,
                                       self.searcher.store.term_weights(), self.settings.data_dir)
        if not citations:
            return refusal(analysis.language), [], [], False
        return text, citations, facts, grounded
