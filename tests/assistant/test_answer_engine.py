"""The answer engine on the shipped corpus with the real model: answer first, say exactly what is missing, only
the figures the frame asks for, recommendations for every what-to-do phrasing, and clean presentation."""
from __future__ import annotations

import re

import pytest

from assistant.draft.traceability import untraceable
from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(shipped):
    return Assistant(shipped)


def first_line(answer) -> str:
    return answer.text.strip().splitlines()[0]


@pytest.mark.parametrize("question, kind, language", [
    ("Сколько жалоб поступило в 2025 году?", "year", "ru"),
    ("What was the workload coefficient of the education department in Aktobe Region?", "region", "en"),
    ("Сколько жалоб поступило по Таскалинскому району?", "entity", "ru"),
])
def test_what_is_missing_is_named_and_the_nearest_fact_cited(assistant, question, kind, language):
    answer = assistant.ask(question)
    assert not answer.grounded and answer.language == language
    assert kind in {m.kind for m in answer.missing}, answer.missing
    assert answer.as_dict()["missing"] and answer.citations and answer.metrics
    assert untraceable(answer) == []


def test_a_missing_year_names_it_and_gives_the_latest(assistant):
    answer = assistant.ask("Сколько жалоб поступило в 2025 году?")
    assert "2025" in first_line(answer) and "2024" in first_line(answer)
    assert "71 жалоба [1]" in answer.text


@pytest.mark.parametrize("question", ["Дайте номер телефона руководителя управления образования ЗКО.",
                                      "Who heads the Department of Land Relations? I need a phone number."])
def test_personal_data_is_declined(assistant, question):
    answer = assistant.ask(question)
    assert not answer.grounded and "personal_data" in {m.kind for m in answer.missing}
    assert answer.citations == () and not re.search(r"\d", answer.text)


def test_a_threshold_test_with_no_breach_says_none_and_gives_the_highest(assistant):
    answer = assistant.ask("Есть ли в области район с коэффициентом нагрузки выше 1?")
    assert answer.grounded and first_line(answer).startswith("Нет")
    assert "0,67" in first_line(answer) and "[1]" in first_line(answer)


def test_a_comparison_says_which_is_larger_with_both_values(assistant):
    line = first_line(assistant.ask("Which district carries more workload, Zhangala or Baiterek?"))
    assert "0.67" in line and "0.23" in line and line.index("Zhangala") < line.index("Baiterek")


def test_values_keep_the_precision_of_their_source(assistant):
    answer = assistant.ask("Какой коэффициент нагрузки у областного управления земельных отношений?")
    assert "1,00" in first_line(answer) and "1,71" not in first_line(answer)  # Uralsk's department is another unit


def test_only_the_asked_year_is_shown(assistant):
    answer = assistant.ask("Сколько услуг было оказано в бумажной форме в 2024 году?")
    assert answer.grounded and "2024" in first_line(answer)
    assert all(m.period == "2024" for m in answer.metrics), [(m.value, m.period) for m in answer.metrics]


@pytest.mark.parametrize("question", [
    "У управления образования нагрузка выше единицы — и как это исправить?",
    "Какие шаги предлагаются для нашей области, чтобы снизить число жалоб?",
    "Облыстағы шағымдар көбейіп жатыр, не істеу керек?",
    "What should the akimat do about overloaded departments?",
])
def test_every_what_to_do_phrasing_gets_recommendations(assistant, question):
    answer = assistant.ask(question)
    assert answer.grounded and answer.recommendations, answer.text


def test_kpi_baselines_are_about_their_own_unit_and_no_internal_ids_show(assistant):
    answer = assistant.ask("Что делать с нарушениями в сфере земельных отношений?")
    texts = [answer.text] + [k for r in answer.recommendations for k in r.kpis + (r.problem,)]
    assert not any(re.search(r"\b(?:ud|rd|sector)_[a-z_]+", t) for t in texts), texts
    land = [k for r in answer.recommendations for k in r.kpis if k.startswith("Доля земельных отношений")]
    assert land and not any("58,6" in k for k in land), land


