"""Shared helpers for the Python baselines of the gpwr benchmark.

Why this file exists: the benchmark compares `gpwr collect` + `gpwr report`
with what an analyst would write by hand in Python. Two such baselines exist
(openpyxl+pandas and python-calamine+pandas); they differ only in how they
read the workbooks. Everything else -- turning a typed cell into a number,
finding the header row and columns, writing the totals -- lives here so both
baselines apply exactly the same rules and must produce identical JSON.
"""

import datetime
import json
import math
import os
import re
import sys
import time

# Name of the sheet holding the indicators, and of the hidden technical sheet.
SHEET_INDICATORS = "Wskaźniki"
SHEET_TECH = "_gpwr"

# Header cells we look for (by name, never by position).
COL_ID = "ID"
COL_VALUE = "Wartość"

# The header row is somewhere in the first rows of the sheet.
HEADER_SEARCH_ROWS = 10

# Answers that mean "no value" even though they are text.
NO_VALUE_WORDS = {"-", "–", "—", "nie dotyczy", "brak danych", "brak", "nd", "n/d"}

# Prefixes meaning "approximately" that an analyst would just drop.
APPROX_PREFIX = re.compile(r"^(ok\.|około|ca\.?|~)\s*", re.IGNORECASE)

# A number at the start of the text: optional sign, then digits mixed with
# the separators people type (space, non-breaking spaces, dot, comma).
# Whatever follows (" zł", " rodzin", "%") is ignored.
LEADING_NUMBER = re.compile(r"^[+-]?\d[\d\s\u00a0\u202f.,]*")


def parse_value(v):
    """Turn a "Wartość" cell into a float, or None if it holds no number.

    Numbers pass through. Text is cleaned the way a careful analyst would:
    "12 rodzin" -> 12, "69 518,09 zł" -> 69518.09, "1 234,5" -> 1234.5,
    "ok. 470" -> 470, "1.234,50" -> 1234.5; "-", "nie dotyczy",
    "brak danych" and text without digits -> None.
    """
    # Empty cells: None from openpyxl/calamine, NaN from pandas.
    if v is None:
        return None
    # bool is a subclass of int: a TRUE/FALSE cell is not a count.
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        if isinstance(v, float) and math.isnan(v):
            return None
        return float(v)
    # A date typed into a number cell (Excel auto-converts "3.05" etc.):
    # not a number an analyst would sum.
    if isinstance(v, (datetime.date, datetime.time, datetime.timedelta)):
        return None
    if not isinstance(v, str):
        # numpy scalars and anything else numeric-like.
        try:
            f = float(v)
        except (TypeError, ValueError):
            return None
        return None if math.isnan(f) else f

    s = v.strip()
    if s.lower() in NO_VALUE_WORDS:
        return None
    s = APPROX_PREFIX.sub("", s)
    m = LEADING_NUMBER.match(s)
    if m is None:
        # Text without a leading number ("tak", "Na bieżąco", "Zrealizowane").
        return None

    # Drop spaces and non-breaking spaces used as thousands separators.
    num = re.sub(r"[\s\u00a0\u202f]", "", m.group(0))
    # A trailing separator belongs to the text ("12, ok", "5.").
    num = num.rstrip(".,")

    if "," in num and "." in num:
        # Both present: the last one is the decimal separator ("1.234,50").
        if num.rfind(",") > num.rfind("."):
            num = num.replace(".", "").replace(",", ".")
        else:
            num = num.replace(",", "")
    elif num.count(",") > 1:
        # "1,234,567": commas are thousands separators.
        num = num.replace(",", "")
    elif num.count(".") > 1:
        # "1.234.567": dots are thousands separators.
        num = num.replace(".", "")
    else:
        # Polish convention: a single comma is the decimal separator.
        num = num.replace(",", ".")

    try:
        return float(num)
    except ValueError:
        return None


def cell_text(v):
    """Cell as stripped text; '' for empty cells (None, NaN, '')."""
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return ""
    return str(v).strip()


