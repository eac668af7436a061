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

from python_calamine import CalamineWorkbook

from baseline_common import run


def sheet_rows(workbook, sheet):
    """One sheet as a list of rows (lists of cell values).

    skip_empty_area=False keeps row 1 / column A where they are, so "_gpwr"
    A3/B3 are rows[2][0]/rows[2][1] even if leading cells are empty.
    Empty cells come back as "", which baseline_common treats as empty.
    """
    return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


if __name__ == "__main__":
    sys.exit(run("python-calamine+pandas", __doc__, sys.argv[1:], CalamineWorkbook.from_path, sheet_rows))
