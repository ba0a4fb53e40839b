"""The guard on its own (pure functions): sentence splitting, citation markers, figures in every ru/kk/en number
format, languages, the fallback verdict, and the streamed splitter agreeing with the whole-text one."""
from __future__ import annotations

import random

import pytest

from assistant.draft.guard import SentenceStream, check_sentence, guard_draft, markers, split_draft, support_of
from assistant.types import Citation

PASSAGE = Citation(1, "d1", "Нагрузка отделов", "findings/x.md", None, "Нагрузка",
                   "В 2024 году отдел оказал 1 256 услуг, коэффициент нагрузки 1,71; доля бумажных услуг 92,3%, "
                   "а в Жаңақала ауданы коэффициент 0,67. Всего услуг 4,018,049.", 0.9)
OTHER = Citation(2, "d2", "Complaints", "findings/y.md", None, "", "Complaints rose from 9 in 2021 to 71.", 0.8)
DATA = Citation(3, "paper_share", "Доля бумажных услуг", "tables/service_volumes.csv", None, "ЗКО",
                "tables/service_volumes.csv rows 17, 18", 1.0, kind="data",
                meta={"value": 0.5434782608695652, "previous": 46.0, "period": "2024", "unit": "ratio"})
SUPPORT = support_of((PASSAGE, OTHER, DATA))


@pytest.mark.parametrize("figure", ["1 256", "1\u00a0256", "1,256", "1256", "92,3", "92.3", "92.3%", "92,30 %",
                                    "0,67", "0.67", "1,71", "1.71", "4 018 049", "4,018,049", "4018049"])
def test_a_figure_in_its_cited_passage_passes_in_any_format(figure):
    assert check_sentence(f"В 2024 году показатель составил {figure} [1].", SUPPORT, "ru") is None


@pytest.mark.parametrize("figure", ["1 257", "1,265", "12 560", "92,4", "93.2%", "0,76", "1.7", "17,1", "4 018 048",
                                    "71"])
def test_a_figure_not_in_its_cited_passage_is_dropped(figure):
    note = check_sentence(f"В 2024 году показатель составил {figure} [1].", SUPPORT, "ru")
    assert note is not None and note.reason == "unsupported_figure"


@pytest.mark.parametrize("sentence", ["Complaints grew from 9 in 2021 to 71 [2].", "In 2024 the change was 54.3% [3].",
                                      "The count went from 46 to 71 [3][2].", "Complaints: 71 in 2024 [2, 3]."])
def test_figures_of_data_rows_and_of_several_citations_pass(sentence):
    assert check_sentence(sentence, SUPPORT, "en") is None


def test_a_figure_must_be_in_the_source_the_sentence_cites_not_in_another():
    note = check_sentence("Complaints rose to 71 [1].", SUPPORT, "en")  # 71 is in [2], not in [1]
    assert note.reason == "unsupported_figure" and "71" in note.detail


@pytest.mark.parametrize("sentence, reason", [
    ("Отдел перегружен.", "uncited"),
    ("Отдел перегружен (см. источник 1).", "uncited"),
    ("Отдел перегружен [4].", "dangling_citation"),
    ("Отдел перегружен [0].", "dangling_citation"),
    ("Отдел оказал 1 256 услуг [1][9].", "dangling_citation"),
    ("Отдел оказал 1 256 услуг [1-5].", "dangling_citation"),
    ("The department is overloaded and the workload keeps growing [1].", "wrong_language"),
    ("Бөлім артық жүктелген және жүктеме өсуде, мұны құжат растайды [1].", "wrong_language"),
])
def test_sentences_that_cite_nothing_or_nothing_real_or_speak_another_language_are_dropped(sentence, reason):
    assert check_sentence(sentence, SUPPORT, "ru").reason == reason


def test_a_russian_sentence_may_name_a_kazakh_place():
    assert check_sentence("В районе Жаңақала коэффициент нагрузки составил 0,67 [1].", SUPPORT, "ru") is None


