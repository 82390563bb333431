"""Regenerate with `.venv/bin/python -m tests.hostile.make_corpus` from the repository root.

Writes the hostile-upload corpus used by tests/unit/test_upload_safety.py into this folder:
one valid workbook and files that each break one rule of `workshop.upload_safety`. The
output is deterministic (fixed timestamps and random seeds), so regenerating changes no
committed file unless this script or the installed openpyxl changed (openpyxl writes its
XML differently when lxml is installed). Every file stays under 200 KB: the bombs are small
when packed and large only when unpacked.
"""

from __future__ import annotations

import datetime
import io
import random
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from openpyxl import Workbook

FOLDER = Path(__file__).resolve().parent
# The sheets and cell values of valid.xlsx; the tests compare what openpyxl reads back.
VALID_SHEETS: dict[str, list[tuple[object, ...]]] = {
    "Processes": [
        ("Process", "Hours per week", "Pain (1–5)", "Automatable"),
        ("Fakturering", 12, 4, True),
        ("Kundmejl", 6.5, 3, False),
        ("Lagerinventering", 3, 2, True),
    ],
    "About": [
        ("Title", "Möjlighetskartan – förberedelse"),
        ("Version", 1),
    ],
}
SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
WORKBOOK_RELS_PART = "xl/_rels/workbook.xml.rels"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Zip timestamps are fixed so regenerating gives byte-identical files.
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
# Corpus files must stay small enough to commit.
MAX_FILE_BYTES = 200 * 1024
_MEBIBYTE = 1024 * 1024

Content = bytes | Iterable[bytes]


def repack(
    source: bytes,
    *,
    replace: Mapping[str, Content] | None = None,
    add: Mapping[str, Content] | None = None,
    drop: Iterable[str] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The zip archive `source` rewritten with fixed timestamps: parts in `replace` get new
    content, parts in `add` are appended, parts in `drop` are left out. Content is bytes or an
    iterable of chunks, streamed so a huge payload never sits in memory. No side effects."""
    replace = dict(replace or {})
    dropped = set(drop)
    with zipfile.ZipFile(io.BytesIO(source)) as original:
        parts: list[tuple[str, Content]] = [
            (name, replace.pop(name) if name in replace else original.read(name))
            for name in original.namelist()
            if name not in dropped
        ]
    parts += list(replace.items()) + list((add or {}).items())
    return zip_parts(parts, compression=compression)


def zip_parts(parts: Iterable[tuple[str, Content]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of `parts` (name, bytes or chunks) in order, with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = compression
            with archive.open(info, "w") as stream:
                for chunk in [content] if isinstance(content, bytes) else content:
                    stream.write(chunk)
    return buffer.getvalue()


def patch_entries(
    data: bytes,
    *,
    names: Iterable[str] | None = None,
    file_size: int | None = None,
    crc: int | None = None,
    set_flags: int = 0,
) -> bytes:
    """`data` with the declared uncompressed size, CRC or flag bits of the named entries (all
    when `names` is None) overwritten in both the local header and the central directory, the
    way a forged archive would lie. The payload is left as it is."""
    out = bytearray(data)
    wanted = None if names is None else set(names)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        position = archive.start_dir
    for entry in entries:
        if out[position : position + 4] != b"PK\x01\x02":
            raise ValueError("unexpected central directory layout")
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", out, position + 28)
        if wanted is None or entry.filename in wanted:
            local = entry.header_offset
            if file_size is not None:
                struct.pack_into("<I", out, position + 24, file_size)
                struct.pack_into("<I", out, local + 22, file_size)
            if crc is not None:
                struct.pack_into("<I", out, position + 16, crc)
                struct.pack_into("<I", out, local + 14, crc)
            if set_flags:
                flags = struct.unpack_from("<H", out, position + 8)[0] | set_flags
                struct.pack_into("<H", out, position + 8, flags)
                struct.pack_into("<H", out, local + 6, flags)
        position += 46 + name_length + extra_length + comment_length
    return bytes(out)


def sheet_xml(rows: str, *, dimension: str | None = "A1", prolog: str = "", tail: str = "") -> bytes:
    """A worksheet part holding `rows` inside sheetData, with `prolog` before the root element
    and `tail` after sheetData (merged cells, hyperlinks…)."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{declared}'
        f"<sheetData>{rows}</sheetData>{tail}</worksheet>"
    ).encode()


