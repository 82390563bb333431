"""Upload safety: every hostile file is refused for its own reason, fast and in bounded
memory; the valid workbook opens with the values written; nothing but UnsafeUpload escapes,
whatever the bytes."""

from __future__ import annotations

import io
import time
import tracemalloc
import xml.etree.ElementTree
import zipfile
import zlib
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.xml import functions as openpyxl_xml

from tests.hostile import make_corpus
from workshop import upload_safety
from workshop.errors import UnsafeUpload

CORPUS = make_corpus.FOLDER
VALID = (CORPUS / "valid.xlsx").read_bytes()
# Why each committed hostile file must be refused.
EXPECTED_REASONS = {
    "empty.bin": "empty",
    "text.xlsx": "not_xlsx",
    "image.xlsx": "not_xlsx",
    "random.xlsx": "not_xlsx",
    "truncated.xlsx": "truncated",
    "legacy.xls": "legacy_xls",
    "encrypted.xlsx": "encrypted",
    "zip_encrypted.xlsx": "encrypted",
    "lzma_compressed.xlsx": "not_xlsx",
    "not_workbook.xlsx": "not_xlsx",
    "zipbomb_ratio.xlsx": "zip_bomb_ratio",
    "lying_header.xlsx": "truncated",
    "many_entries.xlsx": "too_many_entries",
    "unpacked_too_large.xlsx": "too_large_uncompressed",
    "too_many_elements.xlsx": "too_large_uncompressed",
    "billion_laughs.xlsx": "xml_entities",
    "xxe.xlsx": "xml_entities",
    "utf16_doctype.xlsx": "xml_entities",
    "huge_dimension.xlsx": "huge_dimension",
    "far_cell.xlsx": "huge_dimension",
    "wide_row.xlsx": "huge_dimension",
    "hyperlink_range.xlsx": "huge_dimension",
    "merged_range.xlsx": "too_many_cells",
    "huge_cell.xlsx": "huge_cell",
    "attribute_bomb.xlsx": "bad_xml",
    "long_comment.xlsx": "bad_xml",
    "deep_nesting.xlsx": "bad_xml",
    "bad_xml.xlsx": "bad_xml",
}
# The budget every check must keep, on any input.
TIME_LIMIT_SECONDS = 2.0
MEMORY_LIMIT_BYTES = 50 * 1024 * 1024
MEBIBYTE = 1024 * 1024


def _reason(data: bytes, **limits: int) -> str | None:
    """The refusal reason of `check_xlsx_upload`, or None when the file passes."""
    try:
        upload_safety.check_xlsx_upload(data, **limits)
    except UnsafeUpload as exc:
        return exc.params["reason"]
    return None


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    try:
        action()
    except UnsafeUpload:
        pass
    return time.perf_counter() - start