def test_talking_points_come_as_a_brief(assistant):
    answer = assistant.ask("Give me talking points for next week's People First seminar")
    assert answer.intent == "brief" and answer.grounded


def test_passages_are_never_a_question_a_heading_or_a_source_line(assistant):
    for question in ("Қандай бастамалар жүзеге асырылуда?", "Какие права имеют услугополучатели?",
                     "What does the article conclude about digital literacy?"):
        answer = assistant.ask(question)
        quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
        assert not any(line.rstrip(" []0123456789").endswith("?") for line in quoted), quoted
        assert not any(re.match(r"- \**(source|источник|дереккөз|#)", line, re.I) for line in quoted), quoted


def test_headers_follow_the_question_language(assistant):
    answer = assistant.ask("Какие меры общественного контроля проводились?")
    assert "From the documents" not in answer.text and "Sources" not in answer.text


@pytest.mark.parametrize("question", [
    "What is the average salary of a civil servant in the regional akimat?",
    "Сколько денег из бюджета выделено на цифровизацию госуслуг в ЗКО?",
])
def test_a_quantity_the_documents_never_give_is_named_as_missing(assistant, question):
    answer = assistant.ask(question)
    assert not answer.grounded and "indicator" in {m.kind for m in answer.missing}
    assert not re.search(r"\d", answer.text) and answer.citations == ()


@pytest.mark.parametrize("question", ["Какая погода будет в Уральске завтра?", "Подскажи хорошую гостиницу в Уральске."])
def test_a_place_alone_does_not_ground_an_off_topic_question(assistant, question):
    answer = assistant.ask(question)
    assert not answer.grounded and answer.citations == () and answer.missing == ()


def test_one_asked_figure_comes_without_other_years(assistant):
    answer = assistant.ask("How many complaints came in during 2023?")
    assert answer.grounded and "46" in first_line(answer)
    assert not re.search(r"\b(44|71)\b", answer.text), answer.text
    assert untraceable(answer) == []


def test_two_named_years_lead_with_the_change(assistant):
    line = first_line(assistant.ask("How did the share of restored rights change between 2023 and 2024?"))
    assert "8" in line and "35" in line and "pp" in line


def test_which_year_ranks_one_units_series(assistant):
    line = first_line(assistant.ask("In which year was the share of services delivered via information systems "
                                    "the highest?"))
    assert "2020" in line and "94.8" in line


def test_without_a_table_the_first_line_is_the_passage_figure(assistant):
    answer = assistant.ask("Сколько сельских округов насчитывается в ЗКО?")
    assert answer.grounded and "146" in first_line(answer) and "[1]" in first_line(answer)


def test_a_ranking_asking_for_n_units_lists_n_in_order(assistant):
    line = first_line(assistant.ask("Which three districts carry the heaviest workload?"))
    values = [float(v) for v in re.findall(r"\b0\.\d\d\b", line)]
    assert len(values) == 3 and values == sorted(values, reverse=True), line


def test_a_change_over_a_range_shows_every_year_of_it(assistant):
    answer = assistant.ask("How did the number of public service fairs change from 2022 to 2024?")
    line = first_line(answer)
    assert all(year in line for year in ("2022", "2023", "2024")), line
    assert line.index("2022") < line.index("2023") < line.index("2024")
    assert untraceable(answer) == []


def test_a_ratio_asked_per_employee_is_the_workload_coefficient(assistant):
    answer = assistant.ask("В каком районе на одного работника приходится меньше всего госуслуг?")
    assert answer.frame.indicators[0] == "workload_coefficient", answer.frame
    assert "0,23" in first_line(answer)


def test_a_settled_ranking_quotes_no_other_units_figures(assistant):
    answer = assistant.ask("Which regional department has the highest workload coefficient?")
    assert "1.03" in first_line(answer)
    quoted = answer.text.split("\n\n")[1] if "\n\n" in answer.text else ""
    assert "1.71" not in quoted and "1.43" not in quoted, answer.text  # the city's departments were not asked
    assert untraceable(answer) == []
