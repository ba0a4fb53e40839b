"""The metrics dashboard: Altair charts over the live data tables, with filters, sources and CSV downloads."""
from __future__ import annotations

import altair as alt
import streamlit as st

from assistant.measure import dashboard

from .i18n import t


def _chart_block(title: str, chart, data, lang: str, key: str) -> None:
    st.subheader(title)
    if data.frame.empty:
        st.info("—")
        return
    st.altair_chart(chart, width="stretch")
    st.caption(f"{t(lang, 'source')}: {data.source}")
    st.download_button(t(lang, "download_csv"), data.frame.to_csv(index=False).encode("utf-8"),
                       file_name=f"{key}.csv", mime="text/csv", key=f"csv-{key}")


def page(data_dir, lang: str) -> None:
    with st.sidebar:
        st.subheader(t(lang, "filters"))
        years = st.slider(t(lang, "years"), 2019, 2024, (2019, 2024), key="dash-years")
        level = st.selectbox(t(lang, "level"), list(dashboard.WORKLOAD_LEVELS), key="dash-level",
                             format_func=lambda v: t(lang, v))
    volumes = dashboard.service_volumes(data_dir, lang, years)
    chart = alt.Chart(volumes.frame).mark_line(point=True).encode(
        x=alt.X("year:O", title=t(lang, "years")), y=alt.Y("value:Q", title=None),
        color=alt.Color("indicator_label:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=400)))
    _chart_block(t(lang, "volumes"), chart, volumes, lang, "volumes")

    paper = dashboard.paper_share(data_dir, lang, years)
    chart = alt.Chart(paper.frame).mark_bar().encode(x=alt.X("year:O", title=t(lang, "years")),
                                                     y=alt.Y("value:Q", title="%"))
    _chart_block(t(lang, "paper_share"), chart, paper, lang, "paper-share")

    load = dashboard.workload(data_dir, lang, level)
    chosen = st.sidebar.multiselect(t(lang, "units"), list(load.frame["entity_name"]), key="dash-units")
    if chosen:
        load = dashboard.ChartData(load.frame[load.frame["entity_name"].isin(chosen)], load.source, load.threshold)
    bars = alt.Chart(load.frame).mark_bar().encode(
        x=alt.X("value:Q", title=t(lang, "workload")), y=alt.Y("entity_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.condition("datum.overloaded", alt.value("#d62728"), alt.value("#4c78a8")))
    rule = alt.Chart({"values": [{"threshold": load.threshold}]}).mark_rule(strokeDash=[6, 4]).encode(
        x="threshold:Q")
    _chart_block(f"{t(lang, 'workload')} — {t(lang, level)} ({t(lang, 'threshold')} {load.threshold:g})",
                 bars + rule, load, lang, f"workload-{level}")

    complaints = dashboard.complaints_and_rights(data_dir, lang, years)
    chart = alt.Chart(complaints.frame).mark_bar().encode(
        x="year:O", y=alt.Y("value:Q", title=None), color=alt.Color("indicator_label:N", title=None,
                                                                   legend=alt.Legend(orient="bottom", labelLimit=400)),
        xOffset="indicator_label:N")
    _chart_block(t(lang, "complaints"), chart, complaints, lang, "complaints")

    sectors = dashboard.violations(data_dir, lang)
    chart = alt.Chart(sectors.frame).mark_bar().encode(x=alt.X("value:Q", title="%"),
                                                       y=alt.Y("entity_name:N", sort="-x", title=None,
                                                               axis=alt.Axis(labelLimit=320)))
    _chart_block(t(lang, "violations"), chart, sectors, lang, "violations")

    work = dashboard.awareness(data_dir, lang, years)
    chart = alt.Chart(work.frame).mark_line(point=True).encode(
        x="year:O", y=alt.Y("value:Q", title=None),
        color=alt.Color("indicator_label:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=400)))
    _chart_block(t(lang, "awareness"), chart, work, lang, "awareness")
