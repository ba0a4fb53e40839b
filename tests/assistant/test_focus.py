"""Answerability and focus without the model: quantities the documents never give, figures a passage prints,
share and count siblings, published precision, off-topic questions and settled one-figure answers (the data files
of the repository, tiny passages made here)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from indexer.documents import Chunk

from assistant.draft.focus import excerpt, lead_line, other_figures, settles, split_settled
from assistant.draft.passages import Unit
from assistant.measure.knowledge import as_published
from assistant.retrieve.grounding import off_topic
from assistant.types import Frame, Hit, MetricFact
from assistant.understand.measures import (asked_kind_first, figures_asked, prints_figure, share_asked,
                                           unmeasured)
from assistant.understand.query import analyse

DATA = Path(__file__).resolve().parents[2] / "data"


def hit(text: str, position: int = 0) -> Hit:
    chunk = Chunk(f"c{position}", "d", "Note", "note.md", "finding", "en", "g", text, None, "", 0, len(text))
    return Hit(chunk, 1.0 - position / 10, 0.9, 0.0, position)


def fact(value: float, kind: str = "value") -> MetricFact:
    return MetricFact(indicator="complaints", label="Complaints", value=value, unit="count", period="2023",
                      entity="wkr", entity_name="West Kazakhstan Region", source="Table 5", kind=kind)


@pytest.mark.parametrize("sentence, figure", [
    ("(Samarkhanov et al., 2025, Table 5)", False),
    ("Diagram 4 compares the practices of 2019–2024.", False),
    ("4-кесте бойынша статья 25 закона", False),
    ("1) the recipient files a complaint with the body", False),
    ("The article was published in 2025.", False),
    ("The district level has 146 rural districts.", True),
    ("Healthcare: 58,6 % of violations", True),
])
def test_what_prints_a_figure(sentence, figure):
    assert prints_figure(sentence) is figure


@pytest.mark.parametrize("question, measure", [
    ("What is the average salary of a specialist in the regional Department of Education?", "salary"),
    ("Сколько денег из бюджета выделено на цифровизацию госуслуг?", "бюджет и расходы"),
    ("Орал қаласындағы ХҚКО-да күту уақыты орташа қанша?", "күту уақыты"),
])
def test_a_quantity_no_passage_gives_is_missing(question, measure):
    analysis = analyse(question, DATA)
    frame = Frame(asks=("value",))
    assert unmeasured(frame, analysis, DATA, [hit("The department provides 34 services with 33 employees.")]) \
        == [measure]


def test_a_quantity_a_passage_gives_is_not_missing():
    analysis = analyse("What is the average salary of a specialist?", DATA)
    hits = [hit("The average salary of a specialist was 250,000 tenge.")]
    assert unmeasured(Frame(asks=("value",)), analysis, DATA, hits) == []


def test_asking_what_to_do_about_a_quantity_is_not_a_figure_request():
    analysis = analyse("How can satisfaction levels be raised?", DATA)
    assert unmeasured(Frame(asks=("what_to_do",)), analysis, DATA, []) == []


@pytest.mark.parametrize("question, count", [
    ("Сколько сотрудников в Байтерекском районе и сколько услуг они оказывают?", 2),
    ("How many complaints came in during 2023?", 1),
    ("Какие меры предлагаются?", 0),
])
def test_figures_asked_are_counted(question, count):
    assert figures_asked(question, DATA) == count


def test_the_asked_kind_leads_and_its_sibling_follows():
    assert asked_kind_first(("register_services_electronic",), True, DATA)[:2] == \
        ("register_electronic_share", "register_services_electronic")
    assert asked_kind_first(("register_electronic_share",), False, DATA)[:2] == \
        ("register_services_electronic", "register_electronic_share")
    assert share_asked("Сколько процентов услуг электронные?", ("value",), DATA)
    assert not share_asked("Сколько услуг электронные?", ("share",), DATA)


def test_ratios_are_shown_as_the_source_printed_them():
    assert as_published(92.35294, "kz", "register_electronic_share", None, DATA) == 92.3
    assert as_published(50.0, "kz", "register_electronic_share", None, DATA) == 50.0  # not a rounding: kept


def test_a_place_alone_does_not_make_a_question_about_the_domain():
    weather = analyse("Какая погода будет в Уральске завтра?", DATA)
    passage = [hit("Уральск: 13 отделов и 4 сельских округа.")]
    vocabulary = {"погод": 1.0, "уральск": 1.0, "отдел": 1.0}
    assert off_topic(weather, passage, vocabulary, DATA)
    workload = analyse("Какая нагрузка в отделах Уральска?", DATA)
    assert not off_topic(workload, passage, vocabulary, DATA)


def test_a_settled_answer_quotes_only_passages_without_other_figures():
    units = [Unit(hit("Complaints: 9 in 2021, 44 in 2022, 46 in 2023 and 71 in 2024.", 0), 0, "", 1.0),
             Unit(hit("The workload coefficient divides services by staff.", 1), 1, "", 0.9),
             Unit(hit("Rights restored: 35% in 2024.", 2), 2, "", 0.8)]
    units = [Unit(u.hit, u.rank, u.hit.chunk.text, u.score) for u in units]
    quoted, corroborating = split_settled(units, [fact(46)])
    assert [u.rank for u in quoted] == [1] and [u.rank for u in corroborating] == [0]
    assert other_figures(units[0].text, [fact(46)]) == {"9", "44", "71"}
    assert settles(Frame(asks=("value",), years=(2023,)), [fact(46)])
    assert not settles(Frame(asks=("value",), figures_asked=2), [fact(46)])
    assert not settles(Frame(asks=("change",)), [fact(46)])


def test_no_settling_when_no_passage_repeats_the_value():
    units = [Unit(hit("Paper-only services: 104 of 1,360.", 0), 0, "Paper-only services: 104 of 1,360.", 1.0)]
    assert split_settled(units, [fact(5229)]) == (units, [])


def test_without_a_table_the_best_figure_line_leads():
    text = "The akimat is organised on three levels:\n- district level: 12 akimats and 146 rural districts;\n" \
           "- city: 13 departments."
    units = [Unit(hit(text), 0, text, 1.0)]
    line, unit = lead_line(units, analyse("How many rural districts are there?", DATA), {})
    assert "146" in line and unit is units[0]


def test_a_line_may_count_the_data_rows_it_cites():
    from types import SimpleNamespace

    from assistant.draft.traceability import untraceable
    from assistant.types import Citation

    rows = [Citation(n, "t", "Table 1", "t.csv", None, "", text, 1.0, kind="data")
            for n, text in ((1, "Education: 1,03"), (2, "Land relations: 1,00"))]
    two = SimpleNamespace(text="Yes, 2 values: Education — 1.03; Land relations — 1.00 [1][2]", citations=rows)
    three = SimpleNamespace(text="Yes, 3 values: Education — 1.03; Land relations — 1.00 [1][2]", citations=rows)
    one = SimpleNamespace(text="Yes, 2 values: Education — 1.03 [1]", citations=rows)
    assert untraceable(two) == []
    assert untraceable(three) and untraceable(one)


@pytest.mark.parametrize("question, missing", [
    ("How many violations, in absolute numbers, were recorded in healthcare?", True),
    ("What share of violations was in healthcare?", False),
    ("Шағым берген азаматтардың құқықтары қаншалықты жиі қалпына келтірілді?", False),  # "how often": a rate
])
def test_a_count_asked_where_only_a_share_exists(question, missing):
    from assistant.understand.measures import count_of_a_share

    frame = Frame(asks=("value",), indicators=("violations_share",))
    assert count_of_a_share(frame, question, DATA) is missing


def test_an_excerpt_keeps_sentences_about_the_answered_value_and_marks_the_rest():
    text = ("Land relations stand out. The regional department has 1.00 (12 services, 12 employees). "
            "The city department has 1.71 and architecture 1.43.")
    kept = excerpt(text, [fact(1.0)])
    assert "1.00" in kept and "1.71" not in kept and kept.endswith("…")
    assert excerpt("The city department has 1.71 and architecture 1.43 and land 1.00.", [fact(1.0)]) == ""


def test_a_list_excerpt_keeps_its_intro_and_the_answered_item():
    text = "Figures for 2022 / 2023 / 2024:\n1. Broadcasts: 16 / 28 / 16.\n2. Fairs: 16 / 46 / 52."
    kept = excerpt(text, [fact(28), fact(16)])
    assert kept.splitlines() == ["Figures for 2022 / 2023 / 2024:", "1. Broadcasts: 16 / 28 / 16. …"]


@pytest.mark.parametrize("frame, kinds, settled", [
    (Frame(asks=("rank",)), ["max"], True),
    (Frame(asks=("rank",)), ["value"], False),
    (Frame(asks=("threshold",)), ["breach", "breach"], True),
    (Frame(asks=("compare",)), ["value"], False),
    (Frame(asks=("compare",)), ["value", "value"], True),
    (Frame(asks=("value", "what_to_do")), ["value"], False),
    (Frame(asks=("value",), years=(2022, 2024), period="years"), ["value"], False),
    (Frame(asks=("value",), figures_asked=2), ["value", "value"], False),
])
def test_data_rows_settle_only_a_figure_question_they_answer_whole(frame, kinds, settled):
    used = [replace(fact(10 + i), kind=kind, period="2023") for i, kind in enumerate(kinds)]
    assert settles(frame, used) is settled


def test_a_quantity_word_inside_a_quoted_name_is_not_that_quantity():
    analysis = analyse("Оралдағы ХҚКО-да кезекте орташа қанша уақыт күтуге тура келеді?", DATA)
    frame = Frame(asks=("value",), indicators=("people_first_participants",))  # «Адамдар бірінші кезекте»
    passage = hit("«Адамдар бірінші кезекте» семинарына 2024 жылы 119 адам қатысты.")
    assert unmeasured(frame, analysis, DATA, [passage]) == ["күту уақыты"]


def test_a_year_counts_as_covered_only_beside_a_figure_about_what_was_asked():
    from assistant.understand.frames import covered_years
    analysis = analyse("What is Kazakhstan's rank in the UN E-Government Survey 2022?", DATA)
    frame = Frame(asks=("rank",), years=(2022,))
    hits = [hit("Diagram 4 is compiled from UN E-Government Survey materials for 2019–2024."),
            hit("In the 2018 survey Kazakhstan ranked 39th.", 1),
            hit("The paper share rose to 1.4% in 2022.", 2)]
    assert 2022 not in covered_years(frame, DATA, hits, analysis)
    assert 2018 in covered_years(frame, DATA, hits, analysis)


def test_a_figure_no_sentence_speaks_of_is_missing_by_the_questions_own_words():
    analysis = analyse("How many PSC offices operate in West Kazakhstan?", DATA)
    passages = [hit("The paper share in the West Kazakhstan Region fell from 21.6% in 2019 to 0.1% in 2024.")]
    assert unmeasured(Frame(asks=("value",)), analysis, DATA, passages) == ["«PSC offices operate»"]
    rural = analyse("Сколько сельских округов в ЗКО?", DATA)
    assert unmeasured(Frame(asks=("value",)), rural, DATA, [hit("В области 146 сельских округов.")]) == []


def test_a_number_written_in_words_speaks_of_the_figure():
    analysis = analyse("Жазбаша сұрауға жауап қанша күнде беріледі?", DATA)
    law = hit("Жазбаша сұрауға жауап ол тіркелген күннен бастап он бес жұмыс күні ішінде беріледі.")
    assert unmeasured(Frame(asks=("value",)), analysis, DATA, [law]) == []


def test_a_figure_answered_from_a_named_unit_and_indicator_is_firm():
    from assistant.draft.focus import firmly_asked
    analysis = analyse("What's the workload coefficient for Uralsk city?", DATA)
    row = replace(fact(0.26), indicator="workload_coefficient", entity="uralsk")
    assert firmly_asked(Frame(asks=("value",), entities=("uralsk",)), [row], analysis, DATA)
    assert not firmly_asked(Frame(asks=("value",)), [row], analysis, DATA)


def test_every_year_inside_a_named_range_belongs_to_the_answer():
    frame = Frame(asks=("value",), years=(2019, 2021), period="range")
    course = [replace(fact(0.0), kind="change", period="2019–2021", inputs=(170.0, 170.0))] + \
        [replace(fact(170.0), period=str(y), year=y) for y in (2019, 2020, 2021)]
    assert settles(frame, course)
    assert not settles(replace(frame, years=(2019, 2020), period="years"), course)
