"""One-off import of the conversations and feedback kept by earlier versions in data/app/conversations.sqlite3
(single-user, plain sqlite3) into the app database, as local-mode rows; the old file is then renamed *.imported."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from .db import conversations as conv_t
from .db import feedback as feedback_t
from .db import messages as msg_t

log = logging.getLogger(__name__)


def import_legacy(engine: Engine, old: Path) -> int:
    """Copy the old file's rows (ids renumbered) and rename it; returns the number of conversations imported."""
    old = Path(old)
    if not old.is_file():
        return 0
    source = sqlite3.connect(old)
    try:
        conversations = source.execute("SELECT id, title, created FROM conversations ORDER BY id").fetchall()
        messages = source.execute("SELECT id, conversation_id, role, content, payload, created FROM messages "
                                  "ORDER BY id").fetchall()
        feedback = source.execute("SELECT message_id, rating, comment, question, answer, citation_ids, created "
                                  "FROM feedback ORDER BY id").fetchall()
    except sqlite3.DatabaseError as exc:
        log.warning("%s could not be read (%s); it was left in place", old, exc)
        return 0
    finally:
        source.close()
    conversation_ids, message_ids = {}, {}
    with engine.begin() as db:
        for old_id, title, created in conversations:
            result = db.execute(conv_t.insert().values(user_id=None, title=title, created=created))
            conversation_ids[old_id] = result.inserted_primary_key[0]
        for old_id, conversation_id, role, content, payload, created in messages:
            if conversation_id in conversation_ids:
                result = db.execute(msg_t.insert().values(conversation_id=conversation_ids[conversation_id],
                                                          role=role, content=content, payload=payload,
                                                          created=created))
                message_ids[old_id] = result.inserted_primary_key[0]
        for message_id, rating, comment, question, answer, citation_ids, created in feedback:
            if message_id in message_ids:
                db.execute(feedback_t.insert().values(user_id=None, message_id=message_ids[message_id],
                                                      rating=rating, comment=comment, question=question,
                                                      answer=answer, citation_ids=citation_ids, created=created))
    old.rename(old.with_name(old.name + ".imported"))
    log.info("imported %d conversations from %s", len(conversations), old)
    return len(conversations)
