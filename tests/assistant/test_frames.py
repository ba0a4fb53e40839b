"""Question frames without the model: ask cues and votes, periods, thresholds, what is missing, and the wording
of numbers and first lines (the data files of the repository, tiny facts made here)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.draft.answer_first import first_line
from assistant.draft.passages import paragraphs
from assistant.draft.wording import fact_value, with_unit
from assistant.measure.facts import asked_entity_types, pick_indicators
from assistant.serve.evaluation import asked_years
from assistant.types import Frame, MetricFact, Missing
from assistant.understand.asks import combine, cue_asks, load_ask_data, neighbour_votes
from assistant.understand.frames import asked_threshold, blocking, period_of
from assistant.understand.measures import ranked_count
from assistant.understand.query import analyse

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize("question, ask", [
    ("У управления образования нагрузка выше единицы — и как это исправить?", "what_to_do"),
    ("Какие шаги предлагаются для нашей области?", "what_to_do"),
    ("Give me talking points for next week's seminar", "brief"),
    ("Есть ли районы, где коэффициент нагрузки выше 1?", "threshold"),
    ("Сколько жалоб поступило в 2024 году?", "value"),
    ("Қай аудан көбірек жүктелген: Жаңақала ма, әлде Бөкей орда ма?", "compare"),
])
def test_cues_find_the_ask_whatever_the_wording(question, ask):
    asks = combine(cue_asks(question, load_ask_data(DATA)), {})
    assert ask in asks, asks


def test_a_more_specific_ask_leads_and_both_are_kept():
    asks = combine(["value", "what_to_do", "threshold"], {})
    assert asks[0] == "what_to_do" and set(asks) == {"value", "what_to_do", "threshold"}


def test_neighbour_votes_weigh_the_nearest_examples():
    matrix = np.eye(3, dtype=np.float32)
    votes = neighbour_votes(np.array([0.9, 0.1, 0.0], dtype=np.float32), matrix, ("rank", "value", "value"), k=2)
    assert next(iter(votes)) == "rank" and votes["rank"] == pytest.approx(0.9)
    assert combine([], votes)[0] == "rank"


def test_every_ask_type_has_forty_examples_in_three_languages():
    data = load_ask_data(DATA)
    per_ask: dict[str, int] = {}
    for ask, _ in data.examples:
        per_ask[ask] = per_ask.get(ask, 0) + 1
    assert set(per_ask) >= {"value", "list", "compare", "rank", "threshold", "change", "share", "definition",
                            "legal", "why", "what_to_do", "swot", "pest", "brief"}
    assert min(per_ask.values()) >= 40, per_ask


@pytest.mark.parametrize("question, years, period", [
    ("Сколько жалоб было в 2024 году?", (2024,), "year"),
    ("Как изменилось число жалоб с 2021 года?", (2021,), "since"),
    ("What was the paper share before 2022?", (2022,), "before"),
    ("Complaints from 2022 to 2024", (2022, 2024), "range"),
    ("How many live broadcasts took place in 2023 and in 2024?", (2023, 2024), "years"),  # each year's value
    ("Сколько человек было на семинаре «Народ прежде всего» в 2023 году?", (2023,), "year"),  # a name, not "before"
    ("Түсіндіру жұмысымен қамтылғандар саны 2021-ден 2024-ке дейін қалай өзгерді?", (2021, 2024), "range"),
])
def test_periods(question, years, period):
    assert period_of(question, years, DATA) == period


@pytest.mark.parametrize("question, bar", [("Есть ли районы с нагрузкой выше 0,6 в 2024 году?", 0.6),
                                           ("Any department above 1.0?", 1.0), ("Any district overloaded?", None)])
def test_a_threshold_named_in_the_question(question, bar):
    assert asked_threshold(question) == bar


def test_a_unit_without_rows_for_the_indicator_is_missing():
    from assistant.understand.frames import units_without_rows

    frame = Frame(asks=("value",), entities=("taskala",), indicators=("complaints",))
    assert units_without_rows(frame, "ru", DATA) == ["Таскалинский район"]
    assert units_without_rows(Frame(asks=("value",), entities=("taskala",), indicators=("workload_coefficient",)),
                              "ru", DATA) == []


def test_places_outside_the_data_are_recognised_as_such():
    analysis = analyse("Сколько жалоб поступило в Актюбинской области?", DATA)
    assert "aktobe" in analysis.entities


@pytest.mark.parametrize("missing, entities, outside, years, blocks", [
    ((Missing("personal_data", "телефон"),), (), (), (), True),
    ((Missing("region", "Aktobe Region"),), ("wkr",), ("aktobe",), (), True),
    ((Missing("region", "Aktobe Region"),), ("zhangala",), ("aktobe",), (), False),
    ((Missing("year", "2025"),), (), (), (2025,), True),
    ((Missing("year", "2018"),), (), (), (2018, 2024), False),
    ((Missing("entity", "Таскалинский район"),), ("taskala",), (), (), True),
    ((Missing("region", "Aktobe Region"),), ("rd_education",), ("aktobe",), (), True),
])
def test_what_blocks_an_answer(missing, entities, outside, years, blocks):
    frame = Frame(asks=("value",), entities=entities, outside=outside, years=years, missing=missing)
    assert blocking(frame, DATA) is blocks


@pytest.mark.parametrize("value, unit, lang, shown", [
    (71, "complaints", "ru", "71 жалоба"), (44, "complaints", "ru", "44 жалобы"), (65, "complaints", "ru", "65 жалоб"),
    (11, "complaints", "ru", "11 жалоб"), (1, "complaints", "en", "1 complaint"), (71, "complaints", "kk", "71 шағым"),
    (62.6, "%", "ru", "62,6\u00a0%"), (4018049, "services", "en", "4,018,049 services"),
])
def test_numbers_agree_with_their_unit(value, unit, lang, shown):
    assert with_unit(value, unit, lang, DATA) == shown


def _fact(entity, value, kind="value", unit="services per employee", period="2024", decimals=2, **extra):
    return MetricFact(indicator="workload_coefficient", label="Коэффициент нагрузки", value=value, unit=unit,
                      period=period, entity=entity, entity_name=entity.title(), source="tables/x.csv row 1",
                      kind=kind, decimals=decimals, **extra)


def test_source_precision_is_kept():
    assert fact_value(_fact("education", 1.0), "ru", DATA).startswith("1,00")


def test_a_change_in_a_share_is_in_percentage_points():
    change = _fact("wkr", 0.7, kind="change", unit="pp", period="2023–2024", inputs=(61.9, 62.6), decimals=1)
    assert fact_value(change, "ru", DATA) == "+0,7 п.п."
    line, used = first_line(Frame(asks=("change",)), [change], "ru", DATA)
    assert "61,9" in line and "62,6" in line and "+0,7 п.п." in line and used == [change]


def test_a_threshold_test_says_none_and_gives_the_highest():
    line, used = first_line(Frame(asks=("threshold",), threshold=1.0), [_fact("zhangala", 0.67, kind="max")],
                            "ru", DATA)
    assert line.startswith("Нет") and "0,67" in line and "Zhangala" in line and len(used) == 1


def test_a_comparison_names_both_values_and_the_larger():
    facts = [_fact("zhangala", 0.67), _fact("bokeyorda", 0.52)]
    line, _ = first_line(Frame(asks=("compare",)), facts, "en", DATA)
    assert line.index("Zhangala") < line.index("0.67") < line.index("0.52")


def test_paragraphs_never_a_heading_a_question_or_a_source_line():
    text = ("## Heading\n\nWhat initiatives does the region carry out today?\n\n"
            "Source: Samarkhanov et al. (2025), Table 5.\n\n"
            "The region recorded 71 complaints in 2024, up from 44 in 2023, while restored rights grew.\n\n"
            "Three measures were taken:\n- first measure here\n- second measure here")
    blocks = paragraphs(text)
    assert blocks[0].startswith("The region recorded 71")
    assert blocks[1].startswith("Three measures were taken:") and "- second measure here" in blocks[1]
    assert len(blocks) == 2


@pytest.mark.parametrize("question, named, not_named", [
    ("How many services do local executive bodies in West Kazakhstan provide?", "wkr", "kz"),
    ("Сколько услуг оказали в Западно-Казахстанской области?", "wkr", "kz"),
    ("Батыс Қазақстан облысында қанша қызмет көрсетілді?", "wkr", "kz"),
    ("Сколько услуг в реестре Казахстана?", "kz", "wkr"),
])
def test_a_place_inside_a_longer_name_is_not_named(question, named, not_named):
    entities = analyse(question, DATA).entities
    assert named in entities and not_named not in entities, entities


def test_entities_do_not_depend_on_hash_order():
    """Run in two interpreters with different hash seeds: the same entities, in the same order."""
    import subprocess
    import sys
    code = ("from pathlib import Path; from assistant.understand.query import analyse; "
            f"print(analyse('Тұрғын үй-коммуналдық шаруашылығы мен жер қатынастары салаларында', Path({str(DATA)!r})).entities)")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=DATA.parent,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1, runs


@pytest.mark.parametrize("question, expected, not_first", [
    # the region is named: the national register's share is not its answer
    ("Какая доля услуг местных исполнительных органов ЗКО оказывается в электронном виде?", None,
     "register_electronic_share"),
    # "услуг" is not "услугодатели": a compound is not an inflection
    ("Сколько всего услуг оказали в области в 2023 году?", "services_provided_total", None),
    # a curated link (local executive bodies) counts even though it names a kind of body
    ("How many of the services provided by WKR local executive bodies are still paper-only?", "leb_services_paper",
     None),
])
def test_indicators_follow_the_unit_and_the_curated_terms(question, expected, not_first):
    from assistant.measure.facts import pick_indicators
    picked = pick_indicators(analyse(question, DATA), DATA)
    assert picked, question
    if expected:
        assert picked[0] == expected, picked
    if not_first:
        assert picked[0] != not_first, picked


@pytest.mark.parametrize("question, named", [
    ("What's the workload coefficient of the regional Digital Technologies Department?", "Digital Technologies"),
    ("Цифрлық технологиялар басқармасында қанша штат бірлігі бар?", "технологиялар"),
    ("Орал қаласы білім бөлімінің жүктеме коэффициенті қанша?", "білім"),  # the city has no such department
    ("Сколько сотрудников в отделе образования города Уральска?", "образования"),
])
def test_a_department_the_tables_do_not_list_is_named(question, named):
    from assistant.understand.units import unlisted_department
    assert named in unlisted_department(analyse(question, DATA), DATA)


@pytest.mark.parametrize("question", [
    "Какая нагрузка у управления здравоохранения?",  # listed
    "Какая нагрузка в отделе физкультуры и спорта города Уральска?",  # listed city department
    "Which departments are overloaded?",  # a kind of unit, not one department
    "Какова средняя нагрузка управлений области?",
    "In the Uralsk city administration, which departments have a workload above 1?",
    "Есть ли в областном акимате управления с нагрузкой ниже 0,1?",
])
def test_listed_departments_and_kinds_of_unit_are_not_missing(question):
    from assistant.understand.units import unlisted_department
    assert unlisted_department(analyse(question, DATA), DATA) == ""


@pytest.mark.parametrize("question, indicators", [
    ("How many employees and services does the regional Department of Healthcare have?", None),
    ("Облыс әкімдігінің құрамында қанша құрылымдық бөлімше және қанша басқарма бар?",
     ["structural_divisions", "departments_count"]),
    ("How many public services were delivered in WKR in 2019, and how big was the paper share then?",
     ["services_provided_total", "paper_share"]),
    ("Сколько услуг в Реестре государственных услуг РК и сколько из них оказываются только на бумаге?",
     ["register_services_total", "register_services_paper_only"]),  # "сколько" asks the count, not the share
])
def test_each_part_of_a_question_gets_its_indicator(question, indicators):
    from assistant.understand.frames import indicators_by_part
    analysis = analyse(question, DATA)
    picked = indicators_by_part(analysis, ("value",), DATA, yearly=bool(analysis.years))
    if indicators is None:  # "services" alone is too common a word to pick an indicator: no split, no guess
        assert picked == []
    else:
        assert picked == indicators


def test_every_figure_asked_is_on_the_first_line():
    from dataclasses import replace as with_
    staff = with_(_fact("rd_healthcare", 36, unit="persons", decimals=0), indicator="employees", label="Employees")
    services = with_(_fact("rd_healthcare", 19, unit="count", decimals=0), indicator="services_count",
                     label="Services")
    other = with_(_fact("rd_education", 40, unit="persons", decimals=0), indicator="employees", label="Employees")
    line, used = first_line(Frame(asks=("value",), figures_asked=2), [staff, other, services], "en", DATA)
    assert used == [staff, services] and "36" in line and "19" in line and "40" not in line
    line, used = first_line(Frame(asks=("value",)), [staff, services], "en", DATA)
    assert used == [staff] and "19" not in line


def test_a_testing_ask_without_a_cue_needs_a_clear_neighbour_vote():
    assert combine([], {"threshold": 0.22, "rank": 0.22, "value": 0.2})[0] == "value"  # no bar in the words
    assert combine([], {"change": 0.33, "value": 0.23}) == ("value",)
    assert combine([], {"rank": 0.34, "list": 0.22})[0] == "rank"
    assert combine(["threshold"], {"value": 0.3}) == ("threshold",)  # a cue keeps it whatever the votes


@pytest.mark.parametrize("a, b, different", [
    ("қызмет", "қызметкер", True),  # service / employee
    ("қызметтер", "қызметкер", True),  # services / employee
    ("қызметкерлер", "қызметкер", False),  # employees / employee
    ("недовольств", "недовольн", False),
])
def test_a_word_forming_ending_makes_another_word(a, b, different):
    from assistant.measure.knowledge import different_words
    assert different_words(a, b, DATA) is different


def test_kazakh_services_are_not_employees():
    from assistant.measure.facts import pick_indicators
    analysis = analyse("Облыста жалпы қызметтер саны қанша болды?", DATA)
    assert "employee" not in analysis.terms
    assert "employees" not in pick_indicators(analysis, DATA)
    assert pick_indicators(analyse("Облыста қанша қызметкер бар?", DATA), DATA)[0] == "employees"


@pytest.mark.parametrize("question, asks, first", [
    ("Какое управление областного акимата самое большое по штату?", ("rank",), "employees"),  # departments ranked
    ("How many staff units does the regional akimat have?", ("value",), "staff_units"),
    ("Штат бірлігі қанша?", ("value",), "staff_units"),
])
def test_staff_means_employees_unless_staff_units_are_named(question, asks, first):
    from dataclasses import replace as with_
    from assistant.measure.facts import pick_indicators
    assert pick_indicators(with_(analyse(question, DATA), asks=asks), DATA)[0] == first


@pytest.mark.parametrize("question, kept", [
    ("Сравни физкультуру и спорт: коэффициент областного управления и городского отдела Уральска",
     {"rd_sports", "ud_sports"}),
    ("Какая нагрузка в отделе физкультуры и спорта города Уральска?", {"ud_sports"}),
])
def test_a_regional_and_a_city_department_named_together_are_both_kept(question, kept):
    entities = set(analyse(question, DATA).entities)
    assert kept <= entities and ("rd_sports" in entities) == ("rd_sports" in kept)


def test_a_quantity_is_named_by_its_words_in_any_form_and_only_a_figure_beside_it_gives_it():
    from assistant.understand.measures import _beside_figure, cue_starts
    words = "бқо жергілікті атқарушы органдарында кадрлардың ауысу деңгейі неше пайыз".split()
    assert cue_starts(words, ["кадр ауыс"]) == [4]
    assert cue_starts("кадрлар бөлімі ауысты".split(), ["кадр ауыс"]) == [0]  # one word between is allowed
    assert _beside_figure("Численность населения области — 690 тыс. человек.", ["населени"])
    assert not _beside_figure("Доступ населения к услугам расширился; электронных услуг стало 92,3 % от числа всех "
                              "услуг реестра государственных услуг страны.", ["населени"])


def test_every_unit_past_the_bar_is_counted_and_listed():
    from assistant.measure.facts import facts_for
    question = "Қанша ауданда жүктеме коэффициенті 0,5-тен жоғары?"
    analysis = analyse(question, DATA)
    frame = Frame(asks=("threshold",), entities=analysis.entities, indicators=("workload_coefficient",),
                  threshold=0.5)
    breaches = [f for f in facts_for(analysis, DATA, frame) if f.kind == "breach"]
    assert len(breaches) == 6 and all(f.value >= 0.5 for f in breaches)  # Table 2: six districts, not five
    line, used = first_line(frame, breaches, "kk", DATA)
    assert "6" in line.split(":")[0] and len(used) == 6


@pytest.mark.parametrize("question, asks, expected", [
    # "after 2019" leaves 2019 out; the highest year of one series
    ("В каком году после 2019-го доля бумажных услуг была наибольшей?", ("rank",), {("max", 2022)}),
    # a bounded period ranks the years inside it
    ("In which year between 2019 and 2024 was the total volume of delivered services in WKR the lowest?", ("rank",),
     {("min", 2020)}),
    # a bar tested over one unit's years: the years past it
    ("After 2019, did the paper share ever go above 1%?", ("threshold",), {("breach", 2022)}),
])
def test_rankings_and_bars_over_one_units_years(question, asks, expected):
    from dataclasses import replace as with_
    from assistant.measure.facts import facts_for
    from assistant.understand.frames import build_frame
    analysis = with_(analyse(question, DATA), asks=asks)
    frame = build_frame(analysis, asks, DATA, [])
    facts = facts_for(analysis, DATA, frame)
    assert {(f.kind, f.year) for f in facts if f.kind in ("max", "min", "breach")} == expected, frame
    line, _ = first_line(frame, facts, analysis.language, DATA)
    assert str(next(iter(expected))[1]) in line


@pytest.mark.parametrize("question, count", [
    ("Which two regional departments carry the highest workload?", 2),
    ("Қай аудандарда жүктеме ең жоғары? Алғашқы үшеуін атаңыз", 3),
    ("top-5 most loaded departments", 5),
    ("Какие районы самые загруженные?", 3),
    ("Какой район самый загруженный?", 1),
    ("Which district has the highest load?", 1),
])
def test_a_ranking_counts_the_units_it_asks_for(question, count):
    assert ranked_count(question, DATA) == count


def test_districts_or_the_city_rank_the_city_row_too():
    analysis = analyse("Which districts or cities have the lowest workload?", DATA)
    assert asked_entity_types(analysis) == {"district", "city"}
    assert asked_entity_types(analyse("Which districts have the lowest workload?", DATA)) == {"district"}


@pytest.mark.parametrize("question, ratio", [
    ("В каком районе на одного работника приходится меньше всего госуслуг?", True),
    ("Бір қызметкерге шаққанда қай бөлімде қызмет көп?", True),
    ("How many employees provide public services in Terekti district?", False),
])
def test_a_ratio_asked_with_both_inputs_named_picks_the_derived_indicator(question, ratio):
    picked = pick_indicators(analyse(question, DATA), DATA)
    assert (picked[0] == "workload_coefficient") is ratio, picked


@pytest.mark.parametrize("question, years", [
    ("How did it change between 2022 and 2024?", {2022, 2023, 2024}),
    ("2021-ден 2024-ке дейін қалай өзгерді?", {2021, 2022, 2023, 2024}),
    ("Сколько было в 2019 и 2024 годах?", {2019, 2024}),
    ("in 2023 and in 2024", {2023, 2024}),
])
def test_the_evaluation_counts_every_year_of_a_named_period_as_asked(question, years):
    assert asked_years(question) == years


@pytest.mark.parametrize("question, not_found", [
    ("Сколько сотрудников в отделе образования?", "workload_coefficient"),  # "на сотрудника" shrank to сотрудник
    ("Жүктеме қай ауданда жоғары?", "overload"),  # «жоғары жүктеме» shrank to жүктеме
    ("Қай жылы шағым көп болды?", "latest"),  # «соңғы жыл» shrank to жыл
])
def test_a_phrase_that_shrinks_to_another_terms_word_does_not_match_that_word(question, not_found):
    assert not_found not in analyse(question, DATA).terms


def test_a_reason_or_a_definition_is_never_asked_by_the_neighbours_alone():
    assert combine([], {"why": 0.56, "threshold": 0.22, "value": 0.11}) == ("value",)
    assert combine([], {"definition": 0.5, "list": 0.3, "value": 0.2}) == ("list",)
    assert combine(["why"], {"why": 0.9}) == ("why",)


def test_participants_of_a_seminar_do_not_ask_for_a_brief():
    question = "«People First» семинарына қатысушылар саны 2022 жылдан 2024 жылға дейін қалай өзгерді?"
    assert "brief" not in cue_asks(question, load_ask_data(DATA))
    assert "brief" in cue_asks("«Адамдар бірінші кезекте» семинарына арнап тезистер дайында", load_ask_data(DATA))


@pytest.mark.parametrize("question", [
    "How many services do the local executive bodies of WKR provide in total, and how many of them go through "
    "electronic channels?",
    "БҚО ЖАО барлығы қанша қызмет көрсетеді, оның ішінде қаншасы электронды?",
])
def test_a_part_counting_a_subset_makes_the_part_before_it_the_whole_of_the_same_table(question):
    from assistant.understand.frames import indicators_by_part
    assert indicators_by_part(analyse(question, DATA), ("value",), DATA, False) == \
        ["leb_services_total", "leb_services_electronic"]


def test_one_year_and_no_word_of_change_asks_a_value_not_a_change():
    from assistant.understand.frames import build_frame
    question = analyse("Общий объём оказанных госуслуг в ЗКО за 2023 год?", DATA)
    assert build_frame(question, ("change",), DATA, []).asks == ("value",)
    grew = analyse("Как изменилось число жалоб в 2024 году?", DATA)
    assert "change" in build_frame(grew, ("change",), DATA, []).asks
