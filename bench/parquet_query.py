"""One DuckDB query over the tidy table `gpwr collect` writes as Parquet (dane.parquet):
what an analyst at county or national scale runs once gpwr has done the reading and
checking. Totals per indicator across institutions, with how many gave a number and how
many typed text instead.

Usage: python3 bench/parquet_query.py COLLECTED_DIR   (pip install -r bench/requirements.txt)
"""

import sys
import time

import duckdb

QUERY = """
SELECT wskaznik,
       any_value(jednostka)                          AS jednostka,
       round(sum(wartosc), 2)                        AS suma,
       count(wartosc)                                AS z_liczba,
       count(*) FILTER (WHERE status = 'tekst')      AS z_tekstem,
       count(*) FILTER (WHERE status = 'brak_formularza') AS bez_formularza
FROM read_parquet(?)
GROUP BY wskaznik
ORDER BY wskaznik
"""


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = f"{sys.argv[1].rstrip('/')}/dane.parquet"
    con = duckdb.connect()
    started = time.perf_counter()
    rows = con.execute(QUERY, [path]).fetchall()
    elapsed = time.perf_counter() - started
    print("wskaznik | jednostka | suma | z_liczba | z_tekstem | bez_formularza")
    for row in rows:
        print(" | ".join(str(v) for v in row))
    print(f"{len(rows)} wskaźników w {elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    main()
