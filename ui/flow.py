"""The facilitator's workshop flow: which workshop is open, the agenda stepper, autosave.

The open workshop lives in the URL (`?workshop=ID`), so a browser reload or a shared link
shows the same workshop on the same step.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui import PRESENTATION_STYLE, auth, error_text, label, language, page_setup, plain, t
from workshop import cohorts, editing, i18n
from workshop.editing import TableChanges
from workshop.errors import AccessDenied, DomainError, NotFound
from workshop.vocabulary import WORKSHOP_STEPS

SETUP_PAGE = "pages/setup.py"
STEP_PAGES = {step: f"pages/{step}.py" for step in WORKSHOP_STEPS}
STEP_ICONS = {
    "profile": ":material/domain:",
    "processes": ":material/account_tree:",
    "use_cases": ":material/lightbulb:",
    "scoring": ":material/star_rate:",
    "prioritisation": ":material/scatter_plot:",
    "action_plan": ":material/checklist:",
    "wrap_up": ":material/flag:",
}
WORKSHOP_PARAM = "workshop"
ERROR_SUFFIX = "__error"


def _workshop_id_from_url() -> int | None:
    raw = st.query_params.get(WORKSHOP_PARAM) or st.session_state.get("workshop_id")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def open_step(step: str, *, title: str | None = None) -> cohorts.WorkshopInfo:
    """Set up a step page of the open workshop: guard, presentation mode, stepper, and the
    step recorded as where the workshop stands. Stops the page with a link to set-up when no
    workshop is open. `title` replaces the step's name as the heading (a screen of a step)."""
    workshop_id = _workshop_id_from_url()
    workshop, refused = None, False
    if workshop_id is not None:
        try:
            workshop = cohorts.get_workshop(workshop_id=workshop_id)
        except NotFound:
            workshop = None
        except AccessDenied:  # not this caller's (workshop/access.py); said below, after the sign-in gate
            refused = True
    presentation = bool(workshop and workshop.presentation_mode)
    page_setup(f"step.{step}", roles=auth.WORKSHOP_ROLES, presentation=presentation)
    if refused:
        st.error(t("error.access_denied"), icon=":material/block:")
    if workshop is None:
        st.info(t("flow.no_workshop"), icon=":material/info:")
        st.page_link(SETUP_PAGE, label=t("nav.setup"), icon=":material/add_circle:")
        st.stop()
    st.session_state["workshop_id"] = workshop.id
    if st.query_params.get(WORKSHOP_PARAM) != str(workshop.id):
        st.query_params[WORKSHOP_PARAM] = str(workshop.id)
    if presentation:
        st.html(PRESENTATION_STYLE)
    if workshop.current_step != step and workshop.status != "completed":
        cohorts.set_workshop_progress(
            workshop_id=workshop.id,
            current_step=step,
            status="in_progress" if workshop.status == "planned" else None,
        )
    _header(workshop, step, title)
    return workshop


def _header(workshop: cohorts.WorkshopInfo, step: str, title: str | None) -> None:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{plain(workshop.company_name)}** · {label('workshop_status', workshop.status)}")
        st.toggle(
            t("flow.presentation_mode"),
            value=workshop.presentation_mode,
            key=f"presentation_{workshop.id}",
            on_change=_save_presentation_mode,
            args=(workshop.id,),
            help=t("flow.presentation_help"),
        )
    stepper(workshop.id, step)
    index = WORKSHOP_STEPS.index(step)
    st.title(f"{index + 1}. {title or t(f'step.{step}')}")


def _save_presentation_mode(workshop_id: int) -> None:
    cohorts.update_workshop(
        workshop_id=workshop_id, presentation_mode=bool(st.session_state[f"presentation_{workshop_id}"])
    )


def stepper(workshop_id: int, step: str) -> None:
    """The agenda: every step as a link, the current one marked."""
    with st.container(horizontal=True, gap="small", key="agenda"):
        for number, name in enumerate(WORKSHOP_STEPS, start=1):
            current = name == step
            st.page_link(
                STEP_PAGES[name],
                label=f"{number}. {t(f'step.{name}')}",
                icon=":material/arrow_right:" if current else STEP_ICONS[name],
                query_params={WORKSHOP_PARAM: str(workshop_id)},
                disabled=current,
            )


