"""LLM settings: read once from QOLJETIM_LLM_*, off by default, bad values stopped with a message that says how."""
from __future__ import annotations

import pytest

from indexer.errors import ConfigError
from indexer.settings import load_settings


def test_llm_drafting_is_off_by_default():
    settings = load_settings({})
    assert settings.llm_url == "" and not settings.llm_enabled and settings.llm_timeout_s == 30.0


def test_the_llm_is_configured_from_the_environment_and_the_key_is_never_shown():
    settings = load_settings({"QOLJETIM_LLM_URL": "http://127.0.0.1:11434/v1", "QOLJETIM_LLM_MODEL": "qwen2.5:7b",
                              "QOLJETIM_LLM_KEY": "sk-very-secret", "QOLJETIM_LLM_TIMEOUT": "12.5"})
    assert (settings.llm_url, settings.llm_model, settings.llm_key, settings.llm_timeout_s) == (
        "http://127.0.0.1:11434/v1", "qwen2.5:7b", "sk-very-secret", 12.5)
    assert settings.llm_enabled and "sk-very-secret" not in repr(settings)
    assert settings.without_llm().llm_url == "" and settings.without_llm().index_dir == settings.index_dir


@pytest.mark.parametrize("env, message", [
    ({"QOLJETIM_LLM_URL": "127.0.0.1:8000/v1", "QOLJETIM_LLM_MODEL": "m"}, "must start with http"),
    ({"QOLJETIM_LLM_URL": "http://127.0.0.1:8000/v1"}, "QOLJETIM_LLM_MODEL"),
    ({"QOLJETIM_LLM_URL": "http://127.0.0.1:8000/v1", "QOLJETIM_LLM_MODEL": "m", "QOLJETIM_LLM_TIMEOUT": "0"},
     "QOLJETIM_LLM_TIMEOUT"),
    ({"QOLJETIM_LLM_URL": "http://127.0.0.1:8000/v1", "QOLJETIM_LLM_MODEL": "m", "QOLJETIM_LLM_TIMEOUT": "soon"},
     "not a number"),
])
def test_bad_llm_settings_are_refused_with_a_fix(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env)