def find_header(rows):
    """Find the header row and the ID / Wartość columns by name.

    `rows` is a list of lists of cell values (any reader). Returns
    (header_row_index, id_col, value_col) or None if there is no header in
    the first HEADER_SEARCH_ROWS rows.
    """
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [cell_text(c) for c in row]
        if COL_ID in texts and COL_VALUE in texts:
            return i, texts.index(COL_ID), texts.index(COL_VALUE)
    return None


def indicator_rows(rows):
    """Yield (indicator_id, raw_value) for each indicator row of the sheet.

    Skips headings (empty ID) and free-text descriptions (ID "opis:...").
    Raises ValueError if the header row is missing.
    """
    found = find_header(rows)
    if found is None:
        raise ValueError("no header row with 'ID' and 'Wartość'")
    header_row, id_col, value_col = found
    for row in rows[header_row + 1:]:
        raw_id = row[id_col] if id_col < len(row) else None
        # Indicator ids are strings; empty/NaN/numeric ids are not indicators.
        if not isinstance(raw_id, str):
            continue
        ind = raw_id.strip()
        if ind == "" or ind.startswith("opis:"):
            continue
        value = row[value_col] if value_col < len(row) else None
        yield ind, value


def institution_from_tech(rows):
    """Institution id from the hidden sheet: A3 == 'instytucja', B3 = id."""
    if len(rows) >= 3 and len(rows[2]) >= 2 and cell_text(rows[2][0]) == "instytucja":
        return cell_text(rows[2][1]) or None
    return None


def list_workbooks(directory):
    """All *.xlsx / *.xlsm files under `directory`, recursive, sorted."""
    found = []
    for root, _dirs, files in os.walk(directory):
        for name in files:
            if name.lower().endswith((".xlsx", ".xlsm")):
                found.append(os.path.join(root, name))
    return sorted(found)


def write_totals(path, totals, files_read, files_failed):
    """Write the totals JSON shared by both baselines.

    `totals` maps indicator id -> (sum, count). Output:
    {"files_read": n, "files_failed": n,
     "totals": {id: {"sum": float, "count": int}}}
    with sorted keys and sums rounded to 2 decimals.
    """
    out = {
        "files_read": int(files_read),
        "files_failed": int(files_failed),
        "totals": {
            ind: {"sum": round(float(s), 2), "count": int(c)}
            for ind, (s, c) in totals.items()
        },
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")


def run(label, doc, argv, open_workbook, sheet_rows):
    """The analyst's script, whatever the reader: read every workbook's indicator rows,
    parse the values, total them with pandas and write OUT.json.

    `open_workbook(path)` returns a handle; `sheet_rows(handle, sheet)` returns that
    sheet's rows as lists of cell values. Returns the process exit code.
    """
    import pandas as pd

    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    if len(args) != 2:
        print(doc, file=sys.stderr)
        return 2
    directory, out_path = args

    start = time.perf_counter()
    records = []  # (file, institution, indicator, value)
    files_read = 0
    files_failed = 0
    for path in list_workbooks(directory):
        try:
            workbook = open_workbook(path)
            rows = sheet_rows(workbook, SHEET_INDICATORS)
            file_records = [(ind, parse_value(raw)) for ind, raw in indicator_rows(rows)]
        except Exception as e:
            # Broken, encrypted, not a workbook, no "Wskaźniki" sheet, no
            # header row: record it and go on with the next file.
            files_failed += 1
            if verbose:
                print(f"failed: {path}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        try:
            institution = institution_from_tech(sheet_rows(workbook, SHEET_TECH))
        except Exception:
            # A workbook without the technical sheet still has indicators.
            institution = None
        records.extend((path, institution, ind, val) for ind, val in file_records)
        files_read += 1

    df = pd.DataFrame(records, columns=["file", "institution", "indicator", "value"])
    df["value"] = df["value"].astype("float64")  # None -> NaN
    # sum skips NaN; count counts non-null values only.
    grouped = df.groupby("indicator")["value"].agg(["sum", "count"])
    totals = {ind: (row["sum"], row["count"]) for ind, row in grouped.iterrows()}
    write_totals(out_path, totals, files_read, files_failed)

    seconds = time.perf_counter() - start
    print(f"{label}: files_read={files_read} files_failed={files_failed} seconds={seconds:.3f}", file=sys.stderr)
    return 0
