"""Sign-in on the same accounts as the API. With no accounts configured the app stays in single-user local mode."""
from __future__ import annotations

import streamlit as st

from assistant.serve.accounts import User

from .i18n import t

LOCAL = User(id=0, name="local", role="admin", disabled=False, has_password=False)


def current_user(accounts, audit, lang: str) -> User:
    """The signed-in user (or LOCAL when there are no accounts); shows the sign-in form and stops otherwise."""
    if not accounts.any():
        return LOCAL
    user_id = st.session_state.get("user_id")
    user = accounts.get(user_id) if user_id else None
    if user is not None and not user.disabled:
        st.sidebar.caption(f"{t(lang, 'signed_in')} **{user.name}** ({user.role})")
        if st.sidebar.button(t(lang, "sign_out"), key="sign_out"):
            st.session_state.clear()
            st.rerun()
        return user
    st.session_state.pop("user_id", None)
    with st.form("login"):
        st.subheader(t(lang, "login"))
        name = st.text_input(t(lang, "user_name"))
        password = st.text_input(t(lang, "password"), type="password")
        submitted = st.form_submit_button(t(lang, "sign_in"))
    if submitted:
        user = accounts.login(name.strip(), password)
        if user is None:
            st.error(t(lang, "login_failed"))
        else:
            audit.record(user.name, "login", "app")
            st.session_state.user_id = user.id
            st.session_state.conversation_id = None
            st.rerun()
    st.stop()
