"""Uploads stay inside the library folder and are checked by content; conversations and feedback persist."""
from __future__ import annotations

import pytest

from assistant.serve.conversations import ConversationStore
from assistant.serve.db import open_database
from assistant.serve.library import UploadError, remove_document, safe_name, save_upload

PDF = b"%PDF-1.4\n% minimal\n"


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"), ("/abs/path/отчёт 2024.pdf", "отчёт 2024.pdf"),
    ("C:\\\\Users\\\\x\\\\doc.docx", "doc.docx"), ("bad\x00name\x07.md", "badname.md"), ("...", "document"),
    ("a<script>.csv", "a_script_.csv"),
])
def test_safe_names(name, expected):
    assert safe_name(name) == expected


@pytest.mark.parametrize("name, data, reason", [
    ("x.pdf", b"", "empty"), ("x.exe", b"MZ", "not supported"), ("x.pdf", b"just text", "not a .pdf file"),
    ("x.docx", PDF, "not a .docx file"), ("x.txt", b"\x00\x01\x02binary", "not a .txt file"),
    ("x.txt", b"a" * 2000, "limit is"),
])
def test_bad_uploads_are_refused_with_a_reason(tmp_path, name, data, reason):
    with pytest.raises(UploadError, match=reason):
        save_upload(tmp_path / "lib", name, data, max_bytes=1000)
    assert not any((tmp_path / "lib").glob("*")) if (tmp_path / "lib").exists() else True


def test_upload_lands_inside_the_library_and_can_be_removed(tmp_path):
    library = tmp_path / "lib"
    path = save_upload(library, "../../../outside.pdf", PDF, max_bytes=10_000)
    assert path == (library / "outside.pdf").resolve() and path.read_bytes() == PDF
    assert not (tmp_path / "outside.pdf").exists()
    with pytest.raises(UploadError):
        remove_document(library, "../lib2/x.pdf")
    remove_document(library, "outside.pdf")
    assert not path.exists()


def test_conversations_and_feedback_persist(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'app' / 'c.sqlite3'}")
    store = ConversationStore(db)
    cid = store.new_conversation("Сколько жалоб?")
    store.add_message(cid, "user", "Сколько жалоб?")
    mid = store.add_message(cid, "assistant", "71 [1]", {"answer": "71 [1]", "citations": [{"doc_id": "d1"}]})
    store.add_feedback(mid, -1, "нет года", "Сколько жалоб?", "71 [1]", ["d1"])
    reopened = ConversationStore(db)
    assert reopened.conversations() == [(cid, "Сколько жалоб?")]
    messages = reopened.messages(cid)
    assert [m.role for m in messages] == ["user", "assistant"] and messages[1].payload["answer"] == "71 [1]"
    assert reopened.feedback() == [{"message_id": mid, "rating": -1, "comment": "нет года",
                                    "question": "Сколько жалоб?", "citation_ids": ["d1"]}]
    with pytest.raises(ValueError):
        reopened.add_feedback(mid, 5, "", "", "", [])
    reopened.delete_conversation(cid)
    assert reopened.conversations() == [] and reopened.messages(cid) == []