@pytest.mark.parametrize("text, expected", [
    ("Первое [1]. Второе [2].", ["Первое [1].", "Второе [2]."]),
    ("Первое. [1] Второе. [2][3]", ["Первое. [1]", "Второе. [2][3]"]),
    ("Согласно ст. 5 Закона услуга бесплатна [1]. Далее [2].", ["Согласно ст. 5 Закона услуга бесплатна [1].",
                                                                 "Далее [2]."]),
    ("Доля 92.3% в г. Уральск [1]. See p. 12 of the report [2].", ["Доля 92.3% в г. Уральск [1].",
                                                                   "See p. 12 of the report [2]."]),
    ("- Первое [1].\n2. Второе [2].\n\n## Итог", ["Первое [1].", "Второе [2].", "Итог"]),
    ("Law No. 88-V applies (para. 2, Art. 1). [1] міндетті [2].", ["Law No. 88-V applies (para. 2, Art. 1). [1]",
                                                                  "міндетті [2]."]),
    ("Бірінші сөйлем [1]. екінші сөйлем [2].", ["Бірінші сөйлем [1].", "екінші сөйлем [2]."]),
    ("Данные [1] и [2] показывают рост 5% [2].", ["Данные [1] и [2] показывают рост 5% [2]."]),
])
def test_the_splitter_keeps_markers_abbreviations_and_decimals_with_their_sentence(text, expected):
    assert [s.text for s in split_draft(text)] == expected


def test_markers_are_read_in_their_usual_forms():
    assert markers("A [1]. B [2][3], C [4, 5; 6] and D [7–9]") == [1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_numbering_of_a_list_never_reaches_the_output_as_a_figure():
    result = guard_draft("1. Отдел оказал 1 256 услуг [1].\n2. Коэффициент 1,71 [1].", (PASSAGE,), "ru")
    assert result.fallback is None and result.text == "- Отдел оказал 1 256 услуг [1].\n- Коэффициент 1,71 [1]."


@pytest.mark.parametrize("draft, fallback", [
    ("Отдел оказал 1 256 услуг [1]. Коэффициент 1,71 [1]. Всего 5 000 [1].", None),
    ("Отдел оказал 1 256 услуг [1]. Всего 5 000 [1]. Ещё 7 000 [1].", "fallback:too_little_left"),
    ("", "fallback:too_little_left"),
    ("The department provided 1 256 services [1]. The coefficient is 1.71 [1].", "fallback:wrong_language"),
])
def test_too_little_surviving_means_the_extractive_answer(draft, fallback):
    result = guard_draft(draft, (PASSAGE,), "ru")
    assert (result.fallback.reason if result.fallback else None) == fallback


@pytest.mark.parametrize("seed", range(20))
def test_the_streamed_splitter_gives_the_same_sentences_as_the_whole_text(seed):
    text = ("Доля бумажных услуг снизилась с 21,6% в 2019 году до 0,1% [1]. Согласно ст. 5 Закона услуги "
            "бесплатны. [2] Жалоб стало 71 [3][1].\n- Коэффициент 1.71 [1, 2].\n1. Итого 92.3% [7] Конец. [1]")
    rng = random.Random(seed)
    stream, out, i = SentenceStream(), [], 0
    while i < len(text):
        step = rng.randint(1, 9)
        out += stream.feed(text[i:i + step])
        i += step
    out += stream.finish()
    assert out == split_draft(text)


def test_a_russian_draft_full_of_kazakh_place_names_is_still_russian():
    place = Citation(1, "d1", "Районы", "x.md", None, "",
                     "Жаңақала ауданы, Бөкей ордасы ауданы және Қазталов ауданы: коэффициент 0,67.", 0.9)
    draft = ("Жаңақала ауданы перегружен меньше других [1]. В Бөкей ордасы ауданы и Қазталов ауданы "
             "коэффициент 0,67 [1].")
    result = guard_draft(draft, (place,), "ru")
    assert result.fallback is None and len(result.kept) == 2
