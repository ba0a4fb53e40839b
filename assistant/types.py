"""The values that flow between the stages: query analysis, hits, citations, metric facts, recommendations and
the answer itself (with its JSON form both ways). Every stage imports from here; nothing here imports a stage."""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer.documents import Chunk


@dataclass(frozen=True)
class QueryAnalysis:
    question: str
    language: str
    intent: str
    entities: tuple[str, ...]
    years: tuple[int, ...]
    terms: tuple[str, ...]  # glossary term ids recognised
    expansion: str  # the recognised terms and entity names in the other two languages

    @property
    def lexical_query(self) -> str:
        return f"{self.question} {self.expansion}".strip()


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused and boosted score
    dense: float  # cosine similarity with the question
    bm25: float
    position: int

    def as_dict(self) -> dict:
        c = self.chunk
        return {"doc_id": c.doc_id, "title": c.title, "source": c.source, "page": c.page, "section": c.section,
                "row": c.row, "language": c.language, "type": c.doc_type, "translation_group": c.translation_group,
                "score": round(self.score, 5), "dense": round(self.dense, 4), "text": c.text,
                "act": c.act, "article": c.article, "paragraph": c.paragraph}


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    source: str
    page: int | None
    section: str
    text: str
    score: float
    kind: str = "passage"  # passage | data
    meta: dict = field(default_factory=dict, hash=False, compare=False)
    act: str = ""  # a passage of a law: its act number, article and paragraph, and the formatted reference
    article: str = ""
    paragraph: str = ""
    reference: str = ""  # «Закон РК «О государственных услугах» № 88-V, ст. 25, п. 2 (ред. на 27.06.2022)»

    @classmethod
    def of_passage(cls, n: int, chunk: Chunk, score: float) -> "Citation":
        """The citation of an index passage, carrying its article and paragraph when it is part of a law."""
        return cls(n, chunk.doc_id, chunk.title, chunk.source, chunk.page, chunk.section, chunk.text, score,
                   meta={"doc_type": chunk.doc_type}, act=chunk.act, article=chunk.article,
                   paragraph=chunk.paragraph)

    def as_dict(self) -> dict:
        return {"n": self.n, "doc_id": self.doc_id, "title": self.title, "source": self.source, "page": self.page,
                "section": self.section, "text": self.text, "score": round(self.score, 5), "kind": self.kind,
                "type": self.meta.get("doc_type", "data" if self.kind == "data" else ""), "meta": self.meta,
                "act": self.act, "article": self.article, "paragraph": self.paragraph, "reference": self.reference}

    @classmethod
    def from_dict(cls, c: dict) -> "Citation":
        return cls(c["n"], c["doc_id"], c["title"], c["source"], c.get("page"), c.get("section", ""),
                   c.get("text", ""), c.get("score", 0.0), c.get("kind", "passage"), c.get("meta", {}),
                   c.get("act", ""), c.get("article", ""), c.get("paragraph", ""), c.get("reference", ""))


@dataclass(frozen=True)
class MetricFact:
    indicator: str
    label: str
    value: float
    unit: str
    period: str
    entity: str
    entity_name: str
    source: str  # "tables/x.csv rows 4, 5 (Samarkhanov et al. 2025, Table 1)"
    kind: str = "value"  # value | derived | yoy | trend | rank | max | min | breach
    year: int | None = None
    previous: float | None = None  # the value a year before, when there is one

    def as_dict(self) -> dict:
        return {"id": self.indicator, "label": self.label, "value": self.value, "unit": self.unit,
                "period": self.period, "entity": self.entity_name or self.entity, "entity_id": self.entity,
                "source": self.source, "kind": self.kind, "previous": self.previous}

    @classmethod
    def from_dict(cls, m: dict) -> "MetricFact":
        return cls(indicator=m["id"], label=m["label"], value=m["value"], unit=m["unit"], period=m["period"],
                   entity=m.get("entity_id", ""), entity_name=m["entity"], source=m["source"],
                   kind=m.get("kind", "value"), previous=m.get("previous"))


@dataclass(frozen=True)
class Recommendation:
    title: str
    problem: str
    actions: tuple[str, ...]
    responsible: tuple[str, ...]
    kpis: tuple[str, ...]
    evidence: tuple[int, ...]
    metrics: tuple[MetricFact, ...]
    legal_basis: str = ""
    expected_effect: str = ""
    lever_id: str = ""
    triggered: bool = False

    def as_dict(self) -> dict:
        return {"title": self.title, "problem": self.problem, "actions": list(self.actions),
                "responsible": list(self.responsible), "kpis": list(self.kpis), "evidence": list(self.evidence),
                "metrics": [f.as_dict() for f in self.metrics], "legal_basis": self.legal_basis,
                "expected_effect": self.expected_effect, "lever_id": self.lever_id, "triggered": self.triggered}

    @classmethod
    def from_dict(cls, r: dict) -> "Recommendation":
        return cls(title=r["title"], problem=r["problem"], actions=tuple(r["actions"]),
                   responsible=tuple(r["responsible"]), kpis=tuple(r["kpis"]), evidence=tuple(r["evidence"]),
                   metrics=tuple(MetricFact.from_dict(m) for m in r.get("metrics", [])),
                   legal_basis=r.get("legal_basis", ""), expected_effect=r.get("expected_effect", ""),
                   lever_id=r.get("lever_id", ""), triggered=r.get("triggered", False))


@dataclass(frozen=True)
class Answer:
    question: str
    language: str
    intent: str
    grounded: bool
    text: str
    citations: tuple[Citation, ...]
    metrics: tuple[MetricFact, ...]
    recommendations: tuple[Recommendation, ...] = ()
    timings_ms: dict = field(default_factory=dict, hash=False, compare=False)

    def as_dict(self) -> dict:
        return {"question": self.question, "language": self.language, "intent": self.intent,
                "grounded": self.grounded, "answer": self.text,
                "citations": [c.as_dict() for c in self.citations],
                "metrics": [m.as_dict() for m in self.metrics],
                "recommendations": [r.as_dict() for r in self.recommendations]}

    @classmethod
    def from_dict(cls, data: dict) -> "Answer":
        """Rebuild an Answer from its JSON form (a stored conversation), e.g. to export it again."""
        return cls(question=data["question"], language=data["language"], intent=data["intent"],
                   grounded=data["grounded"], text=data["answer"],
                   citations=tuple(Citation.from_dict(c) for c in data.get("citations", [])),
                   metrics=tuple(MetricFact.from_dict(m) for m in data.get("metrics", [])),
                   recommendations=tuple(Recommendation.from_dict(r) for r in data.get("recommendations", [])))
