"""Workbook and PDF report generation time for a large workshop.

    .venv/bin/python -m bench.deliverables [--runs 5]

The workshop is the one bench.page_reruns builds (30 processes, 80 use cases, 11 criteria,
8 voters). Prints the median of each step; targets: workbook under 0.5 s, PDF under 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from bench.page_reruns import large_workshop_database
from workshop import exports, report_pdf, storage
from workshop.deliverable import build_deliverable

TARGETS_S = {"workbook": 0.5, "pdf": 3.0}


def timed(action) -> tuple[float, object]:  # noqa: ANN001
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workshop_id = large_workshop_database(folder)
        timings: dict[str, list[float]] = {"gather data": [], "workbook": [], "matrix image": [], "pdf": []}
        sizes = {}
        for _ in range(args.runs):
            seconds, d = timed(lambda: build_deliverable(workshop_id=workshop_id))
            timings["gather data"].append(seconds)
            seconds, workbook = timed(lambda: exports.workbook_bytes(d))
            timings["workbook"].append(seconds)
            seconds, image = timed(lambda: report_pdf.matrix_png(workshop_id=workshop_id, language=d.language))
            timings["matrix image"].append(seconds)
            seconds, pdf = timed(lambda: report_pdf.build_report_pdf(d, matrix_png=image))
            timings["pdf"].append(seconds)
            sizes = {"workbook": len(workbook), "pdf": len(pdf)}
        print(f"Large workshop (30 processes, 80 use cases, 11 criteria, 8 voters); median of {args.runs} runs")
        for name, values in timings.items():
            print(f"{name:<14} {statistics.median(values) * 1000:>8.0f} ms")
        workbook_total = statistics.median(timings["gather data"]) + statistics.median(timings["workbook"])
        pdf_total = statistics.median(timings["gather data"]) + statistics.median(timings["matrix image"]) + statistics.median(timings["pdf"])
        print(f"workbook end to end {workbook_total:.2f} s (target < {TARGETS_S['workbook']} s), {sizes['workbook'] // 1024} kB")
        print(f"PDF end to end      {pdf_total:.2f} s (target < {TARGETS_S['pdf']} s), {sizes['pdf'] // 1024} kB")
        storage.engine().dispose()


if __name__ == "__main__":
    main()
