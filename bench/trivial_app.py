"""The same-run baseline for bench.room_clicks: one button and a counter, nothing else."""

import streamlit as st

st.session_state.setdefault("clicks", 0)
if st.button("Klicka"):
    st.session_state["clicks"] += 1
st.write(f"Klick: {st.session_state['clicks']}")
