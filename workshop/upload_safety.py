"""The gate every uploaded .xlsx passes before openpyxl parses it.

An .xlsx file is a zip archive of XML parts, and each layer has its own way to exhaust a
server: a huge or mislabelled file, a zip bomb or a zip whose headers lie about sizes,
thousands of entries, XML with entity expansion or external entities, a cell at row one
million that makes every later loop walk a million rows, a range that makes openpyxl create
a cell object for every position in it. `check_xlsx_upload` refuses all of these with an
`UnsafeUpload` carrying a reason code from `REASONS`, reading the archive's central
directory and then streaming every part through a capped reader and an expat parser that
refuses DTDs, so no declared size is trusted and no tree or workbook is built.
`open_workbook` runs the check and only then hands the bytes to openpyxl.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING
from xml.parsers import expat

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_to_tuple,
    range_boundaries,
)
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.xml import functions as openpyxl_xml
from openpyxl.xml.constants import SHEET_MAIN_NS

from workshop.errors import UnsafeUpload

if TYPE_CHECKING:
    from openpyxl import Workbook

REASONS: tuple[str, ...] = (
    "empty",
    "too_large",
    "legacy_xls",
    "encrypted",
    "not_xlsx",
    "truncated",
    "too_many_entries",
    "zip_bomb_ratio",
    "too_large_uncompressed",
    "xml_entities",
    "bad_xml",
    "huge_dimension",
    "huge_cell",
    "too_many_cells",
)

# A filled-in workshop template is well under 100 KB; 5 MB leaves room for pasted images.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A workbook of a few sheets has 10–30 parts; zipfile builds an object for every entry.
MAX_ENTRIES = 1000
# Bounds inflate and parse time; the most cells allowed unpack to ~3 MB, the rest is room for images and long texts.
MAX_TOTAL_UNCOMPRESSED = 25 * 1024 * 1024
# The most repetitive sheet openpyxl writes deflates 26×; zip bombs sit near deflate's ~1030×.
MAX_RATIO = 100
# Below this a part cannot hurt however well it deflates, and tiny repetitive parts can exceed any ratio.
RATIO_FLOOR_BYTES = 1024 * 1024
# Templates and cohort lists run to hundreds of rows; with Excel's 1 048 576, one far cell makes every loop walk a million rows.
MAX_ROWS = 10_000
# A template uses a dozen columns; openpyxl creates every cell a loop over the used range touches.
MAX_COLUMNS = 100
# Excel itself holds at most 32 767 characters in a cell.
MAX_CELL_CHARS = 32_767
# openpyxl holds ~380 bytes per cell and loads ~90 000 a second: 50 000 cells (2 500 rows of 20) are ~20 MB, ~0.6 s.
MAX_CELLS = 50_000
# An element costs openpyxl up to ~20 µs (style tables); four per allowed cell: cell, value, formula, shared string.
MAX_XML_ELEMENTS = 200_000
# expat holds a whole tag or comment until it ends; real ones stay under a few KB. Checked once per read step.
MAX_TAG_BYTES = 256 * 1024
# Workbook XML nests fewer than 20 levels; openpyxl recurses once per level.
MAX_XML_DEPTH = 100

# Read and parse in steps this large, so memory per step stays small whatever the headers say.
_CHUNK_BYTES = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
# General-purpose flag bit 0: the entry is encrypted, which zipfile cannot read without a password.
_ZIP_ENCRYPTED_FLAG = 0x1
_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# Every central directory entry starts with this; zipfile refuses entries without it.
_CENTRAL_DIRECTORY_SIGNATURE = b"PK\x01\x02"
# An encrypted .xlsx is an OLE2 container with these streams (MS-OFFCRYPTO), names in UTF-16LE.
_ENCRYPTION_STREAMS = tuple(name.encode("utf-16-le") for name in ("EncryptionInfo", "EncryptedPackage"))
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# Bytes that may precede the first "<" of an XML document: whitespace, BOMs, UTF-16 padding.
_XML_LEAD_BYTES = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"
# Looked for in the first bytes of every XML part, in each encoding expat reads without being told.
_DTD_MARKERS = re.compile(
    b"|".join(
        re.escape(marker.encode(encoding))
        for marker in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    ),
    re.IGNORECASE,
)
# openpyxl reads transitional names only; the strict namespace is included to stay on the safe side.
_SHEET_NAMESPACES = (SHEET_MAIN_NS, "http://purl.oclc.org/ooxml/spreadsheetml/main")
# What the parser watches for, by element: openpyxl creates a cell for every position in the
# ranges of merged cells, hyperlinks and comments, so those count as cells.
_WATCHED = {
    f"{namespace}}}{local}": kind
    for namespace in _SHEET_NAMESPACES
    for local, kind in (
        ("row", "row"),
        ("dimension", "dimension"),
        ("mergeCell", "expanding_range"),
        ("hyperlink", "expanding_range"),
        ("comment", "expanding_range"),
        ("si", "shared_string"),
        ("is", "text"),
        ("v", "text"),
        ("f", "text"),
    )
}
# The common form of a cell reference, parsed without openpyxl's slower general path.
_PLAIN_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,9})")
# Outside any row or text element (depth is never negative).
_NOWHERE = -2


def _refusal(reason: str, message: str, **details: object) -> UnsafeUpload:
    return UnsafeUpload(message, field="upload", reason=reason, **details)


def _megabytes(size: int) -> float:
    return round(size / (1024 * 1024), 1)


def check_xlsx_upload(
    data: bytes,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> None:
    """Return only if `data` is a plausible .xlsx file within every limit of this module.

    Checks, in order: the size (before anything else), the file's magic bytes, the zip's
    central directory (entry count, encryption, compression method, declared sizes and
    ratios), then streams every part: at most the remaining unpacked budget plus one byte is
    read, XML parts go through an expat parser that refuses DTDs and entities, over-long or
    over-deep markup, cells and ranges beyond `max_rows`/`max_columns`, texts longer than a
    cell can be, and more cells or elements than openpyxl should build. Stops at the first
    violation. Touches nothing but `data`; no side effects. Raises `UnsafeUpload` whose
    `params["reason"]` is one of `REASONS`.
    """
    _check_size(data, max_bytes=max_bytes)
    _check_magic(data)
    archive = _open_archive(data)
    with archive:
        entries = archive.infolist()
        _check_directory(entries)
        budget = _Budget()
        for entry in entries:
            _check_part(archive, entry, budget=budget, max_rows=max_rows, max_columns=max_columns)


def open_workbook(
    data: bytes,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> Workbook:
    """The workbook in `data`, loaded by openpyxl (not read-only, cached values instead of
    formulas) only after `check_xlsx_upload` passed with the same limits.

    Raises `UnsafeUpload` when the check refuses the file, and turns any exception openpyxl
    raises into `UnsafeUpload` with reason "bad_xml" (an XML error), "xml_entities" (a
    defusedxml refusal) or "not_xlsx" (anything else). Raises `RuntimeError` if openpyxl
    does not stream worksheets through defusedxml (defusedxml missing or disabled with
    OPENPYXL_DEFUSEDXML), which is a deployment fault, not the file's. No side effects.
    """
    check_xlsx_upload(data, max_bytes=max_bytes, max_rows=max_rows, max_columns=max_columns)
    if not _defusedxml_in_force():
        raise RuntimeError(
            "openpyxl does not parse XML through defusedxml: install defusedxml and leave "
            "OPENPYXL_DEFUSEDXML unset."
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:
        reason = _openpyxl_failure_reason(exc)
        raise _refusal(
            reason,
            f"The workbook could not be read: {type(exc).__name__}: {str(exc)[:200]}",
            problem=type(exc).__name__,
        ) from exc


def _defusedxml_in_force() -> bool:
    # openpyxl streams sheets and shared strings through iterparse; when lxml is installed it
    # parses the small parts with lxml instead, entity resolution off, and prefers that to defusedxml.
    return openpyxl_xml.DEFUSEDXML is True and openpyxl_xml.iterparse.__module__.startswith("defusedxml")


def _openpyxl_failure_reason(exc: BaseException) -> str:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DefusedXmlException):
            return "xml_entities"
        # ElementTree's ParseError and lxml's XMLSyntaxError both derive from SyntaxError.
        if isinstance(current, (SyntaxError, expat.ExpatError)):
            return "bad_xml"
        current = current.__cause__ or current.__context__
    return "not_xlsx"


def _check_size(data: bytes, *, max_bytes: int) -> None:
    if not data:
        raise _refusal("empty", "The file is empty.")
    if len(data) > max_bytes:
        raise _refusal(
            "too_large",
            f"The file is {_megabytes(len(data))} MB; uploads may be at most {_megabytes(max_bytes)} MB.",
            size_mb=_megabytes(len(data)),
            limit_mb=_megabytes(max_bytes),
        )


def _check_magic(data: bytes) -> None:
    """Refuse OLE2 files (legacy .xls or encrypted .xlsx), non-zip files, and zips with more
    central directory entries than allowed, before zipfile reads any of them."""
    if data.startswith(_OLE2_MAGIC):
        if any(stream in data for stream in _ENCRYPTION_STREAMS):
            raise _refusal(
                "encrypted",
                "The workbook is protected with a password; remove the password in Excel and upload it again.",
            )
        raise _refusal(
            "legacy_xls",
            "This is an old-style .xls workbook; save it as an Excel Workbook (.xlsx) and upload that.",
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _refusal("not_xlsx", "The file is not an Excel workbook (.xlsx).")
    # An upper bound on the entries zipfile would build, counted before it builds any.
    entries = data.count(_CENTRAL_DIRECTORY_SIGNATURE)
    if entries > MAX_ENTRIES:
        raise _refusal(
            "too_many_entries",
            f"The file holds about {entries} parts; a workbook has at most {MAX_ENTRIES}.",
            entries=entries,
            limit=MAX_ENTRIES,
        )


def _open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    # zipfile reports a damaged archive with many types (BadZipFile, EOFError, ValueError, …).
    except Exception as exc:
        raise _damaged(None, exc) from exc


def _damaged(part: str | None, exc: Exception) -> UnsafeUpload:
    where = f" ({part})" if part else ""
    return _refusal(
        "truncated",
        f"The file is damaged or incomplete{where}; save it again in Excel and upload the new copy.",
        part=part,
        problem=type(exc).__name__,
    )


def _check_directory(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse on what the central directory declares: missing workbook parts, encryption,
    compression methods other than store and deflate, bomb ratios, the total unpacked size."""
    names = {entry.filename for entry in entries}
    missing = [part for part in _REQUIRED_PARTS if part not in names]
    if missing:
        raise _refusal(
            "not_xlsx",
            f"The file is a zip archive but not an Excel workbook (it has no {missing[0]}).",
            missing=missing[0],
        )
    for entry in entries:
        if entry.flag_bits & _ZIP_ENCRYPTED_FLAG:
            raise _refusal(
                "encrypted",
                "The file's parts are encrypted; save the workbook without a password and upload it again.",
                part=entry.filename,
            )
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refusal(
                "not_xlsx",
                f"{entry.filename} uses a compression method Excel never writes.",
                part=entry.filename,
                method=entry.compress_type,
            )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise _refusal(
                "zip_bomb_ratio",
                f"{entry.filename} unpacks to {ratio:.0f} times its packed size; at most {MAX_RATIO} is allowed.",
                part=entry.filename,
                ratio=round(ratio),
                limit=MAX_RATIO,
            )
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_TOTAL_UNCOMPRESSED:
        raise _too_large_unpacked(declared_mb=_megabytes(declared))


