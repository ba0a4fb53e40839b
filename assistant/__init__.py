"""Qoljetim's assistant: understand → retrieve → measure → draft, served by the CLI, the app and the API.

The public face is small: `from assistant import Assistant, Answer`. Stages live in subpackages
(understand/, retrieve/, measure/, draft/, serve/) and talk through the types in `assistant.types`."""
from __future__ import annotations

__all__ = ["Answer", "Assistant"]


def __getattr__(name: str):  # imported lazily: the model and the index load only when asked for
    if name == "Assistant":
        from assistant.service import Assistant
        return Assistant
    if name == "Answer":
        from assistant.types import Answer
        return Answer
    raise AttributeError(name)
