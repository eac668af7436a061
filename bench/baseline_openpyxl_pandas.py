"""Baseline: what an analyst would do in Python with pandas + openpyxl.

Why this file exists: the gpwr benchmark compares `gpwr collect` + `gpwr
report` with the script an analyst would write by hand. This is the most
common version of that script: pandas.read_excel with the openpyxl engine on
every workbook, a regex to clean typed values, one DataFrame, a groupby.

Usage: python3 baseline_openpyxl_pandas.py DIR OUT.json [-v]

Writes OUT.json (see baseline_common.write_totals) and prints one line to
stderr with the number of files and the seconds taken. -v also prints each
file that could not be read.
"""

import sys

import pandas as pd

from baseline_common import run


def read_rows(path, sheet):
    """One sheet as a list of rows (lists of cell values), no header; each sheet is read
    with its own read_excel call, as an analyst does."""
    df = pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl")
    # Empty cells come back as NaN; baseline_common treats NaN as empty.
    return df.values.tolist()


if __name__ == "__main__":
    sys.exit(run("openpyxl+pandas", __doc__, sys.argv[1:], lambda path: path, read_rows))
