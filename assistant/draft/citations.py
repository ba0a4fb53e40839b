"""Citations numbered in order of first use, shared by an answer and its recommendations: a passage or a data
row cited twice keeps its first number."""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.types import Citation, Hit, MetricFact


@dataclass
class CitationBook:
    """Numbers citations in order of first use; shared by the answer and its recommendations."""
    citations: list[Citation] = field(default_factory=list)

    def passage(self, hit: Hit) -> int:
        for c in self.citations:
            if c.kind == "passage" and c.doc_id == hit.chunk.doc_id and c.text == hit.chunk.text:
                return c.n
        self.citations.append(Citation.of_passage(len(self.citations) + 1, hit.chunk, hit.score))
        return len(self.citations)

    def fact(self, fact: MetricFact) -> int:
        for c in self.citations:
            if c.kind == "data" and c.text == fact.source and c.meta.get("value") == fact.value:
                return c.n
        self.citations.append(Citation(len(self.citations) + 1, fact.indicator, fact.label,
                                       fact.source.split(" (")[0], None, fact.entity_name, fact.source, 1.0,
                                       kind="data", meta=fact.as_dict()))
        return len(self.citations)
