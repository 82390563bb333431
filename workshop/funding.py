"""Funding pointers: the curated catalogue of programmes, and a matcher that says why.

The catalogue ships as `data/funding_catalogue.csv` (one row per programme, the same
columns as the admin page's CSV import and export) and lives in the database once
installed, where the admin page edits it. Every row is validated by one function,
`programme_from_row`, on every path in.

The matcher takes the company (region, employees, turnover, founding year, sector) and a
chosen use case's plan (stage, cost band, kind of benefit) and gives, for each programme,
either a pointer — with the conditions met (*why*) and what to verify (*check*) — or the
reasons it was left out. Ended programmes never become pointers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import delete, select

from workshop import access, cohorts, content, storage, validation
from workshop.config import SHIPPED_DATA_DIR
from workshop.editing import TableChanges
from workshop.errors import (
    CatalogueFileRefused, DomainError, DuplicateName, InvalidDate, InvalidUrl, InvertedLimits, MissingValue,
    NotFound, RegionsNeedRegionalScope, RepeatedValue, TableErrors, UnknownChoice, UnreadableFile,
)
from workshop.i18n import choice_label, t
from workshop.models import FundingProgramme
from workshop.vocabulary import (
    BENEFIT_KINDS, FUNDING_KINDS, FUNDING_SCOPES, FUNDING_STATUSES, STAGES, SWEDISH_REGIONS,
)

CATALOGUE_FILE = SHIPPED_DATA_DIR / "funding_catalogue.csv"
CATALOGUE_COLUMNS = (
    "key", "status", "scope", "regions", "kind", "name_sv", "name_en", "provider",
    "description_sv", "description_en", "stages", "benefit_focus", "benefit_also", "startups_only",
    "min_employees", "max_employees", "min_turnover_msek", "max_turnover_msek", "min_age_years",
    "max_age_years", "amount_min_sek", "amount_max_sek", "amount_note_sv", "amount_note_en",
    "max_funded_percent", "cofinancing_sv", "cofinancing_en", "de_minimis", "window_sv", "window_en",
    "check_sv", "check_en", "url", "source_url", "checked_on",
)
REQUIRED_COLUMNS = ("key", "status", "scope", "kind", "name_sv", "name_en", "provider", "checked_on")
SCOPES = FUNDING_SCOPES
ANY_BENEFIT = "any"
LIST_SEPARATOR = ";"
YES, NO = "yes", "no"
# Facts older than this are flagged in the app and in the deliverables.
STALE_AFTER = dt.timedelta(days=365)
# A "startup" for programmes meant for startups: Vinnova's Innovative Startups uses 10 years.
STARTUP_MAX_AGE_YEARS = 10
# SNI 2007: Q is human health and social work; 21 is pharmaceuticals.
HEALTH_SNI_SECTIONS = ("Q",)
HEALTH_SNI_DIVISIONS = ("21",)
# The limits (MSEK) each turnover band spans, and the costs (SEK) each cost band spans.
TURNOVER_BAND_MSEK = {
    "under_2m": (0.0, 2.0), "2m_10m": (2.0, 10.0), "10m_50m": (10.0, 50.0),
    "50m_100m": (50.0, 100.0), "100m_500m": (100.0, 500.0), "over_500m": (500.0, float("inf")),
}
COST_BAND_SEK = {
    "under_50k": (0.0, 50_000.0), "50k_250k": (50_000.0, 250_000.0),
    "250k_1m": (250_000.0, 1_000_000.0), "over_1m": (1_000_000.0, float("inf")),
}
# Ranking: the closest programmes first, confirmed before uncertain, support before money
# that must be paid back or costs ownership.
SCOPE_ORDER = {"regional": 0, "national": 1, "eu": 2}
STATUS_ORDER = {"current": 0, "uncertain": 1, "ended": 2}
KIND_ORDER = {kind: 1 if kind in ("loan", "tax_relief") else 2 if kind == "equity" else 0 for kind in FUNDING_KINDS}
# A CSV import larger than this is refused before it is read.
MAX_IMPORT_BYTES = 1_000_000
FILE_REFUSAL_REASONS = ("too_large", "not_utf8", "not_csv", "no_programmes")


@dataclass(frozen=True)
class Programme:
    key: str
    status: str
    scope: str
    regions: tuple[str, ...]
    kind: str
    name: dict[str, str]
    provider: str
    description: dict[str, str]
    stages: tuple[str, ...]
    benefit_focus: tuple[str, ...]
    # Kinds of benefit it also takes; ("any",) for every kind.
    benefit_also: tuple[str, ...]
    startups_only: bool
    min_employees: int | None
    max_employees: int | None
    min_turnover_msek: float | None
    max_turnover_msek: float | None
    min_age_years: int | None
    max_age_years: int | None
    amount_min_sek: float | None
    amount_max_sek: float | None
    amount_note: dict[str, str]
    max_funded_percent: float | None
    cofinancing: dict[str, str]
    de_minimis: bool
    window: dict[str, str]
    check: dict[str, str]
    url: str
    source_url: str
    checked_on: dt.date

    def fits_benefit(self, benefit_kind: str) -> bool:
        return ANY_BENEFIT in self.benefit_also or benefit_kind in (*self.benefit_focus, *self.benefit_also)


@dataclass(frozen=True)
class CatalogueProblem:
    file: str
    row: int  # as a spreadsheet numbers it: the header is row 1
    field: str
    error: DomainError


@dataclass(frozen=True)
class CatalogueReading:
    programmes: tuple[Programme, ...]
    problems: tuple[CatalogueProblem, ...]


class CatalogueErrors(TableErrors):
    """A catalogue import or edit has invalid rows; nothing of it was written."""

    message_key = "error.catalogue"


# --- one row in, validated ---------------------------------------------------------------


def _list(raw: object, allowed: Iterable[str], *, field: str, required: bool = False) -> tuple[str, ...]:
    if isinstance(raw, (list, tuple)):
        items = [str(item).strip() for item in raw]
    else:
        items = [item.strip() for item in str(raw or "").split(LIST_SEPARATOR)]
    items = [item for item in items if item]
    allowed = tuple(allowed)
    for item in items:
        validation.choice(item, allowed, field=field)
    repeated = next((item for item in items if items.count(item) > 1), None)
    if repeated:
        raise RepeatedValue(f"The {field.replace('_', ' ')} list names {repeated} twice.", field=field, value=repeated)
    if required and not items:
        raise MissingValue(f"The {field.replace('_', ' ')} is required.", field=field)
    return tuple(items)


def _flag(raw: object, *, field: str) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw or "").strip().casefold()
    if value in ("", NO, "false", "0", "nej"):
        return False
    if value in (YES, "true", "1", "ja"):
        return True
    raise UnknownChoice(f"{raw!r} is not yes or no.", field=field, value=raw)


def _date(raw: object, *, field: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise InvalidDate(
            f"The {field.replace('_', ' ')} must be a date like 2026-11-01, not {raw!r}.", field=field, value=raw
        ) from None


def _url(raw: object, *, field: str) -> str:
    value = validation.text(raw, field=field, max_length=500)
    if value and not value.startswith(("https://", "http://")):
        raise InvalidUrl(f"The {field.replace('_', ' ')} must start with https:// or http://.", field=field, value=value)
    return value


def _bounds(values: Mapping, low_field: str, high_field: str, *, whole: bool, maximum: float) -> tuple:
    low = validation.number(values.get(low_field), field=low_field, minimum=0, maximum=maximum, whole=whole)
    high = validation.number(values.get(high_field), field=high_field, minimum=0, maximum=maximum, whole=whole)
    if low is not None and high is not None and low > high:
        raise InvertedLimits(
            f"The {low_field.replace('_', ' ')} is above the {high_field.replace('_', ' ')}.", field=low_field
        )
    return low, high


def programme_from_row(row: Mapping) -> Programme:
    """One catalogue row (CSV strings, editor values or stored values) as a `Programme`.

    Raises `TableErrors` listing every invalid field of the row (row number 0), so a
    caller can report them all with its own row number.
    """
    problems: list[tuple[int, str, DomainError]] = []
    values: dict[str, object] = {}

    def take(name: str, check) -> None:  # noqa: ANN001
        try:
            values[name] = check(row.get(name))
        except DomainError as error:
            problems.append((0, name, error))

    take("key", lambda v: validation.name(v, field="key", max_length=80))
    take("status", lambda v: validation.choice(str(v or "").strip(), FUNDING_STATUSES, field="status"))
    take("scope", lambda v: validation.choice(str(v or "").strip(), SCOPES, field="scope"))
    take("regions", lambda v: _list(v, SWEDISH_REGIONS, field="regions"))
    take("kind", lambda v: validation.choice(str(v or "").strip(), FUNDING_KINDS, field="kind"))
    for name in ("name_sv", "name_en"):
        take(name, lambda v, n=name: validation.name(v, field=n, max_length=300))
    take("provider", lambda v: validation.name(v, field="provider", max_length=300))
    take("stages", lambda v: _list(v, STAGES, field="stages"))
    take("benefit_focus", lambda v: _list(v, BENEFIT_KINDS, field="benefit_focus"))
    take("benefit_also", lambda v: _list(v, (*BENEFIT_KINDS, ANY_BENEFIT), field="benefit_also"))
    for name in ("startups_only", "de_minimis"):
        take(name, lambda v, n=name: _flag(v, field=n))
    for name in ("description_sv", "description_en", "amount_note_sv", "amount_note_en", "cofinancing_sv",
                 "cofinancing_en", "window_sv", "window_en", "check_sv", "check_en"):
        take(name, lambda v, n=name: validation.text(v, field=n, max_length=2000))
    for name in ("url", "source_url"):
        take(name, lambda v, n=name: _url(v, field=n))
    take("checked_on", lambda v: _date(v, field="checked_on"))
    take("max_funded_percent", lambda v: validation.number(v, field="max_funded_percent", minimum=0, maximum=100))
    for low, high, whole, maximum in (
        ("min_employees", "max_employees", True, 1_000_000),
        ("min_turnover_msek", "max_turnover_msek", False, 1_000_000),
        ("min_age_years", "max_age_years", True, 1_000),
        ("amount_min_sek", "amount_max_sek", False, 1e12),
    ):
        try:
            values[low], values[high] = _bounds(row, low, high, whole=whole, maximum=maximum)
        except DomainError as error:
            problems.append((0, error.field or low, error))

    if not problems:
        problems += _consistency_problems(values)
    if problems:
        raise TableErrors(problems)
    return Programme(
        key=values["key"], status=values["status"], scope=values["scope"], regions=values["regions"],
        kind=values["kind"], name={"sv": values["name_sv"], "en": values["name_en"]}, provider=values["provider"],
        description={"sv": values["description_sv"], "en": values["description_en"]}, stages=values["stages"],
        benefit_focus=values["benefit_focus"], benefit_also=values["benefit_also"],
        startups_only=values["startups_only"], min_employees=values["min_employees"],
        max_employees=values["max_employees"], min_turnover_msek=values["min_turnover_msek"],
        max_turnover_msek=values["max_turnover_msek"], min_age_years=values["min_age_years"],
        max_age_years=values["max_age_years"], amount_min_sek=values["amount_min_sek"],
        amount_max_sek=values["amount_max_sek"],
        amount_note={"sv": values["amount_note_sv"], "en": values["amount_note_en"]},
        max_funded_percent=values["max_funded_percent"],
        cofinancing={"sv": values["cofinancing_sv"], "en": values["cofinancing_en"]},
        de_minimis=values["de_minimis"], window={"sv": values["window_sv"], "en": values["window_en"]},
        check={"sv": values["check_sv"], "en": values["check_en"]}, url=values["url"],
        source_url=values["source_url"], checked_on=values["checked_on"],
    )


def _consistency_problems(values: Mapping) -> list[tuple[int, str, DomainError]]:
    """Rules across fields: a regional programme names its regions, a live one its stages
    and kinds of benefit, and every programme its source."""
    problems = []
    if values["scope"] == "regional" and not values["regions"]:
        problems.append((0, "regions", MissingValue("A regional programme must name its regions.", field="regions")))
    if values["scope"] != "regional" and values["regions"]:
        problems.append((0, "scope", RegionsNeedRegionalScope("A programme limited to regions must have the scope regional.", field="scope")))
    if values["status"] != "ended":
        if not values["stages"]:
            problems.append((0, "stages", MissingValue("The stages are required.", field="stages")))
        if not (values["benefit_focus"] or values["benefit_also"]):
            problems.append((0, "benefit_focus", MissingValue("Name the kinds of benefit it fits.", field="benefit_focus")))
    if not values["source_url"]:
        problems.append((0, "source_url", MissingValue("The source is required.", field="source_url")))
    return problems


def as_row(programme: Programme) -> dict[str, object]:
    """The programme as one catalogue row, in `CATALOGUE_COLUMNS` order (lists joined by ';')."""
    join = LIST_SEPARATOR.join
    return {
        "key": programme.key, "status": programme.status, "scope": programme.scope,
        "regions": join(programme.regions), "kind": programme.kind,
        "name_sv": programme.name["sv"], "name_en": programme.name["en"], "provider": programme.provider,
        "description_sv": programme.description["sv"], "description_en": programme.description["en"],
        "stages": join(programme.stages), "benefit_focus": join(programme.benefit_focus),
        "benefit_also": join(programme.benefit_also), "startups_only": programme.startups_only,
        "min_employees": programme.min_employees, "max_employees": programme.max_employees,
        "min_turnover_msek": programme.min_turnover_msek, "max_turnover_msek": programme.max_turnover_msek,
        "min_age_years": programme.min_age_years, "max_age_years": programme.max_age_years,
        "amount_min_sek": programme.amount_min_sek, "amount_max_sek": programme.amount_max_sek,
        "amount_note_sv": programme.amount_note["sv"], "amount_note_en": programme.amount_note["en"],
        "max_funded_percent": programme.max_funded_percent,
        "cofinancing_sv": programme.cofinancing["sv"], "cofinancing_en": programme.cofinancing["en"],
        "de_minimis": programme.de_minimis, "window_sv": programme.window["sv"], "window_en": programme.window["en"],
        "check_sv": programme.check["sv"], "check_en": programme.check["en"],
        "url": programme.url, "source_url": programme.source_url, "checked_on": programme.checked_on,
    }


# --- the catalogue file ------------------------------------------------------------------


def read_catalogue(text: str, *, file_name: str) -> CatalogueReading:
    """Every valid programme of a catalogue CSV, and every problem by file, row and field.

    A missing column is one problem for the whole file (row 1); a key used twice keeps the
    first row and reports the others.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        return CatalogueReading((), tuple(
            CatalogueProblem(file_name, 1, column, MissingValue(f"The column {column} is missing.", field=column))
            for column in missing
        ))
    programmes: list[Programme] = []
    problems: list[CatalogueProblem] = []
    seen: set[str] = set()
    try:
        for row_number, row in enumerate(reader, start=2):
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            try:
                programme = programme_from_row(row)
            except TableErrors as errors:
                problems += [CatalogueProblem(file_name, row_number, name, error) for _r, name, error in errors.problems]
                continue
            if programme.key.casefold() in seen:
                problems.append(CatalogueProblem(file_name, row_number, "key", DuplicateName(
                    f"The key {programme.key} is used twice.", field="key", value=programme.key)))
                continue
            seen.add(programme.key.casefold())
            programmes.append(programme)
    except csv.Error as error:
        problems.append(CatalogueProblem(file_name, reader.line_num, "", UnreadableFile(f"Not a readable CSV file: {error}", reason="not_csv")))
    return CatalogueReading(tuple(programmes), tuple(problems))


