"""The values that flow between the stages: query analysis, hits, citations, metric facts, recommendations and
the answer itself (with its JSON form both ways). Every stage imports from here; nothing here imports a stage."""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer.documents import Chunk


@dataclass(frozen=True)
class Missing:
    """Something the question asked for that the documents do not hold."""
    kind: str  # year | region | city | entity | indicator | personal_data
    detail: str  # what exactly: "2025", "Aktobe Region", "salary"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "detail": self.detail}


@dataclass(frozen=True)
class Frame:
    """What the question asks, resolved against what exists: asks (primary first), units, indicators, periods."""
    asks: tuple[str, ...]  # value | list | compare | rank | threshold | change | share | definition | legal | why |
    #                         what_to_do | swot | pest | brief
    entities: tuple[str, ...] = ()  # gazetteer ids inside the data's coverage
    outside: tuple[str, ...] = ()  # recognised places outside the data's coverage
    indicators: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    period: str = ""  # "" (latest) | year | range | since | before
    missing: tuple[Missing, ...] = ()
    low: bool = False  # the question looks for the lowest values (min, fewest, least loaded)
    threshold: float | None = None  # a bar the question names ("above 0.5"); else the indicator's own
    figures_asked: int = 1  # how many figures the question asks for ("how many staff and how many services": 2)
    top: int = 1  # how many units a ranking asks for ("which two departments…": 2)

    @property
    def primary(self) -> str:
        return self.asks[0] if self.asks else "value"

    def wants(self, *asks: str) -> bool:
        return any(a in self.asks for a in asks)

    def as_dict(self) -> dict:
        return {"asks": list(self.asks), "entities": list(self.entities), "outside": list(self.outside),
                "indicators": list(self.indicators), "years": list(self.years), "period": self.period}


@dataclass(frozen=True)
class QueryAnalysis:
    question: str
    language: str
    intent: str
    entities: tuple[str, ...]
    years: tuple[int, ...]
    terms: tuple[str, ...]  # glossary term ids recognised
    expansion: str  # the recognised terms and entity names in the other two languages
    asks: tuple[str, ...] = ()  # the ask types found by lexical cues (the classifier adds its vote later)

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
    decimals: int | None = None  # the precision of the source (1,00 stays 1,00)
    inputs: tuple[float, ...] = ()  # the row values a computed fact (a change) rests on
    threshold: float | None = None  # the bar a threshold test compared this value with

    def as_dict(self) -> dict:
        return {"id": self.indicator, "label": self.label, "value": self.value, "unit": self.unit,
                "period": self.period, "entity": self.entity_name or self.entity, "entity_id": self.entity,
                "source": self.source, "kind": self.kind, "previous": self.previous, "inputs": list(self.inputs),
                "decimals": self.decimals, "threshold": self.threshold}

    @classmethod
    def from_dict(cls, m: dict) -> "MetricFact":
        return cls(indicator=m["id"], label=m["label"], value=m["value"], unit=m["unit"], period=m["period"],
                   entity=m.get("entity_id", ""), entity_name=m["entity"], source=m["source"],
                   kind=m.get("kind", "value"), previous=m.get("previous"), inputs=tuple(m.get("inputs") or ()),
                   decimals=m.get("decimals"), threshold=m.get("threshold"))


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
class GuardNote:
    """Why a drafted sentence was dropped, or why a draft was not used at all (then `sentence` is empty).

    reason: uncited | dangling_citation | unsupported_figure | wrong_language (a sentence), or
    fallback:<cause> (the extractive answer was kept: too_little_left, wrong_language, endpoint_down, timeout,
    http_error, malformed_response, stream_cut)."""
    reason: str
    sentence: str = ""
    detail: str = ""

    @property
    def is_fallback(self) -> bool:
        return self.reason.startswith("fallback:")

    def as_dict(self) -> dict:
        return {"reason": self.reason, "sentence": self.sentence, "detail": self.detail}

    @classmethod
    def from_dict(cls, g: dict) -> "GuardNote":
        return cls(reason=g["reason"], sentence=g.get("sentence", ""), detail=g.get("detail", ""))


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
    frame: Frame | None = None
    missing: tuple[Missing, ...] = ()
    drafted_by: str = "extractive"  # or "llm:<model>" when a guarded LLM draft replaced the extractive text
    guard: tuple[GuardNote, ...] = ()  # drafted sentences dropped, or why the draft was not used

    def as_dict(self) -> dict:
        return {"question": self.question, "language": self.language, "intent": self.intent,
                "grounded": self.grounded, "answer": self.text,
                "citations": [c.as_dict() for c in self.citations],
                "metrics": [m.as_dict() for m in self.metrics],
                "recommendations": [r.as_dict() for r in self.recommendations],
                "missing": [m.as_dict() for m in self.missing],
                "frame": self.frame.as_dict() if self.frame else None,
                "drafted_by": self.drafted_by, "guard": [g.as_dict() for g in self.guard]}

    @classmethod
    def from_dict(cls, data: dict) -> "Answer":
        """Rebuild an Answer from its JSON form (a stored conversation), e.g. to export it again."""
        return cls(question=data["question"], language=data["language"], intent=data["intent"],
                   grounded=data["grounded"], text=data["answer"],
                   citations=tuple(Citation.from_dict(c) for c in data.get("citations", [])),
                   metrics=tuple(MetricFact.from_dict(m) for m in data.get("metrics", [])),
                   recommendations=tuple(Recommendation.from_dict(r) for r in data.get("recommendations", [])),
                   missing=tuple(Missing(m["kind"], m["detail"]) for m in data.get("missing", [])),
                   drafted_by=data.get("drafted_by", "extractive"),
                   guard=tuple(GuardNote.from_dict(g) for g in data.get("guard", [])))
