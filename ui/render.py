"""Safe text for st.markdown: document and question text is escaped (never rendered as HTML or links)."""
from __future__ import annotations

import re

from indexer.analysis import tokenize

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<:$])")
_WORD = re.compile(r"[^\W_]+", re.U)


def escape_md(text: str) -> str:
    """Escape every Markdown control character (and so any HTML tag) so the text shows as typed."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def highlight(text: str, question: str, limit: int = 700) -> str:
    """Escaped passage (cut to `limit` characters) with the words it shares with the question highlighted."""
    wanted = set(tokenize(question))
    clip = str(text)[:limit] + ("…" if len(str(text)) > limit else "")
    out, last = [], 0
    for match in _WORD.finditer(clip):
        out.append(escape_md(clip[last:match.start()]))
        word = match.group(0)
        terms = tokenize(word)
        out.append(f":orange-background[{escape_md(word)}]" if terms and terms[0] in wanted else escape_md(word))
        last = match.end()
    out.append(escape_md(clip[last:]))
    return "".join(out)