def shipped_catalogue() -> CatalogueReading:
    """The catalogue that ships in `data/`, with any problems in it."""
    return read_catalogue(CATALOGUE_FILE.read_text(encoding="utf-8"), file_name=CATALOGUE_FILE.name)


def catalogue_csv(programmes: Iterable[Programme]) -> bytes:
    """The catalogue as UTF-8 CSV (with a byte-order mark for spreadsheet programs), in the
    format `import_catalogue` reads back. Programme texts are data, written as they are."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CATALOGUE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for programme in programmes:
        row = as_row(programme)
        for name in ("startups_only", "de_minimis"):
            row[name] = YES if row[name] else NO
        row["checked_on"] = programme.checked_on.isoformat()
        writer.writerow({name: _plain(value) for name, value in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


# --- stored catalogue --------------------------------------------------------------------


def _record_values(programme: Programme) -> dict[str, object]:
    row = as_row(programme)
    eligibility_fields = ("min_employees", "max_employees", "min_turnover_msek", "max_turnover_msek",
                          "min_age_years", "max_age_years")
    values = {name: row[name] for name in row if name not in (*eligibility_fields, "regions")}
    values.update(stages=list(programme.stages), benefit_focus=list(programme.benefit_focus),
                  benefit_also=list(programme.benefit_also), checked_on=programme.checked_on)
    values["eligibility"] = {"regions": list(programme.regions)} | {
        name: row[name] for name in eligibility_fields if row[name] is not None
    }
    return values


def _from_record(record: FundingProgramme) -> Programme:
    row = {column.name: getattr(record, column.name) for column in FundingProgramme.__table__.columns}
    row.update(record.eligibility or {})
    return programme_from_row(row)


def list_programmes() -> list[Programme]:
    """The stored catalogue, by key."""
    with storage.read() as session:
        return [_from_record(r) for r in session.scalars(select(FundingProgramme).order_by(FundingProgramme.key))]


def catalogue_rows() -> list[tuple[int, Programme]]:
    """The stored catalogue with each programme's id (for the admin table), by key."""
    with storage.read() as session:
        return [(r.id, _from_record(r)) for r in session.scalars(select(FundingProgramme).order_by(FundingProgramme.key))]


