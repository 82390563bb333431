"""The files people take away from a workshop, each download recorded in the audit log
(who, which workshop, which file) — exports of commercially sensitive data."""

from __future__ import annotations

from workshop import access, audit, bundle, exports, report_pdf
from workshop.deliverable import build_deliverable


def _logged(workshop_id: int, kind: str, data: bytes) -> bytes:
    audit.log(action="export.download", object_type="workshop", object_id=workshop_id, file=kind, size=len(data))
    return data


@access.reads_workshop
def workbook(*, workshop_id: int) -> bytes:
    """The company's workbook (.xlsx)."""
    return _logged(workshop_id, "workbook", exports.workbook_bytes(build_deliverable(workshop_id=workshop_id)))


@access.reads_workshop
def report(*, workshop_id: int, language: str) -> bytes:
    """The PDF report, with the matrix drawn in `language`."""
    data = report_pdf.build_report_pdf(
        build_deliverable(workshop_id=workshop_id),
        matrix_png=report_pdf.matrix_png(workshop_id=workshop_id, language=language),
    )
    return _logged(workshop_id, "report", data)


@access.reads_workshop
def table_csv(*, workshop_id: int, table: str) -> bytes:
    """One table of the deliverable (an `exports.TABLE_TITLE_KEYS` key) as CSV."""
    return _logged(workshop_id, f"csv:{table}", exports.table_csv(build_deliverable(workshop_id=workshop_id), table))


@access.reads_workshop
def workshop_bundle(*, workshop_id: int) -> bytes:
    """The whole workshop as a bundle (JSON) to move it to another installation."""
    return _logged(workshop_id, "bundle", bundle.bundle_bytes(workshop_id=workshop_id))