def next_step_link(workshop_id: int, step: str) -> None:
    """A link to the following step at the bottom of a page."""
    index = WORKSHOP_STEPS.index(step)
    if index + 1 < len(WORKSHOP_STEPS):
        following = WORKSHOP_STEPS[index + 1]
        st.page_link(
            STEP_PAGES[following],
            label=t("flow.next_step", step=t(f"step.{following}")),
            icon=":material/arrow_forward:",
            query_params={WORKSHOP_PARAM: str(workshop_id)},
        )


def criterion_scale(criterion, *, key: str, on_change, args: tuple, heading_extra: str = "", width: str = "content") -> None:  # noqa: ANN001
    """One criterion as people score it — name, question, a 1–5 control and the anchored
    level descriptions with the chosen one bold — on the scoring step and the phones' ballot."""
    lang = language()
    heading = f"**{criterion.name[lang]}**{heading_extra}"
    if criterion.direction == "lower_is_better":
        heading += f" · {t('scoring.inverted')}"
    st.markdown(heading)
    st.caption(criterion.question[lang])
    st.segmented_control(
        criterion.name[lang], options=[1, 2, 3, 4, 5], key=key, label_visibility="collapsed",
        width=width, on_change=on_change, args=args,
    )
    chosen = st.session_state.get(key)
    st.markdown(
        "  \n".join(
            f"**{level} – {text[lang]}**" if level == chosen else f":gray[{level} – {text[lang]}]"
            for level, text in criterion.levels.items()
        )
    )


def save(key: str, saver: Callable[[object], object]) -> None:
    """An on_change callback: save the widget's new value, or keep the error to show it
    next to the field (the widget keeps what was typed)."""
    try:
        saver(st.session_state[key])
    except DomainError as error:
        st.session_state[key + ERROR_SUFFIX] = error_text(error)
    else:
        st.session_state.pop(key + ERROR_SUFFIX, None)


def field_error(key: str) -> None:
    """Show the last save error of a field, if any."""
    message = st.session_state.get(key + ERROR_SUFFIX)
    if message:
        st.error(message, icon=":material/error:")


def _show_problems(error: DomainError, describe: Callable[[tuple], str]) -> None:
    """The error's message, then one line for each problem it lists."""
    problems = getattr(error, "problems", None)
    text = error_text(error)
    if problems:
        text += "\n\n" + "\n".join(f"- {describe(problem)}" for problem in problems)
    st.error(text, icon=":material/error:")


def table_problems(error: DomainError) -> None:
    """Every invalid row of a table edit, each with its row and column."""
    _show_problems(
        error,
        lambda p: t("flow.row_problem", row=p[0], column=i18n.field_label(p[1], language()), message=error_text(p[2])),
    )


def template_problems(error: DomainError) -> None:
    """Every problem of a template import, each with its sheet, row and column."""
    _show_problems(
        error,
        lambda p: t("flow.template_problem", sheet=p[0], row=p[1], column=p[2], message=error_text(p[3])) if p[1] else error_text(p[3]),
    )


def table_editor(
    rows: Callable[[], object], *, name: str, workshop_id: int, apply: Callable[[TableChanges], object], required: tuple[str, ...] = (),  # noqa: ANN001
    linked: tuple[str, ...] = (), **editor_options,
) -> TableChanges | None:
    """A data editor of the frame `rows()` whose edits are saved as soon as they are made,
    all or nothing. `rows` is called only when the editor starts from the saved rows.

    The editor keeps the rows it was first given while it is on screen, and each run saves
    only what its edits add (workshop.editing.sync_step): restarting it after a save dropped
    the focus and the keys typed meanwhile. A new row is saved once its `required` fields are
    filled. While some row is invalid, nothing is saved, the problems are listed and what was
    typed stays. `apply` returns the ids of the rows it added, in order. `linked` names other
    editors of the same rows (other columns) to start again from the saved rows after a save.
    Returns the changes saved in this run (None if none), for what the page draws after it.
    """
    editor_key = f"{name}_{workshop_id}_{st.session_state.get(_version_key(name, workshop_id), 0)}"
    sync_key, rows_key = f"{editor_key}__sync", f"{editor_key}__rows"
    if editor_key not in st.session_state or sync_key not in st.session_state:
        # Not on screen in the last run (first view, another page, a restart): from the database.
        frame = _blank_text_cells(rows(), editor_options.get("column_config") or {})
        st.session_state[rows_key] = frame
        st.session_state[sync_key] = editing.EditorSync(ids=list(frame["id"]), originals=frame.to_dict("records"))
    sync: editing.EditorSync = st.session_state[sync_key]
    st.data_editor(st.session_state[rows_key], key=editor_key, hide_index=True, **editor_options)
    step = editing.sync_step(sync, st.session_state.get(editor_key) or {}, required=required)
    if not step.changes.empty:
        try:
            added = apply(step.changes) or []
        except DomainError as error:
            editing.keep_unsaved(sync, step)
            table_problems(error)
            return None
        for other in linked:
            restart_table(other, workshop_id)
        editing.settle(sync, step, list(added))
    else:
        editing.settle(sync, step, [])
    saved = t("flow.saved", count=editing.rows_shown(sync))
    if step.waiting:
        column = (editor_options.get("column_config") or {}).get(required[0]) or {}
        waiting = t("flow.row_waiting", count=step.waiting, field=column.get("label") or i18n.field_label(required[0], language()))
        saved = f"{saved} · {waiting}"
    st.caption(saved)
    return None if step.changes.empty else step.changes