@access.administers
def install_shipped_catalogue() -> CatalogueReading:
    """Install the shipped catalogue into an empty catalogue table (a no-op otherwise) and
    return what was read: the programmes and the problems of rows left out."""
    reading = shipped_catalogue()
    with storage.write() as session:
        if session.scalar(select(FundingProgramme.id).limit(1)) is None:
            session.add_all(FundingProgramme(**_record_values(p)) for p in reading.programmes)
    return reading


@access.administers
def reset_to_shipped() -> CatalogueReading:
    """Replace the stored catalogue with the shipped one (its valid rows) in one transaction;
    returns what was read, with the problems of rows left out."""
    reading = shipped_catalogue()
    _replace(reading.programmes)
    return reading


@access.administers
def import_catalogue(data: bytes, *, file_name: str) -> int:
    """Replace the stored catalogue with a CSV file's programmes, all or nothing; returns
    how many programmes it holds now.

    Raises `CatalogueFileRefused` for a file too large or not UTF-8, `CatalogueErrors` listing
    every problem by row and field (nothing is written then).
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise CatalogueFileRefused("The file is larger than a catalogue can be.", reason="too_large")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogueFileRefused("The file is not UTF-8 text.", reason="not_utf8") from None
    reading = read_catalogue(text, file_name=file_name)
    if reading.problems:
        raise CatalogueErrors([(p.row, p.field, p.error) for p in reading.problems])
    if not reading.programmes:
        raise CatalogueErrors([(1, "", UnreadableFile("The file holds no programme.", reason="no_programmes"))])
    _replace(reading.programmes)
    return len(reading.programmes)


def _replace(programmes: Iterable[Programme]) -> None:
    by_key = {p.key: p for p in programmes}
    with storage.write() as session:
        existing = {r.key: r for r in session.scalars(select(FundingProgramme).with_for_update())}
        stale = [r.id for key, r in existing.items() if key not in by_key]
        if stale:
            session.execute(delete(FundingProgramme).where(FundingProgramme.id.in_(stale)))
        for key, programme in by_key.items():
            values = _record_values(programme)
            if key in existing:
                for name, value in values.items():
                    setattr(existing[key], name, value)
            else:
                session.add(FundingProgramme(**values))


@access.administers
def apply_catalogue_changes(changes: TableChanges) -> list[int]:
    """Apply an admin-table edit of the catalogue in one transaction: all rows or none.
    Returns the ids of the added rows, in order.

    Raises `CatalogueErrors` listing every invalid row and field, or a key used twice;
    nothing is written then.
    """
    with storage.write() as session:
        existing = {r.id: r for r in session.scalars(select(FundingProgramme).with_for_update())}
        problems: list[tuple[int, str, DomainError]] = []
        final: list[tuple[int, Programme, FundingProgramme | None]] = []
        for row_id, (row_number, changed) in changes.updated.items():
            record = existing.get(row_id)
            if record is None:
                problems.append((row_number, "key", NotFound(f"Row {row_id} no longer exists.", kind="funding_programme", id=row_id)))
                continue
            merged = as_row(_from_record(record)) | {k: v for k, v in changed.items() if k in CATALOGUE_COLUMNS}
            _collect(merged, row_number, record, final, problems)
        for row_number, added in changes.added:
            _collect(added, row_number, None, final, problems)
        rewritten = {record.id for _n, _p, record in final if record is not None}
        kept_keys = {
            r.key.casefold() for r in existing.values() if r.id not in changes.deleted and r.id not in rewritten
        }
        for row_number, programme, _record in sorted(final, key=lambda item: item[0]):
            if programme.key.casefold() in kept_keys:
                problems.append((row_number, "key", DuplicateName(
                    f"The key {programme.key} is used twice.", field="key", value=programme.key)))
            kept_keys.add(programme.key.casefold())
        if problems:
            raise CatalogueErrors(sorted(problems, key=lambda p: p[0]))
        if changes.deleted:
            session.execute(delete(FundingProgramme).where(FundingProgramme.id.in_(changes.deleted)))
            session.flush()
        inserted = []
        for _row_number, programme, record in final:
            values = _record_values(programme)
            if record is None:
                inserted.append(FundingProgramme(**values))
                session.add(inserted[-1])
            else:
                for name, value in values.items():
                    setattr(record, name, value)
        session.flush()
        return [record.id for record in inserted]


def _collect(row: Mapping, row_number: int, record, final: list, problems: list) -> None:  # noqa: ANN001
    try:
        final.append((row_number, programme_from_row(row), record))
    except TableErrors as errors:
        problems += [(row_number, name, error) for _r, name, error in errors.problems]


# --- matching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One condition met, one thing to verify, or one reason for leaving a programme out;
    `code` names its sentence in the catalogue (`funding.why.*`, `funding.check.*`,
    `funding.not.*`)."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CompanyFacts:
    region: str = ""
    employees: int | None = None
    turnover_band: str = ""
    founded_year: int | None = None
    sni_section: str = ""
    sni_division: str = ""

    @property
    def health_sector(self) -> bool:
        return self.sni_section in HEALTH_SNI_SECTIONS or self.sni_division in HEALTH_SNI_DIVISIONS


@dataclass(frozen=True)
class PlanFacts:
    stage: str
    benefit_kind: str
    cost_band: str = ""


@dataclass(frozen=True)
class Pointer:
    programme: Programme
    # True when the programme fits the stage after the planned one, not the planned one.
    for_next_stage: bool
    focused: bool
    why: tuple[Reason, ...]
    check: tuple[Reason, ...]


@dataclass(frozen=True)
class Exclusion:
    programme: Programme
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Matching:
    pointers: tuple[Pointer, ...]
    excluded: tuple[Exclusion, ...]

    def pointer(self, key: str) -> Pointer | None:
        return next((p for p in self.pointers if p.programme.key == key), None)

    def exclusion(self, key: str) -> Exclusion | None:
        return next((e for e in self.excluded if e.programme.key == key), None)


def _range(low: float | None, high: float | None) -> dict[str, object]:
    return {"minimum": low, "maximum": high}


def _limit_check(value: float, low: float | None, high: float | None) -> str:
    """'below', 'above' or 'within' the limits (either may be None)."""
    if low is not None and value < low:
        return "below"
    if high is not None and value > high:
        return "above"
    return "within"


def match(programmes: Iterable[Programme], company: CompanyFacts, plan: PlanFacts, *, today: dt.date) -> Matching:
    """Every programme as a pointer (ranked) or an exclusion (with its reasons).

    Ranked: programmes for the planned stage before those for the next one; then those
    built for the kind of benefit; then regional, national, EU; current before uncertain;
    grants, vouchers and free support before loans and tax relief, before equity; by name.
    """
    pointers: list[Pointer] = []
    excluded: list[Exclusion] = []
    for programme in programmes:
        outcome = _assess(programme, company, plan, today=today)
        (pointers if isinstance(outcome, Pointer) else excluded).append(outcome)
    pointers.sort(key=lambda p: (
        p.for_next_stage, not p.focused, SCOPE_ORDER[p.programme.scope], STATUS_ORDER[p.programme.status],
        KIND_ORDER[p.programme.kind], p.programme.name["sv"].casefold(), p.programme.key,
    ))
    excluded.sort(key=lambda e: e.programme.key)
    return Matching(tuple(pointers), tuple(excluded))


def _assess(programme: Programme, company: CompanyFacts, plan: PlanFacts, *, today: dt.date) -> Pointer | Exclusion:
    why: list[Reason] = []
    check: list[Reason] = []
    out: list[Reason] = []
    if programme.status == "ended":
        return Exclusion(programme, (Reason("ended"),))

    for_next_stage = False
    next_stage = STAGES[STAGES.index(plan.stage) + 1] if plan.stage in STAGES[:-1] else None
    if plan.stage in programme.stages:
        why.append(Reason("stage", {"stage": plan.stage}))
    elif next_stage in programme.stages:
        for_next_stage = True
        why.append(Reason("next_stage", {"stage": next_stage}))
    else:
        out.append(Reason("stage", {"stage": plan.stage}))

    health_focus = "health" in programme.benefit_focus and company.health_sector
    focused = plan.benefit_kind in programme.benefit_focus or health_focus
    if plan.benefit_kind in programme.benefit_focus:
        why.append(Reason("benefit_focus", {"benefit": plan.benefit_kind}))
    elif health_focus:
        why.append(Reason("health_sector", {"sector": company.sni_section}))
    elif programme.fits_benefit(plan.benefit_kind):
        why.append(Reason("benefit_open", {"benefit": plan.benefit_kind}))
    else:
        out.append(Reason("benefit", {"benefit": plan.benefit_kind}))

    if programme.regions:
        if not company.region:
            check.append(Reason("region_unknown", {"regions": ", ".join(programme.regions)}))
        elif company.region in programme.regions:
            why.append(Reason("region", {"region": company.region}))
        else:
            out.append(Reason("region", {"region": company.region, "regions": ", ".join(programme.regions)}))
    else:
        why.append(Reason(f"scope_{programme.scope}"))

    _assess_size(programme, company, why, check, out)
    _assess_age(programme, company, today, why, check, out)
    _assess_cost(programme, plan, why, check, out)
    if out:
        return Exclusion(programme, tuple(out))

    if programme.status == "uncertain":
        check.insert(0, Reason("status_uncertain"))
    if programme.max_funded_percent is not None:
        check.append(Reason("funded_share", {"percent": programme.max_funded_percent}))
    if programme.cofinancing["sv"] or programme.cofinancing["en"]:
        check.append(Reason("cofinancing", {"text": programme.cofinancing}))
    if programme.de_minimis:
        check.append(Reason("de_minimis"))
    if programme.window["sv"] or programme.window["en"]:
        check.append(Reason("window", {"text": programme.window}))
    else:
        check.append(Reason("window_unknown"))
    if programme.check["sv"] or programme.check["en"]:
        check.append(Reason("note", {"text": programme.check}))
    if today - programme.checked_on > STALE_AFTER:
        check.append(Reason("stale", {"date": programme.checked_on}))
    return Pointer(programme, for_next_stage, focused, tuple(why), tuple(check))


def _assess_size(programme: Programme, company: CompanyFacts, why: list, check: list, out: list) -> None:
    low, high = programme.min_employees, programme.max_employees
    if low is not None or high is not None:
        if not company.employees:
            check.append(Reason("employees_unknown", _range(low, high)))
        else:
            position = _limit_check(company.employees, low, high)
            if position == "within":
                why.append(Reason("employees", {"employees": company.employees} | _range(low, high)))
            else:
                out.append(Reason(f"employees_{position}", {"employees": company.employees} | _range(low, high)))
    low, high = programme.min_turnover_msek, programme.max_turnover_msek
    if low is not None or high is not None:
        band = TURNOVER_BAND_MSEK.get(company.turnover_band)
        params = {"turnover_band": company.turnover_band} | _range(low, high)
        if band is None:
            check.append(Reason("turnover_unknown", _range(low, high)))
            return
        band_low, band_high = band  # the band is [low, high)
        if high is not None and band_low > high:
            out.append(Reason("turnover_above", params))
        elif low is not None and band_high <= low:
            out.append(Reason("turnover_below", params))
        elif (low is None or band_low >= low) and (high is None or band_high <= high):
            why.append(Reason("turnover", params))
        else:
            check.append(Reason("turnover_verify", params))


def _assess_age(programme: Programme, company: CompanyFacts, today: dt.date, why: list, check: list, out: list) -> None:
    low = programme.min_age_years
    high = programme.max_age_years
    if programme.startups_only:
        high = min(high, STARTUP_MAX_AGE_YEARS) if high is not None else STARTUP_MAX_AGE_YEARS
    if low is None and high is None:
        return
    if company.founded_year is None:
        check.append(Reason("age_unknown", _range(low, high)))
        return
    # Known to the year only: a company founded in 2016 is 9 or 10 years old in 2026.
    age = today.year - company.founded_year
    params = {"age": age} | _range(low, high)
    if high is not None and age - 1 > high:
        out.append(Reason("not_startup" if programme.startups_only and programme.max_age_years is None else "age_above", params))
    elif low is not None and age < low:
        out.append(Reason("age_below", params))
    elif (high is not None and age > high) or (low is not None and age - 1 < low):
        check.append(Reason("age_verify", params))
    else:
        why.append(Reason("startup" if programme.startups_only else "age", params))


def _assess_cost(programme: Programme, plan: PlanFacts, why: list, check: list, out: list) -> None:
    band = COST_BAND_SEK.get(plan.cost_band)
    low, high = programme.amount_min_sek, programme.amount_max_sek
    if band is None or (low is None and high is None):
        return
    params = {"cost_band": plan.cost_band} | _range(low, high)
    if low is not None and band[1] < low:
        out.append(Reason("cost_below_minimum", params))
    elif high is not None and band[0] >= high:
        check.append(Reason("cost_above_maximum", params))
    else:
        why.append(Reason("cost", params))


# --- catalogue age -----------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueAge:
    # The oldest check date of a programme that can still be pointed to; None for none.
    checked_on: dt.date | None
    stale: bool


def catalogue_age(programmes: Iterable[Programme], *, today: dt.date) -> CatalogueAge:
    """How old the facts behind the live programmes are; stale after 12 months."""
    dates = [p.checked_on for p in programmes if p.status != "ended"]
    if not dates:
        return CatalogueAge(None, False)
    oldest = min(dates)
    return CatalogueAge(oldest, today - oldest > STALE_AFTER)


# --- a workshop's pointers ---------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopPointers:
    # Selected use case id → its matching, in rank order of the use cases.
    by_use_case: dict[int, Matching]
    age: CatalogueAge


def company_facts(company) -> CompanyFacts:  # noqa: ANN001
    """The matcher's view of a company row; 0 employees means the number was not given."""
    return CompanyFacts(
        region=company.region, employees=company.employees or None, turnover_band=company.turnover_band,
        founded_year=company.founded_year, sni_section=company.sni_section, sni_division=company.sni_division,
    )