def _too_large_unpacked(**details: object) -> UnsafeUpload:
    return _refusal(
        "too_large_uncompressed",
        f"The workbook unpacks to more than {_megabytes(MAX_TOTAL_UNCOMPRESSED)} MB.",
        limit_mb=_megabytes(MAX_TOTAL_UNCOMPRESSED),
        **details,
    )


class _Budget:
    """What is left of the limits shared by all parts of one upload."""

    def __init__(self) -> None:
        self.bytes_left = MAX_TOTAL_UNCOMPRESSED
        self.elements_left = MAX_XML_ELEMENTS
        self.cells_left = MAX_CELLS
        self.strings_left = MAX_CELLS


def _check_part(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, budget: _Budget, max_rows: int, max_columns: int
) -> None:
    """Stream one entry to its end: XML through the scanner, anything else just read, so that
    zipfile verifies its CRC. Spends the budget."""
    chunks = _chunks(archive, entry, budget=budget)
    first = next(chunks, b"")
    if _looks_like_xml(entry.filename, first):
        scanner = _XmlScanner(entry.filename, budget=budget, max_rows=max_rows, max_columns=max_columns)
        scanner.scan(first, chunks)
    else:
        # Read to the end all the same: zipfile checks the CRC only there.
        for _chunk in chunks:
            pass


