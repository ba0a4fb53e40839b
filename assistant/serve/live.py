"""The loaded assistant for a long-running server: loaded once, reloaded when a build flips the index to a
new generation, one question at a time per process (the embedder is not shared across threads)."""
from __future__ import annotations

import logging
import threading
import time

from indexer.settings import Settings
from indexer.pgstore import PgPassageStore, published_build, uses_postgres
from indexer.store import live_generation

log = logging.getLogger(__name__)
RECHECK_SECONDS = 2.0  # how often a PostgreSQL-backed server looks for a newly published build


class LiveAssistant:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._assistant = None
        self._generation = None
        self._load_lock = threading.Lock()
        self.ask_lock = threading.Lock()
        self._checked, self._published = 0.0, None

    def get(self):
        """The assistant for the live index generation (raises the index's own error when there is none)."""
        generation = self._current()
        if self._assistant is not None and generation == self._generation:
            return self._assistant
        with self._load_lock:
            if self._assistant is None or generation != self._generation:
                self._assistant = self._load()
                self._generation = generation
                log.info("assistant loaded on index generation %s", generation)
        return self._assistant

    def _current(self) -> str | None:
        """The live build: the embedded CURRENT generation, or the build published in PostgreSQL."""
        if uses_postgres(self.settings.database_url):
            now = time.monotonic()
            if self._generation is None or now - self._checked > RECHECK_SECONDS:
                self._checked, self._published = now, published_build(self.settings.database_url)
            return self._published
        generation = live_generation(self.settings.index_dir)
        return generation.name if generation else None

    def _load(self):
        from assistant.retrieve.retrieval import Searcher
        from assistant.service import Assistant

        if uses_postgres(self.settings.database_url):
            store = PgPassageStore.load(self.settings.database_url)
            return Assistant(self.settings, Searcher(self.settings, store=store))
        return Assistant(self.settings)

    def ready(self) -> tuple[bool, str]:
        try:
            assistant = self.get()
        except Exception as exc:  # the reason is the readiness answer
            return False, str(exc)
        return True, f"{len(assistant.searcher.store.chunks)} chunks"