@access.reads_workshop
def workshop_pointers(*, workshop_id: int, today: dt.date | None = None) -> WorkshopPointers:
    """The pointers for each selected use case of a workshop. Raises `NotFound` for a
    missing workshop."""
    workshop = cohorts.get_workshop(workshop_id=workshop_id)
    return pointers_for(
        company=cohorts.get_company(company_id=workshop.company_id),
        use_cases=content.list_use_cases(workshop_id=workshop_id),
        plans=content.list_action_items(workshop_id=workshop_id),
        today=today,
    )


def pointers_for(*, company, use_cases, plans, today: dt.date | None = None) -> WorkshopPointers:  # noqa: ANN001
    """The pointers for each selected use case from rows a caller has already read: the
    company, the workshop's use cases and its action items (the plan's stage and cost band
    where set, else the use case's)."""
    today = today or dt.date.today()
    facts = company_facts(company)
    plan_of = {item.use_case_id: item for item in plans}
    programmes = list_programmes()
    by_use_case = {}
    for use_case in use_cases:
        if not use_case.selected:
            continue
        plan = plan_of.get(use_case.id)
        plan_facts = PlanFacts(
            stage=(plan.stage if plan and plan.stage else use_case.stage),
            benefit_kind=use_case.benefit_kind,
            cost_band=(plan.cost_band if plan and plan.cost_band else use_case.cost_band),
        )
        by_use_case[use_case.id] = match(programmes, facts, plan_facts, today=today)
    return WorkshopPointers(by_use_case, catalogue_age(programmes, today=today))