def _chunks(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, budget: _Budget) -> Iterator[bytes]:
    """The entry's unpacked bytes in chunks; raises `UnsafeUpload` ("too_large_uncompressed")
    as soon as they pass the budget, having read at most one byte beyond it, or ("truncated")
    when zipfile finds the entry damaged. Spends the budget's bytes."""
    try:
        stream = archive.open(entry)
    # zipfile reports a damaged entry with many types (BadZipFile, zlib.error, EOFError, …).
    except Exception as exc:
        raise _damaged(entry.filename, exc) from exc
    with stream:
        while True:
            try:
                chunk = stream.read(min(_CHUNK_BYTES, budget.bytes_left + 1))
            except Exception as exc:
                raise _damaged(entry.filename, exc) from exc
            if not chunk:
                return
            budget.bytes_left -= len(chunk)
            if budget.bytes_left < 0:
                raise _too_large_unpacked(part=entry.filename)
            yield chunk


def _looks_like_xml(name: str, first: bytes) -> bool:
    # openpyxl finds parts through relationships, not names, so content decides as well.
    if name.lower().endswith(_XML_SUFFIXES):
        return True
    head = first.lstrip(_XML_LEAD_BYTES)
    return head.startswith(b"<") or (bool(first) and not head)


@cache
def _column_index(letters: str) -> int:
    # At most 18 278 distinct keys reach here (one to three capitals), so the cache stays small.
    return column_index_from_string(letters)


