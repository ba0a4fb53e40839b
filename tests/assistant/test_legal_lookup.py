"""Direct article lookup and legal citations, on an index of real excerpts of the shipped official texts
(Articles 15–17 and 23–25 of Law No. 88-V in Russian and Kazakh, cut from corpus/legal at test time)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.serve.evaluation import untraceable
from assistant.service import Assistant
from assistant.understand.legal_refs import find_article_ref, format_reference
from indexer.build import build_index
from indexer.documents import Chunk
from indexer.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
LEGAL = ROOT / "corpus" / "legal"
KEEP = {"ru": [("### Статья 15.", "### Статья 18."), ("### Статья 23.", "## Глава 5.")],
        "kk": [("### 15-бап.", "### 18-бап."), ("### 23-бап.", "## 5-тарау.")]}


def excerpt(lang: str) -> str:
    """The front matter and two runs of articles of the shipped text, verbatim."""
    text = (LEGAL / f"public-services-law-88-v.{lang}.md").read_text(encoding="utf-8")
    head_end = text.index("\n---\n", 4) + 5
    parts = [text[:head_end]]
    for start, end in KEEP[lang]:
        parts.append(text[text.index(start):text.index(end)])
    return "\n".join(parts)


@pytest.fixture(scope="module")
def lawyer(tmp_path_factory) -> Assistant:
    corpus = tmp_path_factory.mktemp("legal-corpus")
    (corpus / "legal").mkdir()
    for lang in ("ru", "kk"):
        (corpus / "legal" / f"public-services-law-88-v.{lang}.md").write_text(excerpt(lang), encoding="utf-8")
    settings = Settings().with_overrides(corpus_dirs=[corpus], index_dir=tmp_path_factory.mktemp("legal-index"))
    report = build_index(settings)
    assert report.written and report.count("indexed") == 2
    return Assistant(settings)


@pytest.mark.parametrize("question, article, paragraph, act", [
    ("статья 25", "25", "", None), ("ст. 25 закона о госуслугах", "25", "", "88-V"),
    ("Что говорит п. 2 ст. 25 Закона «О государственных услугах»?", "25", "2", "88-V"),
    ("25-бап", "25", "", None), ("Мемлекеттік көрсетілетін қызметтер туралы заңның 25-бабының 2-тармағы", "25", "2",
                                 "88-V"),
    ("Article 25 of the Law on public services", "25", "", "88-V"), ("What does Art. 19-1(3) say?", "19-1", "3", None),
    ("Статья 8 закона о доступе к информации", "8", "", "401-V"),
])
def test_article_references_are_read(question, article, paragraph, act):
    ref = find_article_ref(question, ROOT / "data")
    assert ref is not None and (ref.article, ref.paragraph) == (article, paragraph)
    assert (ref.act.number if ref.act else None) == act


@pytest.mark.parametrize("question", ["Какие выводы содержатся в статье о государственных услугах ЗКО?",
                                      "What does the article say about Estonia?", "Сколько жалоб в 2024 году?"])
def test_questions_without_an_article_number_are_not_lookups(question):
    assert find_article_ref(question, ROOT / "data") is None


@pytest.mark.parametrize("lang, expected", [
    ("ru", "Закон РК «О государственных услугах» № 88-V, ст. 25, п. 2 (ред. на 27.06.2022)"),
    ("kk", "«Мемлекеттік көрсетілетін қызметтер туралы» ҚР Заңы № 88-V, 25-бап, 2-тармақ (27.06.2022 редакциясы)"),
    ("en", "Law No. 88-V, Art. 25(2) (as of 27.06.2022)"),
])
def test_citation_format_in_three_languages(lang, expected):
    chunk = Chunk("x", "d", "Закон", "legal/x.ru.md", "law", "ru", "g", "2. Текст.", None, "Статья 25.", 0, 9,
                  act="88-V", article="25", paragraph="2")
    assert format_reference(chunk, lang, "2022-06-27", ROOT / "data") == expected


def test_a_document_outside_the_act_list_is_named_by_its_title():
    chunk = Chunk("x", "d", "Правила приёма", "rules.pdf", "document", "ru", "g", "1. Текст.", 3, "Статья 4.", 0, 9,
                  article="4", paragraph="1")
    assert format_reference(chunk, "ru", "", ROOT / "data") == "Правила приёма, ст. 4, п. 1"


def test_article_opens_with_every_paragraph_cited_and_both_dates(lawyer):
    answer = lawyer.ask("статья 25")
    assert answer.grounded and answer.intent == "article" and answer.language == "ru"
    primary = [c for c in answer.citations if c.meta.get("language") == "ru"]
    assert [c.paragraph for c in primary] == ["1", "2", "3", "4"]
    assert primary[1].reference == "Закон РК «О государственных услугах» № 88-V, ст. 25, п. 2 (ред. на 27.06.2022)"
    assert "в течение пяти рабочих дней" in answer.text
    kazakh = [c for c in answer.citations if c.meta.get("language") == "kk"]
    assert kazakh and kazakh[0].article == "25"
    assert "27.06.2022" in answer.text and "14.07.2022" in answer.text and "adilet.zan.kz" in answer.text
    assert all("Сноска" not in c.text for c in answer.citations)
    assert "408-V" in primary[0].meta["note"]
    assert untraceable(answer) == []


@pytest.mark.parametrize("question, lang, reference", [
    ("25-бап", "kk", "«Мемлекеттік көрсетілетін қызметтер туралы» ҚР Заңы № 88-V, 25-бап, 1-тармақ (14.07.2022 редакциясы)"),
    ("Article 25 of the Law on public services", "en", "Law No. 88-V, Art. 25(1) (as of 27.06.2022)"),
    ("п. 2 ст. 25 закона о госуслугах", "ru", "Закон РК «О государственных услугах» № 88-V, ст. 25, п. 2 (ред. на 27.06.2022)"),
])
def test_article_lookup_in_each_language(lawyer, question, lang, reference):
    answer = lawyer.ask(question)
    assert answer.intent == "article" and answer.language == lang
    assert answer.citations[0].reference == reference


def test_repealed_article_says_so(lawyer):
    answer = lawyer.ask("статья 16 закона о госуслугах")
    assert answer.grounded and "исключена" in answer.text and "272-VI" in answer.text


def test_missing_article_is_reported_not_invented(lawyer):
    answer = lawyer.ask("статья 99 закона о госуслугах")
    assert not answer.grounded and answer.citations == () and "99" in answer.text


def test_ordinary_question_cites_the_article_it_found(lawyer):
    answer = lawyer.ask("В какой срок рассматривается жалоба услугополучателя в Государственную корпорацию?")
    assert answer.grounded
    legal = [c for c in answer.citations if c.kind == "passage"]
    assert legal and all(c.article and c.reference for c in legal)
    assert legal[0].article == "25"


def test_citation_json_keeps_old_keys_and_adds_legal_ones(lawyer):
    citation = lawyer.ask("статья 24").citations[0].as_dict()
    old = {"n", "doc_id", "title", "source", "page", "section", "text", "score", "kind", "type", "meta"}
    assert old | {"act", "article", "paragraph", "reference"} <= set(citation)
    assert json.loads(json.dumps(citation, ensure_ascii=False))["article"] == "24"


def test_the_index_is_calibrated(lawyer):
    bars = {lang: lawyer.searcher.store.grounding_bar(lang) for lang in ("ru", "kk", "en")}
    assert all(0.5 < bar < 0.99 for bar in bars.values()), bars


def test_without_a_law_in_the_index_an_article_question_is_searched(small_index):
    answer = Assistant(small_index).ask("Что говорится в статье 5 о доле бумажных услуг?")
    assert answer.intent != "article"


@pytest.mark.parametrize("question, grounded", [
    ("Кто написал роман «Война и мир»?", False), ("Абай Құнанбаевтың өлеңдерін кім аударды?", False),
    ("What is the capital of Australia?", False), ("Как подать жалобу на услугодателя?", True),
    ("Шағым қанша уақытта қаралады?", True),
])
def test_calibrated_bar_separates_off_topic_from_legal_questions(lawyer, question, grounded):
    """The bar was calibrated on this index alone (its passages vs generic off-topic probes, none of these)."""
    assert lawyer.ask(question).grounded is grounded
