"""The company's deliverables as download buttons, shared by the wrap-up step and the
company's own results page. Each file is built only when its button is clicked, as this
session's caller, and the download is logged."""

from __future__ import annotations


from ui import auth, t
from workshop import cohorts, downloads, exports


def file_name(workshop: cohorts.WorkshopInfo, kind: str, extension: str) -> str:
    return exports.file_name(company_name=workshop.company_name, held_on=workshop.held_on, kind=kind, extension=extension)


def workbook_and_report(workshop: cohorts.WorkshopInfo, *, key_prefix: str) -> None:
    """The workbook (primary) and the PDF report, in the workshop's language."""
    auth.download_button(
        t("wrap_up.download_workbook"),
        lambda: downloads.workbook(workshop_id=workshop.id),
        file_name=file_name(workshop, "workbook", "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        type="primary",
        key=f"{key_prefix}_workbook",
    )
    auth.download_button(
        t("wrap_up.download_report"),
        lambda: downloads.report(workshop_id=workshop.id, language=workshop.language),
        file_name=file_name(workshop, "report", "pdf"),
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key=f"{key_prefix}_report",
    )