def _peak_traced_bytes(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
    except UnsafeUpload:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def _sheet_variant(rows: str, **sheet: str | None) -> bytes:
    return make_corpus.repack(VALID, replace={make_corpus.SHEET_PART: make_corpus.sheet_xml(rows, **sheet)})


def test_corpus_folder_holds_exactly_the_expected_files():
    files = {path.name for path in CORPUS.iterdir() if path.is_file() and path.suffix != ".py"}
    assert files == set(EXPECTED_REASONS) | {"valid.xlsx"}


@pytest.mark.parametrize("name", sorted(set(EXPECTED_REASONS) | {"valid.xlsx", "make_corpus.py"}))
def test_corpus_file_is_under_200_kb(name):
    assert (CORPUS / name).stat().st_size < 200 * 1024


def test_reasons_every_code_has_a_hostile_example():
    assert set(EXPECTED_REASONS.values()) | {"too_large"} == set(upload_safety.REASONS)


@pytest.mark.parametrize(("name", "reason"), sorted(EXPECTED_REASONS.items()))
def test_check_hostile_file_refused_with_expected_reason(name, reason):
    with pytest.raises(UnsafeUpload) as caught:
        upload_safety.check_xlsx_upload((CORPUS / name).read_bytes())
    assert caught.value.params["reason"] == reason
    assert caught.value.field == "upload"
    assert caught.value.message_key == "error.unsafe_upload"


@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_check_hostile_file_finishes_within_two_seconds(name):
    data = (CORPUS / name).read_bytes()
    assert _seconds(lambda: upload_safety.check_xlsx_upload(data)) < TIME_LIMIT_SECONDS


@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_check_hostile_file_peak_memory_under_50_mb(name):
    data = (CORPUS / name).read_bytes()
    assert _peak_traced_bytes(lambda: upload_safety.check_xlsx_upload(data)) < MEMORY_LIMIT_BYTES


def test_check_valid_workbook_passes():
    assert _reason(VALID) is None


def test_open_workbook_valid_values_equal_generator():
    workbook = upload_safety.open_workbook(VALID)
    read = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    assert read == make_corpus.VALID_SHEETS


def test_open_workbook_returns_openpyxl_workbook():
    assert isinstance(upload_safety.open_workbook(VALID), Workbook)


def test_check_upload_over_max_bytes_refused_before_zip_parsing(monkeypatch):
    def no_zip_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the zip was parsed although the size was over the limit")

    monkeypatch.setattr(upload_safety.zipfile, "ZipFile", no_zip_parsing)
    with pytest.raises(UnsafeUpload) as caught:
        upload_safety.check_xlsx_upload(VALID, max_bytes=1000)
    assert caught.value.params["reason"] == "too_large"


def test_check_upload_over_default_limit_refused_as_too_large():
    assert _reason(VALID + bytes(upload_safety.MAX_UPLOAD_BYTES)) == "too_large"


def test_check_upload_of_exactly_max_bytes_is_not_refused_for_size():
    assert _reason(VALID, max_bytes=len(VALID)) is None


def test_check_too_large_params_name_the_limit():
    with pytest.raises(UnsafeUpload) as caught:
        upload_safety.check_xlsx_upload(bytes(3 * MEBIBYTE), max_bytes=2 * MEBIBYTE)
    assert (caught.value.params["limit_mb"], caught.value.params["size_mb"]) == (2.0, 3.0)


@pytest.fixture(scope="module")
def gigabyte_bomb(tmp_path_factory) -> bytes:
    """A workbook whose sheet inflates to 1 GiB, written to a temporary folder, not committed."""
    path = tmp_path_factory.mktemp("bomb") / "gigabyte_bomb.xlsx"
    sheet = make_corpus.padded_sheet(padding_bytes=1024 * MEBIBYTE)
    path.write_bytes(make_corpus.repack(VALID, replace={make_corpus.SHEET_PART: sheet}))
    return path.read_bytes()


def test_check_gigabyte_bomb_refused_as_zip_bomb(gigabyte_bomb):
    assert _reason(gigabyte_bomb) == "zip_bomb_ratio"


def test_check_gigabyte_bomb_fast_and_small(gigabyte_bomb):
    assert _seconds(lambda: upload_safety.check_xlsx_upload(gigabyte_bomb)) < TIME_LIMIT_SECONDS
    assert _peak_traced_bytes(lambda: upload_safety.check_xlsx_upload(gigabyte_bomb)) < MEMORY_LIMIT_BYTES


def test_check_lying_header_with_matching_crc_reads_only_declared_bytes():
    # The CRC fits the first 1000 bytes, so zipfile hands over exactly those and no more.
    sheet = make_corpus.padded_sheet(padding_bytes=16 * MEBIBYTE)
    head = next(make_corpus.padded_sheet(padding_bytes=0))
    prefix = (head + b" " * 1000)[:1000]
    data = make_corpus.patch_entries(
        make_corpus.repack(VALID, replace={make_corpus.SHEET_PART: sheet}),
        names=[make_corpus.SHEET_PART],
        file_size=1000,
        crc=zlib.crc32(prefix),
    )
    assert _reason(data) == "bad_xml"
    assert _peak_traced_bytes(lambda: upload_safety.check_xlsx_upload(data)) < MEMORY_LIMIT_BYTES


def test_check_damaged_deflate_data_refused_as_truncated():
    data = bytearray(VALID)
    with zipfile.ZipFile(io.BytesIO(VALID)) as archive:
        theme = archive.getinfo("xl/theme/theme1.xml")
    # Into the middle of the theme's compressed bytes, past its local header.
    middle = theme.header_offset + 30 + len(theme.filename) + theme.compress_size // 2
    data[middle : middle + 16] = bytes(16)
    assert _reason(bytes(data)) == "truncated"


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("CV10000", None),
        ("cv10000", None),
        ("CW1", "huge_dimension"),
        ("A10001", "huge_dimension"),
        ("A0", "bad_xml"),
        ("1A", "bad_xml"),
    ],
)
def test_check_cell_reference_against_default_limits(reference, reason):
    assert _reason(_sheet_variant(f'<row><c r="{reference}"><v>1</v></c></row>', dimension=None)) == reason


def test_check_limits_can_be_raised_per_call():
    data = _sheet_variant('<row r="50000"><c r="GR50000"><v>1</v></c></row>', dimension="A1:GR50000")
    assert (_reason(data), _reason(data, max_rows=50_000, max_columns=200)) == ("huge_dimension", None)