def details_name(name: str) -> str:
    """The name of the second editor `table_with_details` draws for table `name`."""
    return f"{name}_details"


def table_with_details(
    rows: Callable[[], object], *, name: str, workshop_id: int, apply: Callable[[TableChanges], object],
    required: tuple[str, ...], columns: dict, main_columns: list[str], detail_columns: list[str],
    heading: str, details_heading: str,
) -> None:
    """A table whose key columns fit the screen, and below it, in an expander, a second
    editor of the same rows for the rest (its first column, `required[0]`, read-only there).
    Rows are added and deleted in the first; a save in one starts the other again from the
    saved rows."""
    key_column = required[0]
    table_editor(
        rows, name=name, workshop_id=workshop_id, apply=apply, num_rows="dynamic", required=required,
        linked=(details_name(name),), column_order=[key_column, *main_columns], column_config=columns, alt=heading,
    )
    with st.expander(details_heading, icon=":material/notes:"):
        table_editor(
            rows, name=details_name(name), workshop_id=workshop_id, apply=apply, linked=(name,),
            disabled=[key_column], column_order=[key_column, *detail_columns],
            column_config={**columns, key_column: st.column_config.TextColumn(columns[key_column]["label"], width="medium")},
            alt=details_heading,
        )


def _blank_text_cells(frame, column_config: dict):  # noqa: ANN001, ANN202
    """The frame with empty text cells as "" rather than None, which the editor shows as "None"."""
    text_columns = [
        column for column, config in column_config.items()
        if column in frame and isinstance(config, dict) and (config.get("type_config") or {}).get("type") == "text"
    ]
    return frame.assign(**{column: frame[column].fillna("") for column in text_columns}) if text_columns else frame


def quick_add(
    *, name: str, workshop_id: int, fields: dict[str, Callable[[str], object]], apply: Callable[[TableChanges], object],
    row_number: int, keep: tuple[str, ...] = (), linked: tuple[str, ...] = (),
) -> None:
    """A line above a table for typing a new row while people talk: plain inputs, Tab between
    them, Enter (or the button) saves the row and empties the line (but the fields in `keep`). Nothing reruns while
    typing, so no key is lost. `fields` draws each input with the widget key it is given;
    an invalid row is not saved, its problems are listed and what was typed stays. The table
    `name` (and the `linked` editors of the same rows) then start again from the saved rows."""
    form_key = f"{name}_quick_add_{workshop_id}"
    keys = {field: f"{form_key}_{field}" for field in fields}
    problems_key = f"{form_key}__problems"

    def submitted() -> None:
        row = {field: st.session_state.get(key) for field, key in keys.items()}
        try:
            apply(TableChanges(added=[(row_number, row)]))
        except DomainError as error:
            st.session_state[problems_key] = error
            return
        st.session_state.pop(problems_key, None)
        for field, key in keys.items():
            if field not in keep:  # set, not removed: a form's input keeps its text otherwise
                st.session_state[key] = "" if isinstance(st.session_state.get(key), str) else None
        for table in (name, *linked):
            restart_table(table, workshop_id)

    with st.form(form_key, border=False), st.container(horizontal=True, vertical_alignment="bottom"):
        for field, draw in fields.items():
            draw(keys[field])
        st.form_submit_button(t("flow.add_row"), icon=":material/add:", on_click=submitted)
    if problems_key in st.session_state:
        table_problems(st.session_state[problems_key])


def _version_key(name: str, workshop_id: int) -> str:
    return f"{name}_version_{workshop_id}"


def restart_table(name: str, workshop_id: int) -> None:
    """Make a table editor start again from the saved rows on the next run."""
    key = _version_key(name, workshop_id)
    st.session_state[key] = st.session_state.get(key, 0) + 1