def padded_sheet(*, padding_bytes: int) -> Iterator[bytes]:
    """A well-formed worksheet part with `padding_bytes` of spaces inside sheetData, in 1 MiB
    chunks: valid XML that deflates about a thousandfold."""
    head, tail = sheet_xml("\0").split(b"\0")
    yield head
    chunk = b" " * _MEBIBYTE
    for _ in range(padding_bytes // _MEBIBYTE):
        yield chunk
    yield b" " * (padding_bytes % _MEBIBYTE)
    yield tail


def valid_workbook() -> bytes:
    """The valid two-sheet workbook openpyxl writes for VALID_SHEETS, with fixed timestamps."""
    workbook = Workbook()
    first = workbook.active
    for index, (title, rows) in enumerate(VALID_SHEETS.items()):
        sheet = first if index == 0 else workbook.create_sheet()
        sheet.title = title
        for row in rows:
            sheet.append(row)
    workbook.properties.created = datetime.datetime(2024, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        core = archive.read("docProps/core.xml")
    # openpyxl stamps the save time here.
    core = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", core)
    return repack(buffer.getvalue(), replace={"docProps/core.xml": core})


def compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (CFB version 3, 512-byte sectors) with `streams` at its
    root; each stream is padded to 4096 bytes so it lives in regular sectors, not the mini
    stream. This is the container of legacy .xls files and of encrypted .xlsx files."""
    free, end_of_chain, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    sector = 512
    # Siblings must be ordered by name length, then upper-cased name, to form a valid tree.
    names = sorted(streams, key=lambda name: (len(name), name.upper()))
    bodies = [streams[name] + bytes(max(0, 4096 - len(streams[name]))) for name in names]
    bodies = [body + bytes(-len(body) % sector) for body in bodies]
    directory_sectors = -(-(len(names) + 1) * 128 // sector)
    fat = [fat_sector] + [*range(2, directory_sectors + 1), end_of_chain]
    starts = []
    for body in bodies:
        first = len(fat)
        count = len(body) // sector
        starts.append(first)
        fat += [*range(first + 1, first + count), end_of_chain]
    if len(fat) > sector // 4:
        raise ValueError("more streams than one FAT sector can map")
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, *, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, no_stream, right, child,
            bytes(16), 0, 0, 0, start, size,
        )

    directory = entry("Root Entry", 5, right=no_stream, child=1 if names else no_stream, start=end_of_chain, size=0)
    for index, (name, start) in enumerate(zip(names, starts, strict=True), start=1):
        right = index + 1 if index < len(names) else no_stream
        size = max(len(streams[name]), 4096)
        directory += entry(name, 2, right=right, child=no_stream, start=start, size=size)
    unused = struct.pack("<64sHBBIII16sIQQIQ", bytes(64), 0, 0, 0, no_stream, no_stream, no_stream, bytes(16), 0, 0, 0, 0, 0)
    directory += unused * (directory_sectors * sector // 128 - len(names) - 1)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
        0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0,
    ) + struct.pack("<109I", 0, *([free] * 108))
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(bodies)


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x0b\x5f\xa5")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _random_bytes() -> bytes:
    data = random.Random(20240101).randbytes(4096)
    if data.startswith((b"PK", bytes.fromhex("D0CF11E0"))):
        raise ValueError("the seed happens to give a known magic number; choose another")
    return data


def _legacy_xls() -> bytes:
    # A BIFF8 workbook-globals BOF record, then EOF: the start of every .xls workbook stream.
    beginning = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x000100C1, 0x00000406)
    return compound_file({"Workbook": beginning + struct.pack("<HH", 0x000A, 0)})


def _encrypted_xlsx() -> bytes:
    # Agile encryption (MS-OFFCRYPTO 2.3.4.10): version 4.4, then the XML descriptor.
    descriptor = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        b"</encryption>"
    )
    package = struct.pack("<Q", 4096) + random.Random(4).randbytes(4096)
    return compound_file({
        "EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40) + descriptor,
        "EncryptedPackage": package,
    })


def _with_sheet(valid: bytes, sheet: Content) -> bytes:
    return repack(valid, replace={SHEET_PART: sheet})


def with_shared_strings(valid: bytes, strings: bytes) -> bytes:
    """`valid` with a shared-strings part `strings`, declared in the content types and the
    workbook's relationships the way Excel does, and a first sheet whose A1 shows string 0
    (openpyxl itself writes inline strings, so valid.xlsx has no shared strings)."""
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        types = archive.read("[Content_Types].xml")
        relationships = archive.read(WORKBOOK_RELS_PART)
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
    )
    relationships = relationships.replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        b'Target="sharedStrings.xml" Id="rId99" /></Relationships>',
    )
    return repack(
        valid,
        replace={
            "[Content_Types].xml": types,
            WORKBOOK_RELS_PART: relationships,
            SHEET_PART: sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        },
        add={STRINGS_PART: strings},
    )


def _many_entries(valid: bytes) -> bytes:
    # Empty stored entries with three-character names: about 82 bytes each in the archive.
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        parts: list[tuple[str, Content]] = [(name, archive.read(name)) for name in archive.namelist()]
    parts += [(f"{index:03x}", b"") for index in range(2000)]
    return zip_parts(parts, compression=zipfile.ZIP_STORED)


def _billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE sst [{''.join(levels)}]>"
        f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    ).encode()


def _utf16_doctype() -> bytes:
    text = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>',
        prolog='<!DOCTYPE worksheet [<!ENTITY x "expanded">]>',
    ).decode()
    return "\ufeff".encode("utf-16-le") + text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")


def _huge_shared_string() -> bytes:
    # 1 000 000 characters: 30 times what a cell can hold, yet under the ratio floor when unpacked.
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1">'
        f"<si><t>{'x' * 1_000_000}</t></si></sst>"
    ).encode()


def _attribute_bomb() -> bytes:
    # One start tag of ~400 KB: parsers hold a tag whole and build an object per attribute.
    attributes = " ".join(f'a{index}="1"' for index in range(40_000))
    return sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', tail=f"<sheetPr {attributes}/>")


def _many_parts_over_budget(valid: bytes) -> bytes:
    # Thirty 1 MB parts of zeros: each under the ratio floor, together past the unpacked limit.
    return repack(valid, add={f"xl/media/pad{index:02d}.bin": bytes(1_000_000) for index in range(30)})


def _many_elements(valid: bytes) -> bytes:
    # Four 400 KB parts of 100 000 empty elements each: small parts, together over the element budget.
    part = b'<?xml version="1.0"?><root>' + b"<a/>" * 100_000 + b"</root>"
    return repack(valid, add={f"customXml/item{index}.xml": part for index in range(4)})


def build_corpus() -> dict[str, bytes]:
    """Every corpus file by name. No side effects."""
    valid = valid_workbook()
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>'
    far = sheet_xml('<row r="1000000"><c r="A1000000"><v>1</v></c></row>', dimension=None)
    builders: dict[str, Callable[[], bytes]] = {
        "valid.xlsx": lambda: valid,
        "empty.bin": lambda: b"",
        "text.xlsx": lambda: b"Process;Hours per week\nFakturering;12\nKundmejl;6,5\n",
        "image.xlsx": _png,
        "random.xlsx": _random_bytes,
        "truncated.xlsx": lambda: valid[: len(valid) // 2],
        "legacy.xls": _legacy_xls,
        "encrypted.xlsx": _encrypted_xlsx,
        "zip_encrypted.xlsx": lambda: patch_entries(valid, set_flags=0x1),
        "lzma_compressed.xlsx": lambda: repack(valid, compression=zipfile.ZIP_LZMA),
        "not_workbook.xlsx": lambda: repack(valid, drop=["xl/workbook.xml"], add={"word/document.xml": b"<document/>"}),
        "zipbomb_ratio.xlsx": lambda: _with_sheet(valid, padded_sheet(padding_bytes=128 * _MEBIBYTE)),
        # The directory says the sheet unpacks to 1000 bytes; it inflates to 32 MiB.
        "lying_header.xlsx": lambda: patch_entries(
            _with_sheet(valid, padded_sheet(padding_bytes=32 * _MEBIBYTE)), names=[SHEET_PART], file_size=1000
        ),
        "many_entries.xlsx": lambda: _many_entries(valid),
        "unpacked_too_large.xlsx": lambda: _many_parts_over_budget(valid),
        "too_many_elements.xlsx": lambda: _many_elements(valid),
        "billion_laughs.xlsx": lambda: with_shared_strings(valid, _billion_laughs()),
        "xxe.xlsx": lambda: _with_sheet(
            valid,
            sheet_xml(
                '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                prolog='<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
            ),
        ),
        "utf16_doctype.xlsx": lambda: _with_sheet(valid, _utf16_doctype()),
        "huge_dimension.xlsx": lambda: _with_sheet(
            valid,
            sheet_xml('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', dimension="A1:XFD1048576"),
        ),
        "far_cell.xlsx": lambda: _with_sheet(valid, far),
        "wide_row.xlsx": lambda: _with_sheet(
            valid, sheet_xml("<row>" + "".join(f"<c><v>{n}</v></c>" for n in range(1000)) + "</row>", dimension=None)
        ),
        "hyperlink_range.xlsx": lambda: _with_sheet(
            valid,
            sheet_xml(rows, tail='<hyperlinks><hyperlink ref="A1:XFD1048576" location="Processes!A1"/></hyperlinks>'),
        ),
        "merged_range.xlsx": lambda: _with_sheet(
            valid, sheet_xml(rows, tail='<mergeCells count="1"><mergeCell ref="A1:CV10000"/></mergeCells>')
        ),
        "huge_cell.xlsx": lambda: with_shared_strings(valid, _huge_shared_string()),
        "attribute_bomb.xlsx": lambda: _with_sheet(valid, _attribute_bomb()),
        "long_comment.xlsx": lambda: _with_sheet(valid, sheet_xml(rows, prolog="<!--" + "x" * 400_000 + "-->")),
        "deep_nesting.xlsx": lambda: _with_sheet(
            valid,
            sheet_xml(rows, tail="".join(f"<n{d}>" for d in range(200)) + "".join(f"</n{d}>" for d in reversed(range(200)))),
        ),
        "bad_xml.xlsx": lambda: _with_sheet(valid, sheet_xml(rows)[:-30]),
    }
    return {name: build() for name, build in builders.items()}


def write_corpus(folder: Path = FOLDER) -> dict[str, int]:
    """Write every corpus file into `folder`, overwriting; the sizes written, by name.

    Raises ValueError, writing nothing, if any file would reach MAX_FILE_BYTES."""
    corpus = build_corpus()
    too_big = {name: len(data) for name, data in corpus.items() if len(data) >= MAX_FILE_BYTES}
    if too_big:
        raise ValueError(f"corpus files too large to commit: {too_big}")
    for name, data in corpus.items():
        (folder / name).write_bytes(data)
    return {name: len(data) for name, data in corpus.items()}


def main() -> int:
    for name, size in write_corpus().items():
        print(f"{size:>9,} B  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
