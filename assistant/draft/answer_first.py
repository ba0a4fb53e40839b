"""The first line of an answer: one sentence that answers the frame from computed facts — the value with its
unit and period, the comparison with both values, the max or min, the threshold test (also "none — the highest
is …"), the change from one year to another. It returns the sentence and the facts it rests on."""
from __future__ import annotations

from pathlib import Path

from assistant.draft.wording import fact_value, format_number, load_templates, phrase, plural_index
from assistant.types import Frame, MetricFact

FIRST_LINE_ASKS = ("threshold", "rank", "compare", "change", "share", "value")


def first_line(frame: Frame, facts: list[MetricFact], lang: str, data_dir: Path) -> tuple[str, list[MetricFact]]:
    if not facts or not frame.wants(*FIRST_LINE_ASKS):
        return "", []
    asks = [a for a in frame.asks if a in FIRST_LINE_ASKS]
    if frame.period in ("range", "since", "after"):  # two years named: how it went from one to the other leads
        asks.insert(0, "change")
    for ask in asks + ["value"]:
        sentence, used = _BUILDERS[ask](frame, facts, lang, data_dir)
        if sentence:
            return sentence, used
    return "", []


def _slots(fact: MetricFact, lang: str, data_dir: Path) -> dict:
    return {"label": fact.label, "entity": fact.entity_name, "period": fact.period,
            "value": fact_value(fact, lang, data_dir)}


def _value(frame, facts, lang, data_dir):
    values = [f for f in facts if f.kind in ("value", "max", "min", "breach")]
    shares = [f for f in values if f.unit == "%"] if frame.wants("share") else []
    fact = (shares or values or [None])[0]
    if fact is None:
        return "", []
    chosen = [fact] + _other_years_asked(frame, values, fact) + _other_figures_asked(frame, values, fact)
    sentences = [phrase(data_dir, lang, "value" if f.period else "value_no_period", **_slots(f, lang, data_dir))
                 for f in chosen]
    return " ".join(sentences), chosen


def _other_years_asked(frame: Frame, values: list[MetricFact], first: MetricFact) -> list[MetricFact]:
    """Several years named ("in 2023 and in 2024"): the same unit's value for each of the other years."""
    if frame.period != "years":
        return []
    return [f for f in values if f is not first and f.indicator == first.indicator and f.entity == first.entity
            and f.year in frame.years and f.year != first.year]


def _other_figures_asked(frame: Frame, values: list[MetricFact], first: MetricFact) -> list[MetricFact]:
    """A question asking several figures ("how many employees and services") gets each on the first line: the
    first value of every other indicator picked for it, up to the number of figures asked."""
    others: list[MetricFact] = []
    for fact in values:
        if len(others) + 1 >= frame.figures_asked:
            break
        if fact.indicator != first.indicator and all(fact.indicator != o.indicator for o in others):
            others.append(fact)
    return others


def _change(frame, facts, lang, data_dir):
    """From year A to year B (each year between, when the tables give them), for each indicator asked."""
    changes = [f for f in facts if f.kind == "change" and len(f.inputs) == 2]
    chosen = [f for i, f in enumerate(changes) if f.indicator not in {c.indicator for c in changes[:i]}]
    sentences, used = [], []
    for fact in chosen[:max(1, frame.figures_asked)]:
        sentence, rests_on = _one_change(fact, facts, lang, data_dir)
        sentences.append(sentence)
        used += rests_on
    return " ".join(sentences), used


def _one_change(fact: MetricFact, facts: list[MetricFact], lang: str, data_dir: Path) -> tuple[str, list]:
    start_year, end_year = fact.period.split("–") if "–" in fact.period else ("", fact.period)
    unit = "%" if fact.unit == "pp" else _base_unit(fact, facts)
    start = _shown(fact.inputs[0], unit, lang, data_dir, fact.decimals)
    end = _shown(fact.inputs[1], unit, lang, data_dir, fact.decimals)
    course = _course(fact, facts)
    label, delta = fact.label.split(":")[0], fact_value(fact, lang, data_dir)
    if len(course) > 2:  # years between the ends: the value of each, in order
        steps = " → ".join(phrase(data_dir, lang, "course_step", value=fact_value(f, lang, data_dir), year=f.year)
                           for f in course)
        return phrase(data_dir, lang, "change_course", label=label, entity=fact.entity_name, course=steps,
                      delta=delta), [fact, *course]
    sentence = phrase(data_dir, lang, "change", label=label, entity=fact.entity_name,
                      start=start, end=end, start_year=start_year, end_year=end_year, delta=delta)
    return sentence, [fact]


