"""Pure rank-fusion and diversity functions (no I/O), used by retrieval."""
from __future__ import annotations

from typing import Hashable, Sequence

import numpy as np

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[Hashable]], weights: Sequence[float] | None = None,
                           k: int = RRF_K) -> dict[Hashable, float]:
    """Fuse ranked lists: score(d) = Σ w_i / (k + rank_i(d)), ranks counted from 1. Higher is better."""
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is needed")
    fused: dict[Hashable, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def top_items(scores: dict[Hashable, float], n: int) -> list[tuple[Hashable, float]]:
    """The n best items, ties broken by the item itself so the order is reproducible."""
    return sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))[:n]


def mmr(candidates: Sequence[Hashable], relevance: Sequence[float], vectors: np.ndarray, n: int,
        lambda_: float = 0.7) -> list[Hashable]:
    """Maximal marginal relevance: pick n items trading relevance against similarity to those already picked.

    `relevance` is normalised to [0, 1] internally; `vectors` are unit rows aligned with `candidates`.
    """
    if not len(candidates):
        return []
    rel = np.asarray(relevance, dtype=np.float64)
    span = rel.max() - rel.min()
    rel = (rel - rel.min()) / span if span > 0 else np.ones_like(rel)
    sims = np.asarray(vectors, dtype=np.float64) @ np.asarray(vectors, dtype=np.float64).T
    chosen: list[int] = []
    remaining = list(range(len(candidates)))
    while remaining and len(chosen) < n:
        if chosen:
            redundancy = sims[np.ix_(remaining, chosen)].max(axis=1)
        else:
            redundancy = np.zeros(len(remaining))
        gains = lambda_ * rel[remaining] - (1 - lambda_) * redundancy
        best = remaining[int(np.argmax(gains))]
        chosen.append(best)
        remaining.remove(best)
    return [candidates[i] for i in chosen]
