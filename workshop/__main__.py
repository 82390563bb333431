"""Command line: `python -m workshop --help`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from workshop import accounts, backup, config, demo, funding, migrate, scoring_models, storage, synthetic
from workshop.errors import DomainError


def _db_upgrade(_args: argparse.Namespace) -> str:
    migrate.upgrade()
    scoring_models.install_default_model()
    catalogue = funding.install_shipped_catalogue()
    for problem in catalogue.problems:
        print(
            f"{problem.file}, row {problem.row}, {problem.field}: {problem.error} (left out of the funding catalogue)",
            file=sys.stderr,
        )
    return f"Database at revision {migrate.current_revision()} ({storage.engine().url.render_as_string(hide_password=True)})."


def _db_downgrade(args: argparse.Namespace) -> str:
    migrate.downgrade(args.revision)
    return f"Database at revision {migrate.current_revision() or 'base'}."


def _demo(args: argparse.Namespace) -> str:
    migrate.ensure_ready()
    result = demo.load_demo(if_empty=args.if_empty)
    if not result.loaded:
        return "Demo cohort not loaded: " + (
            "the database already holds cohorts." if result.cohort_id is None else "it is loaded already."
        )
    return (
        f"Demo cohort loaded: {result.companies} companies, {result.workshops} workshops, "
        f"{result.use_cases} use cases, {result.votes} votes."
    )


def _synthetic(args: argparse.Namespace) -> str:
    migrate.ensure_ready()
    result = synthetic.generate_cohort(companies=args.companies, seed=args.seed)
    return (
        f"Synthetic cohort {result.cohort_id}: {result.companies} companies, {result.use_cases} use cases, "
        f"{result.votes} votes."
    )


def _backup(args: argparse.Namespace) -> str:
    return f"Backup written to {backup.backup(Path(args.path))}."


def _restore(args: argparse.Namespace) -> str:
    backup.restore(Path(args.path))
    return f"Database restored from {args.path}."


def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in some containers
        return "cli"


def _read_password(path: str | None) -> str:
    """The first line of `path` exactly as written, or typed twice at a hidden prompt."""
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise SystemExit(f"error: cannot read the password file {path}: {exc.strerror}.") from None
        except UnicodeDecodeError:
            raise SystemExit(f"error: the password file {path} is not UTF-8 text.") from None
        return lines[0] if lines else ""
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise SystemExit("error: the two passwords differ; no account was created.")
    return password


def _account_create(args: argparse.Namespace) -> str:
    migrate.ensure_ready()
    account_id = accounts.create_account(
        email=args.email,
        display_name=args.name,
        role=args.role,
        password=_read_password(args.password_file),
        actor=_cli_actor(),
    )
    account = accounts.get_account(account_id)
    return f"Account {account.id} created: {account.email}, {account.display_name} ({account.role})."


def _account_list(_args: argparse.Namespace) -> str:
    migrate.ensure_ready()
    rows = accounts.list_accounts()
    if not rows:
        return "No staff accounts yet: add one with `python -m workshop account create`."
    lines = ["id\temail\tname\trole\tstatus\tlast login"]
    for account in rows:
        last = account.last_login_at.strftime("%Y-%m-%d %H:%M UTC") if account.last_login_at else "never"
        status = "active" if account.active else "inactive"
        lines.append(f"{account.id}\t{account.email}\t{account.display_name}\t{account.role}\t{status}\t{last}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workshop",
        description=(
            "Opportunity Map (Möjlighetskartan) administration. The database is DATABASE_URL, "
            f"or by default a SQLite file in the data folder ({config.data_dir()})."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    upgrade = db.add_parser("upgrade", help="create or migrate the schema to the newest revision")
    upgrade.set_defaults(handler=_db_upgrade)
    downgrade = db.add_parser("downgrade", help="migrate the schema back to REVISION ('base' drops everything)")
    downgrade.add_argument("revision")
    downgrade.set_defaults(handler=_db_downgrade)

    demo_parser = commands.add_parser("demo", help="load the demo cohort of fictional Skåne companies")
    demo_parser.add_argument("--if-empty", action="store_true", help="only when the database holds no cohort")
    demo_parser.set_defaults(handler=_demo)

    synthetic_parser = commands.add_parser(
        "synthetic", help="add a synthetic cohort for scale work (N companies × 25 use cases × 11 criteria × 6 voters)"
    )
    synthetic_parser.add_argument("--companies", type=int, required=True, metavar="N")
    synthetic_parser.add_argument("--seed", type=int, default=1)
    synthetic_parser.set_defaults(handler=_synthetic)

    backup_parser = commands.add_parser("backup", help="write a consistent copy of the database to PATH (SQLite file, or a pg_dump archive for PostgreSQL)")
    backup_parser.add_argument("path")
    backup_parser.set_defaults(handler=_backup)

    restore_parser = commands.add_parser("restore", help="replace the database's content with the checked backup at PATH")
    restore_parser.add_argument("path")
    restore_parser.set_defaults(handler=_restore)

    account = commands.add_parser("account", help="staff accounts").add_subparsers(dest="account_command", required=True)
    create = account.add_parser("create", help="add a staff account (asks for the password twice unless --password-file)")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True, help="the name shown to others")
    create.add_argument("--role", required=True, choices=accounts.ROLES)
    create.add_argument("--password-file", metavar="FILE", help="read the password from the first line of FILE")
    create.set_defaults(handler=_account_create)
    account_list = account.add_parser("list", help="list staff accounts, tab-separated")
    account_list.set_defaults(handler=_account_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        print(args.handler(args))
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
