"""Baseline: the same analyst script, reading with python-calamine.

Why this file exists: the gpwr benchmark compares `gpwr collect` + `gpwr
report` with hand-written Python. python-calamine wraps calamine, the Rust
reader, so this baseline is the fastest a Python analyst can reasonably get;
it shows how much of gpwr's speed is the reader and how much the rest.
It applies exactly the rules of baseline_openpyxl_pandas.py (both use
baseline_common) and must write identical totals.

Usage: python3 baseline_python_calamine.py DIR OUT.json [-v]

Writes OUT.json (see baseline_common.write_totals) and prints one line to
stderr with the number of files and the seconds taken. -v also prints each
file that could not be read.
"""

import sys
import time

import pandas as pd
from python_calamine import CalamineWorkbook

from baseline_common import (
    SHEET_INDICATORS,
    SHEET_TECH,
    indicator_rows,
    institution_from_tech,
    list_workbooks,
    parse_value,
    write_totals,
)


def sheet_rows(workbook, sheet):
    """One sheet as a list of rows (lists of cell values).

    skip_empty_area=False keeps row 1 / column A where they are, so "_gpwr"
    A3/B3 are rows[2][0]/rows[2][1] even if leading cells are empty.
    Empty cells come back as "", which baseline_common treats as empty.
    """
    return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def read_institution(workbook):
    """Institution id from the hidden "_gpwr" sheet."""
    try:
        return institution_from_tech(sheet_rows(workbook, SHEET_TECH))
    except Exception:
        # A workbook without the technical sheet still has indicators.
        return None


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    directory, out_path = args

    start = time.perf_counter()
    records = []  # (file, institution, indicator, value)
    files_read = 0
    files_failed = 0
    for path in list_workbooks(directory):
        try:
            workbook = CalamineWorkbook.from_path(path)
            rows = sheet_rows(workbook, SHEET_INDICATORS)
            file_records = [
                (ind, parse_value(raw)) for ind, raw in indicator_rows(rows)
            ]
        except Exception as e:
            # Broken, encrypted, not a workbook, no "Wskaźniki" sheet, no
            # header row: record it and go on with the next file.
            files_failed += 1
            if verbose:
                print(f"failed: {path}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        institution = read_institution(workbook)
        records.extend((path, institution, ind, val) for ind, val in file_records)
        files_read += 1

    df = pd.DataFrame(records, columns=["file", "institution", "indicator", "value"])
    df["value"] = df["value"].astype("float64")  # None -> NaN
    # sum skips NaN; count counts non-null values only.
    grouped = df.groupby("indicator")["value"].agg(["sum", "count"])
    totals = {ind: (row["sum"], row["count"]) for ind, row in grouped.iterrows()}
    write_totals(out_path, totals, files_read, files_failed)

    seconds = time.perf_counter() - start
    print(
        f"python-calamine+pandas: files_read={files_read} files_failed={files_failed} "
        f"seconds={seconds:.3f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