def test_check_row_numbers_without_reference_count_on_from_last_row():
    rows = '<row r="10000"><c><v>1</v></c></row><row><c><v>2</v></c></row>'
    assert _reason(_sheet_variant(rows, dimension=None)) == "huge_dimension"


def test_check_row_beyond_limits_without_cells_refused():
    assert _reason(_sheet_variant('<row r="10001" ht="30" customHeight="1"/>')) == "huge_dimension"


def test_check_row_inside_row_refused_as_bad_xml():
    assert _reason(_sheet_variant('<row r="1"><row r="2"/></row>', dimension=None)) == "bad_xml"


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        ('<mergeCells count="1"><mergeCell ref="A1:J10"/></mergeCells>', None),
        ('<mergeCells count="1"><mergeCell ref="A:A"/></mergeCells>', None),
        ('<mergeCells count="1"><mergeCell ref="1:5000"/></mergeCells>', "too_many_cells"),
        ('<hyperlinks><hyperlink ref="A1:B1048576" location="About!A1"/></hyperlinks>', "huge_dimension"),
        ('<mergeCells count="1"><mergeCell ref="A1:B"/></mergeCells>', "bad_xml"),
        ('<mergeCells count="1"><mergeCell ref="A0:B2"/></mergeCells>', "bad_xml"),
    ],
)
def test_check_expanding_range_against_limits(tail, reason):
    assert _reason(_sheet_variant('<row r="1"><c r="A1"><v>1</v></c></row>', tail=tail)) == reason


def test_check_comment_range_counts_every_cell():
    comments = (
        f'<comments xmlns="{make_corpus.MAIN_NS}"><authors><author>a</author></authors>'
        '<commentList><comment ref="A1:CV5000" authorId="0"><text><t>x</t></text></comment></commentList></comments>'
    ).encode()
    assert _reason(make_corpus.repack(VALID, add={"xl/comments/comment1.xml": comments})) == "too_many_cells"


def test_check_text_of_exactly_cell_limit_passes():
    text = "y" * upload_safety.MAX_CELL_CHARS
    rows = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'
    assert (_reason(_sheet_variant(rows)), _reason(_sheet_variant(rows.replace("y", "yy", 1)))) == (None, "huge_cell")


def test_check_binary_part_is_not_parsed_as_xml():
    png = (CORPUS / "image.xlsx").read_bytes()
    assert _reason(make_corpus.repack(VALID, add={"xl/media/image1.png": png})) is None


def test_check_xml_part_with_unusual_name_is_still_parsed():
    # openpyxl finds parts through relationships, so a ".bin" name must not hide a worksheet.
    sheet = make_corpus.sheet_xml('<row r="1"><c r="A1048576"><v>1</v></c></row>', dimension=None)
    assert _reason(make_corpus.repack(VALID, add={"xl/worksheets/sheet9.bin": sheet})) == "huge_dimension"


def test_check_worst_case_within_limits_passes_fast():
    # 49 500 cells with formulas and values in one sheet: about as much as the limits let through.
    rows = "".join(
        f'<row r="{row}">'
        + "".join(f'<c r="{column}{row}"><f>SUM(A1:B2)</f><v>{row * 7 + index}</v></c>' for index, column in enumerate("ABCDEFGHIJKLMNOPQRST"))
        + "</row>"
        for row in range(1, 2476)
    )
    data = _sheet_variant(rows, dimension="A1:T2475")
    assert _reason(data) is None
    assert _seconds(lambda: upload_safety.check_xlsx_upload(data)) < TIME_LIMIT_SECONDS


@pytest.mark.parametrize(
    "variant",
    [
        "shared_string_index_out_of_range",
        "number_cell_holding_text",
        "style_index_out_of_range",
        "date_cell_holding_text",
        "content_types_without_workbook",
        "workbook_relationships_missing",
    ],
)
def test_open_workbook_openpyxl_failure_becomes_not_xlsx(variant):
    cells = {
        "shared_string_index_out_of_range": '<c r="A1" t="s"><v>99</v></c>',
        "number_cell_holding_text": '<c r="A1"><v>abc</v></c>',
        "style_index_out_of_range": '<c r="A1" s="999"><v>1</v></c>',
        "date_cell_holding_text": '<c r="A1" t="d"><v>not a date</v></c>',
    }
    if variant in cells:
        data = _sheet_variant(f'<row r="1">{cells[variant]}</row>')
    elif variant == "content_types_without_workbook":
        types = b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
        data = make_corpus.repack(VALID, replace={"[Content_Types].xml": types})
    else:
        data = make_corpus.repack(VALID, drop=[make_corpus.WORKBOOK_RELS_PART])
    assert _reason(data) is None
    with pytest.raises(UnsafeUpload) as caught:
        upload_safety.open_workbook(data)
    assert caught.value.params["reason"] == "not_xlsx"


