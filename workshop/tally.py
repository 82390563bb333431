"""Score tallies: per use case and criterion, how many votes gave each score from 1 to 5.

Database triggers keep them on every insert, change and delete of a vote, cascades
included, so no code path can forget them; the cohort figures then read one row per pair
instead of aggregating every vote. `rebuild` recounts from the votes (the migration's
backfill, and bulk loads that write votes with the triggers set aside).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

LEVELS = (1, 2, 3, 4, 5)
_COLUMNS = ", ".join(f"c{level}" for level in LEVELS)


def _is(row: str, level: int, dialect: str) -> str:
    return f"({row}.score = {level})" + ("::int" if dialect == "postgresql" else "")


def _add(row: str, dialect: str, *, target: str) -> str:
    values = ", ".join(_is(row, level, dialect) for level in LEVELS)
    updates = ", ".join(f"c{level} = {target}.c{level} + excluded.c{level}" for level in LEVELS)
    return (
        f"INSERT INTO score_tally (use_case_id, criterion_id, workshop_id, {_COLUMNS}) "
        f"VALUES ({row}.use_case_id, {row}.criterion_id, {row}.workshop_id, {values}) "
        f"ON CONFLICT (use_case_id, criterion_id) DO UPDATE SET {updates}"
    )


def _subtract(row: str, dialect: str) -> str:
    updates = ", ".join(f"c{level} = c{level} - {_is(row, level, dialect)}" for level in LEVELS)
    return f"UPDATE score_tally SET {updates} WHERE use_case_id = {row}.use_case_id AND criterion_id = {row}.criterion_id"


def _statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "CREATE FUNCTION score_tally_apply() RETURNS trigger AS $$\n"
            "BEGIN\n"
            f"  IF TG_OP IN ('DELETE', 'UPDATE') THEN {_subtract('OLD', dialect)}; END IF;\n"
            f"  IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add('NEW', dialect, target='score_tally')}; END IF;\n"
            "  RETURN NULL;\n"
            "END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER score_tally_after_change AFTER INSERT OR UPDATE OR DELETE ON vote "
            "FOR EACH ROW EXECUTE FUNCTION score_tally_apply()",
        ]
    return [
        f"CREATE TRIGGER score_tally_after_insert AFTER INSERT ON vote BEGIN {_add('NEW', dialect, target='score_tally')}; END",
        f"CREATE TRIGGER score_tally_after_delete AFTER DELETE ON vote BEGIN {_subtract('OLD', dialect)}; END",
        "CREATE TRIGGER score_tally_after_update AFTER UPDATE OF score, use_case_id, criterion_id ON vote BEGIN "
        f"{_subtract('OLD', dialect)}; {_add('NEW', dialect, target='score_tally')}; END",
    ]


def install_triggers(connection: Connection) -> None:
    for statement in _statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def drop_triggers(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS score_tally_after_change ON vote")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS score_tally_apply()")
    else:
        for name in ("score_tally_after_insert", "score_tally_after_delete", "score_tally_after_update"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(connection: Connection, *, workshop_ids: list[int] | None = None) -> None:
    """Recount the tallies of the given workshops (all when None) from their votes."""
    if workshop_ids is not None and not workshop_ids:
        return
    where = "" if workshop_ids is None else f" WHERE workshop_id IN ({', '.join(str(int(i)) for i in workshop_ids)})"
    counts = ", ".join(f"SUM(CASE WHEN score = {level} THEN 1 ELSE 0 END)" for level in LEVELS)
    connection.execute(text(f"DELETE FROM score_tally{where}"))
    connection.execute(text(
        f"INSERT INTO score_tally (use_case_id, criterion_id, workshop_id, {_COLUMNS}) "
        f"SELECT use_case_id, criterion_id, MIN(workshop_id), {counts} FROM vote{where} GROUP BY use_case_id, criterion_id"
    ))