class _XmlScanner:
    """One expat parser over one part, fed chunk by chunk; builds no tree."""

    def __init__(self, part: str, *, budget: _Budget, max_rows: int, max_columns: int) -> None:
        self._part = part
        self._budget = budget
        self._max_rows = max_rows
        self._max_columns = max_columns
        self._depth = 0
        self._row_depth = _NOWHERE
        self._row = 0
        self._column = 0
        self._text_depth = _NOWHERE
        self._text_chars = 0
        self._elements_left = budget.elements_left
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = _CHUNK_BYTES
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.StartDoctypeDeclHandler = self._refuse_dtd
        parser.EntityDeclHandler = self._refuse_dtd
        parser.UnparsedEntityDeclHandler = self._refuse_dtd
        parser.ExternalEntityRefHandler = self._refuse_dtd
        self._parser = parser

    def scan(self, first: bytes, rest: Iterator[bytes]) -> None:
        """Parse the part whose first chunk is `first` and the rest follows; raises
        `UnsafeUpload` at the first violation. Spends the budget's elements and cells."""
        try:
            if _DTD_MARKERS.search(first):
                self._refuse_dtd()
            fed = 0
            chunk: bytes | None = first
            while chunk is not None:
                fed += len(chunk)
                self._feed(chunk, final=False)
                # After Parse returns, everything from CurrentByteIndex on is a token expat is still holding.
                if fed - self._parser.CurrentByteIndex > MAX_TAG_BYTES:
                    raise self._bad_xml(f"a single tag or comment is longer than {MAX_TAG_BYTES // 1024} KB")
                chunk = next(rest, None)
            self._feed(b"", final=True)
        finally:
            # The handlers refer back to this scanner; dropping the parser frees its buffers now, not at the next collection.
            del self._parser
        self._budget.elements_left = self._elements_left

    def _feed(self, chunk: bytes, *, final: bool) -> None:
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise self._bad_xml(expat.ErrorString(exc.code)) from exc
        # pyexpat asks Python's codecs about a declared encoding it does not know itself.
        except (LookupError, ValueError) as exc:
            raise self._bad_xml(f"unsupported encoding ({type(exc).__name__})") from exc

    def _bad_xml(self, detail: str) -> UnsafeUpload:
        return _refusal(
            "bad_xml",
            f"{self._part} is not a readable workbook part: {detail}.",
            part=self._part,
            detail=detail,
        )

    def _refuse_dtd(self, *_: object) -> None:
        raise _refusal(
            "xml_entities",
            f"{self._part} declares a document type or entities, which workbooks never need.",
            part=self._part,
        )

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        depth = self._depth = self._depth + 1
        self._elements_left -= 1
        if self._elements_left < 0:
            raise _refusal(
                "too_large_uncompressed",
                f"The workbook holds more than {MAX_XML_ELEMENTS} XML elements.",
                part=self._part,
                limit=MAX_XML_ELEMENTS,
            )
        if depth > MAX_XML_DEPTH:
            raise self._bad_xml(f"elements nest deeper than {MAX_XML_DEPTH} levels")
        if depth == self._row_depth + 1:
            # openpyxl reads every child of a row as a cell, whatever its name.
            self._cell(attributes.get("r"))
        kind = _WATCHED.get(tag)
        if kind is None:
            return
        if kind == "row":
            self._start_row(attributes, depth=depth)
        elif kind == "dimension":
            self._check_range(attributes.get("ref", ""), expands=False)
        elif kind == "expanding_range":
            self._check_range(attributes.get("ref", ""), expands=True)
        elif self._text_depth == _NOWHERE:
            if kind == "shared_string":
                self._budget.strings_left -= 1
                if self._budget.strings_left < 0:
                    raise self._too_many_cells("shared texts")
            self._text_depth = depth
            self._text_chars = 0

    def _end(self, tag: str) -> None:
        if self._depth == self._text_depth:
            self._text_depth = _NOWHERE
        if self._depth == self._row_depth:
            self._row_depth = _NOWHERE
        self._depth -= 1

    def _text(self, text: str) -> None:
        if self._text_depth != _NOWHERE:
            self._text_chars += len(text)
            if self._text_chars > MAX_CELL_CHARS:
                raise _refusal(
                    "huge_cell",
                    f"{self._part} holds a text longer than the {MAX_CELL_CHARS} characters a cell can hold.",
                    part=self._part,
                    limit=MAX_CELL_CHARS,
                )

    def _start_row(self, attributes: dict[str, str], *, depth: int) -> None:
        if self._row_depth != _NOWHERE:
            raise self._bad_xml("a row inside a row")
        self._row_depth = depth
        self._column = 0
        self._row = self._row + 1 if "r" not in attributes else self._row_number(attributes["r"])
        if self._row < 1:
            raise self._bad_xml(f"row {self._row} is above the first row")
        # openpyxl keeps a row's height and style even when the row has no cells.
        if self._row > self._max_rows:
            raise self._beyond_limits(f"row {self._row}")

    def _row_number(self, raw: str) -> int:
        # The same reading openpyxl gives the row number: an integer, or a float that is one.
        try:
            return int(raw)
        except ValueError:
            pass
        try:
            number = float(raw)
        except ValueError:
            raise self._bad_xml(f"row number {raw[:20]!r} is not a number") from None
        if not number.is_integer():
            raise self._bad_xml(f"row number {raw[:20]!r} is not a whole number")
        return int(number)

    def _cell(self, reference: str | None) -> None:
        self._budget.cells_left -= 1
        if self._budget.cells_left < 0:
            raise self._too_many_cells("cells")
        if reference:
            row, column = self._position(reference)
            self._column = column
        else:
            row, column = self._row, self._column + 1
            self._column = column
            reference = f"row {row}, column {column}"
        if row < 1:
            raise self._bad_xml(f"cell {reference[:20]} is above the first row")
        if row > self._max_rows or column > self._max_columns:
            raise self._beyond_limits(reference)

    def _position(self, reference: str) -> tuple[int, int]:
        plain = _PLAIN_REFERENCE.fullmatch(reference)
        if plain is not None:
            return int(plain[2]), _column_index(plain[1])
        try:
            return coordinate_to_tuple(reference)
        except (ValueError, CellCoordinatesException):
            raise self._bad_xml(f"cell reference {reference[:20]!r} is malformed") from None

    def _check_range(self, reference: str, *, expands: bool) -> None:
        try:
            min_column, min_row, max_column, max_row = range_boundaries(reference)
        except (ValueError, CellCoordinatesException):
            raise self._bad_xml(f"range {reference[:40]!r} is malformed") from None
        # An open range ("A:C", "2:5") reaches to the edge of the sheet.
        min_column = 1 if min_column is None else min_column
        min_row = 1 if min_row is None else min_row
        max_column = self._max_columns if max_column is None else max_column
        max_row = self._max_rows if max_row is None else max_row
        if min(min_row, max_row, min_column, max_column) < 1:
            raise self._bad_xml(f"range {reference[:40]!r} starts above the first row")
        if max(min_row, max_row) > self._max_rows or max(min_column, max_column) > self._max_columns:
            raise self._beyond_limits(reference)
        if expands:
            area = (abs(max_column - min_column) + 1) * (abs(max_row - min_row) + 1)
            self._budget.cells_left -= area
            if self._budget.cells_left < 0:
                raise self._too_many_cells("cells (counting every cell of merged, linked and commented ranges)")

    def _beyond_limits(self, reference: str) -> UnsafeUpload:
        return _refusal(
            "huge_dimension",
            f"{self._part} reaches {reference[:40]}, beyond row {self._max_rows} or column {self._max_columns}.",
            part=self._part,
            ref=reference[:40],
            max_rows=self._max_rows,
            max_columns=self._max_columns,
        )

    def _too_many_cells(self, what: str) -> UnsafeUpload:
        return _refusal(
            "too_many_cells",
            f"The workbook holds more than {MAX_CELLS} {what}.",
            part=self._part,
            limit=MAX_CELLS,
        )
