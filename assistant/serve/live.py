"""The loaded assistant for a long-running server: loaded once, reloaded when a build flips the index to a
new generation, one question at a time per process (the embedder is not shared across threads)."""
from __future__ import annotations

import logging
import threading

from indexer.settings import Settings
from indexer.store import live_generation

log = logging.getLogger(__name__)


class LiveAssistant:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._assistant = None
        self._generation = None
        self._load_lock = threading.Lock()
        self.ask_lock = threading.Lock()

    def get(self):
        """The assistant for the live index generation (raises the index's own error when there is none)."""
        from assistant.service import Assistant

        generation = live_generation(self.settings.index_dir)
        if self._assistant is not None and generation == self._generation:
            return self._assistant
        with self._load_lock:
            if self._assistant is None or generation != self._generation:
                self._assistant = Assistant(self.settings)
                self._generation = generation
                log.info("assistant loaded on index generation %s", generation.name if generation else None)
        return self._assistant

    def ready(self) -> tuple[bool, str]:
        try:
            assistant = self.get()
        except Exception as exc:  # the reason is the readiness answer
            return False, str(exc)
        return True, f"{len(assistant.searcher.store.chunks)} chunks"