# --- in words ----------------------------------------------------------------------------

# Every code a reason can have, by group; each has a sentence `funding.<group>.<code>`.
REASON_CODES = {
    "why": ("stage", "next_stage", "benefit_focus", "health_sector", "benefit_open", "region", "scope_national",
            "scope_eu", "employees", "turnover", "age", "startup", "cost"),
    "check": ("status_uncertain", "funded_share", "cofinancing", "de_minimis", "window", "window_unknown", "note",
              "region_unknown", "employees_unknown", "turnover_unknown", "turnover_verify", "age_unknown",
              "age_verify", "cost_above_maximum", "stale"),
    "not": ("ended", "stage", "benefit", "region", "employees_above", "employees_below", "turnover_above",
            "turnover_below", "age_above", "age_below", "not_startup", "cost_below_minimum"),
}
# Which choice list a parameter's value is a label of.
_CHOICE_PARAMS = {"stage": "stage", "benefit": "benefit_kind", "cost_band": "cost_band", "turnover_band": "turnover_band"}


def _number(value: float, language: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\u00a0") if language == "sv" else text


def _limits(code: str, low: float | None, high: float | None, language: str) -> str:
    """'2–100', 'högst 500 000 kr', 'SEK 3–150 m', 'at least 2 years': the unit follows the code."""
    if code.startswith(("cost", "amount")):
        unit = "funding.unit.sek"
    elif code.startswith("turnover"):
        unit = "funding.unit.msek"
    elif code.startswith(("age", "startup", "not_startup")):
        unit = "funding.unit.years"
    else:
        unit = None
    if low is not None and high is not None:
        value = t("funding.limits.range", language, minimum=_number(low, language), maximum=_number(high, language))
        return t(unit, language, value=value) if unit else value
    if high is None and low is None:
        return ""
    bound, key = (high, "funding.limits.at_most") if high is not None else (low, "funding.limits.at_least")
    value = _number(bound, language)
    return t(key, language, value=t(unit, language, value=value) if unit else value)


def reason_text(reason: Reason, group: str, language: str) -> str:
    """The reason as a sentence in `language`; `group` is "why", "check" or "not"."""
    params: dict[str, object] = {}
    for name, value in reason.params.items():
        if name in _CHOICE_PARAMS:
            label = choice_label(_CHOICE_PARAMS[name], str(value), language)
            # Stage and benefit read inside a sentence; band labels keep their units' case.
            params[name] = label.lower() if name in ("stage", "benefit") else label
        elif isinstance(value, dict):
            params[name] = value.get(language) or value.get("sv", "")
        elif isinstance(value, dt.date):
            params[name] = value.isoformat()
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            params[name] = _number(value, language)
        else:
            params[name] = value
    if "minimum" in reason.params or "maximum" in reason.params:
        params["limits"] = _limits(reason.code, reason.params.get("minimum"), reason.params.get("maximum"), language)
    return t(f"funding.{group}.{reason.code}", language, **params)


def amount_text(programme: Programme, language: str) -> str:
    """'50 000–250 000 kr', 'högst 500 000 kr', the programme's own note, or ''."""
    note = programme.amount_note[language] or programme.amount_note["sv"]
    if note:
        return note
    return _limits("amount", programme.amount_min_sek, programme.amount_max_sek, language)


# Columns the admin table edits as lists of choices.
LIST_COLUMNS = ("regions", "stages", "benefit_focus", "benefit_also")


def catalogue_frame() -> pd.DataFrame:
    """The stored catalogue as the admin table edits it: an id column, then `CATALOGUE_COLUMNS`
    (the `LIST_COLUMNS` as lists)."""
    rows = [
        {"id": row_id} | as_row(programme) | {name: list(getattr(programme, name)) for name in LIST_COLUMNS}
        for row_id, programme in catalogue_rows()
    ]
    frame = pd.DataFrame(rows, columns=["id", *CATALOGUE_COLUMNS])
    for name in ("min_employees", "max_employees", "min_age_years", "max_age_years"):
        frame[name] = frame[name].astype("Int64")
    for name in ("min_turnover_msek", "max_turnover_msek", "amount_min_sek", "amount_max_sek", "max_funded_percent"):
        frame[name] = frame[name].astype("Float64")
    for name in ("startups_only", "de_minimis"):
        frame[name] = frame[name].astype(bool)
    return frame