def test_open_workbook_xml_error_inside_openpyxl_becomes_bad_xml():
    # A worksheet under a non-XML name and content: the check drains it, openpyxl parses it.
    with zipfile.ZipFile(io.BytesIO(VALID)) as archive:
        relationships = archive.read(make_corpus.WORKBOOK_RELS_PART)
    data = make_corpus.repack(
        VALID,
        replace={make_corpus.WORKBOOK_RELS_PART: relationships.replace(b"sheet1.xml", b"sheet1.bin")},
        drop=[make_corpus.SHEET_PART],
        add={"xl/worksheets/sheet1.bin": b"garbage, not a worksheet"},
    )
    assert _reason(data) is None
    with pytest.raises(UnsafeUpload) as caught:
        upload_safety.open_workbook(data)
    assert caught.value.params["reason"] == "bad_xml"


def test_open_workbook_hostile_file_never_reaches_openpyxl(monkeypatch):
    def no_loading(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was called for a refused file")

    monkeypatch.setattr(upload_safety, "load_workbook", no_loading)
    with pytest.raises(UnsafeUpload) as caught:
        upload_safety.open_workbook((CORPUS / "xxe.xlsx").read_bytes())
    assert caught.value.params["reason"] == "xml_entities"


def test_open_workbook_without_defusedxml_in_force_raises_runtime_error(monkeypatch):
    monkeypatch.setattr(openpyxl_xml, "iterparse", xml.etree.ElementTree.iterparse)
    with pytest.raises(RuntimeError):
        upload_safety.open_workbook(VALID)


def test_open_workbook_shared_strings_wiring_of_corpus_is_read_by_openpyxl():
    # Proves billion_laughs.xlsx and huge_cell.xlsx put their strings where openpyxl reads them.
    strings = f'<sst xmlns="{make_corpus.MAIN_NS}" count="1" uniqueCount="1"><si><t>hej</t></si></sst>'.encode()
    workbook = upload_safety.open_workbook(make_corpus.with_shared_strings(VALID, strings))
    assert workbook["Processes"]["A1"].value == "hej"


def _mutated(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    mutable = bytearray(data)
    for position, value in edits:
        mutable[position % len(mutable)] = value
    return bytes(mutable[:cut] if cut is not None else mutable)


def _assert_passes_or_refuses_fast(data: bytes, *, open_too: bool) -> None:
    start = time.perf_counter()
    try:
        upload_safety.check_xlsx_upload(data)
    except UnsafeUpload as exc:
        assert exc.params["reason"] in upload_safety.REASONS
    assert time.perf_counter() - start < TIME_LIMIT_SECONDS
    if open_too:
        try:
            upload_safety.open_workbook(data)
        except UnsafeUpload as exc:
            assert exc.params["reason"] in upload_safety.REASONS


HYPOTHESIS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(st.binary(max_size=8192))
def test_check_random_bytes_pass_or_unsafe_upload(data):
    _assert_passes_or_refuses_fast(data, open_too=False)


@pytest.mark.filterwarnings("ignore::UserWarning")
@HYPOTHESIS
@given(
    st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=12),
    st.none() | st.integers(min_value=0, max_value=len(VALID)),
)
def test_open_workbook_byte_mutations_of_valid_pass_or_unsafe_upload(edits, cut):
    _assert_passes_or_refuses_fast(_mutated(VALID, edits, cut), open_too=True)


with zipfile.ZipFile(io.BytesIO(VALID)) as _archive:
    _VALID_PARTS = {name: _archive.read(name) for name in _archive.namelist()}


@pytest.mark.filterwarnings("ignore::UserWarning")
@HYPOTHESIS
@given(
    st.sampled_from(sorted(_VALID_PARTS)),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=6),
    st.none() | st.integers(min_value=0, max_value=12_000),
)
def test_open_workbook_mutated_part_pass_or_unsafe_upload(part, edits, cut):
    # Mutating inside the zip keeps the CRCs right, so the XML checks and openpyxl see the damage.
    data = make_corpus.repack(VALID, replace={part: _mutated(_VALID_PARTS[part], edits, cut)})
    _assert_passes_or_refuses_fast(data, open_too=True)


def test_corpus_generator_writes_every_expected_file(tmp_path):
    written = make_corpus.write_corpus(tmp_path)
    assert set(written) == set(EXPECTED_REASONS) | {"valid.xlsx"}