def _course(change: MetricFact, facts: list[MetricFact]) -> list[MetricFact]:
    """The unit's yearly values of the changed indicator, from the first year of the change to the last."""
    first, _, last = change.period.partition("–")
    if not last:
        return []
    return sorted((f for f in facts if f.kind == "value" and f.indicator == change.indicator
                   and f.entity == change.entity and f.year and int(first) <= f.year <= int(last)),
                  key=lambda f: f.year)


def _base_unit(change: MetricFact, facts: list[MetricFact]) -> str:
    same = next((f for f in facts if f.indicator == change.indicator and f.kind != "change"), None)
    return same.unit if same else "count"


def _shown(value: float, unit: str, lang: str, data_dir: Path, decimals: int | None) -> str:
    probe = MetricFact(indicator="", label="", value=value, unit=unit, period="", entity="", entity_name="",
                       source="", decimals=decimals)
    return fact_value(probe, lang, data_dir)


def _compare(frame, facts, lang, data_dir):
    """Two units on one indicator (or one unit in two years): which is larger, with both values."""
    values = [f for f in facts if f.kind == "value"]
    pair = next(((a, b) for i, a in enumerate(values) for b in values[i + 1:]
                 if a.indicator == b.indicator and (a.entity, a.period) != (b.entity, b.period)), None)
    if pair is None:
        return "", []
    a, b = pair
    hi, lo = (a, b) if a.value >= b.value else (b, a)
    key = "compare_equal" if a.value == b.value else ("compare_less" if frame.low else "compare_more")
    first, second = (lo, hi) if frame.low else (hi, lo)
    period = first.period if first.period == second.period else f"{first.period}/{second.period}"
    sentence = phrase(data_dir, lang, key, label=first.label, period=period, entity=_who(first, second),
                      value=fact_value(first, lang, data_dir), other_entity=_who(second, first),
                      other=fact_value(second, lang, data_dir))
    return sentence, [first, second]


def _who(fact: MetricFact, other: MetricFact) -> str:
    """The unit's name, or its year when one unit is compared across years."""
    return fact.entity_name if fact.entity != other.entity else fact.period


def _rank(frame, facts, lang, data_dir):
    """The max or min with its value; the first N in order when the question asks for N ("which two…")."""
    top = next((f for f in facts if f.kind in ("max", "min")), None)
    if top is None:
        return "", []
    ranked = [top] + [f for f in facts if f.kind == "rank" and f.indicator == top.indicator][:frame.top - 1]
    if len(ranked) == 1:
        return phrase(data_dir, lang, top.kind, **_slots(top, lang, data_dir)), [top]
    by_year = len({f.entity for f in ranked}) == 1  # one unit's years ranked
    items = "; ".join(f"{f.period if by_year else f.entity_name} — {fact_value(f, lang, data_dir)}" for f in ranked)
    period = top.period if all(f.period == top.period for f in ranked) else _span(ranked)
    return phrase(data_dir, lang, f"{top.kind}_top", label=top.label, period=period, items=items), ranked


def _span(facts: list[MetricFact]) -> str:
    years = sorted({int(f.period) for f in facts if f.period.isdigit()})
    return f"{years[0]}–{years[-1]}" if years else facts[0].period


def _threshold(frame, facts, lang, data_dir):
    breaches = [f for f in facts if f.kind == "breach"]
    if breaches:
        by_year = len({f.entity for f in breaches}) == 1 and all(f.year for f in breaches)  # one unit's years
        items = "; ".join(f"{f.year if by_year else f.entity_name} — {fact_value(f, lang, data_dir)}"
                          for f in breaches)  # all of them, counted; one unit's years by year
        count = len(breaches)
        counted = f"{count} {_counted(count, lang, data_dir)}"
        key = "threshold_yes_low" if frame.low else "threshold_yes"
        return phrase(data_dir, lang, key, count=counted, items=items, label=breaches[0].label,
                      threshold=_bar(frame, breaches[0], lang)), breaches
    extreme = next((f for f in facts if f.kind in ("max", "min")), None)
    if extreme is None:
        return "", []
    key = "threshold_none_low" if frame.low else "threshold_none"
    return phrase(data_dir, lang, key, threshold=_bar(frame, extreme, lang), label=extreme.label,
                  value=fact_value(extreme, lang, data_dir), entity=extreme.entity_name), [extreme]


def _counted(count: int, lang: str, data_dir: Path) -> str:
    forms = load_templates(data_dir).get(lang, {}).get("units_counted") or [""]
    return forms[min(plural_index(count, lang), len(forms) - 1)]


def _bar(frame: Frame, fact: MetricFact, lang: str) -> str:
    if frame.threshold is not None:
        return format_number(frame.threshold, lang, fact.decimals)
    return "—" if fact.threshold is None else format_number(fact.threshold, lang, fact.decimals)


_BUILDERS = {"value": _value, "share": _value, "change": _change, "compare": _compare, "rank": _rank,
             "threshold": _threshold}
