"""Benchmark driver for gpwr: one command that produces the numbers in BENCHMARKS.md.

Why this file exists: the benchmark (issue 7) compares `gpwr collect` +
`gpwr report` with the raw calamine floor and with the two Python scripts an
analyst would write (bench/baseline_*.py). Running those by hand under
`/usr/bin/time -v` for several campaign sizes is slow and easy to get wrong;
this script does it the same way every time, prints a Markdown table per
size and keeps every raw number in a JSON file.

Reproduce (from the repository root):

    cargo build --release --examples --bin gpwr
    pip install -r bench/requirements.txt
    python3 bench/run.py --sizes 20 1000 10000

Options: --threads T (raw calamine threads, default 2), --repeat R (runs per
command, best wall time kept, default 1), --skip-openpyxl-above N (default
1000; openpyxl is ~30x slower than gpwr), --templates N (time `gpwr
templates` for a programme of N institutions, default 2500, 0 = off),
--work DIR (campaigns, default /tmp/gpwr-bench), --out FILE (JSON, default
bench/results.json).

For each size N the campaign is made once by `bench_inbox WORK/nN N`
(deterministic; reused while WORK/nN/inbox holds N files) and every command
runs with WORK/nN as its working directory. Only the Python standard library
is used here; the baselines need bench/requirements.txt.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, "target", "release")
GPWR = os.path.join(RELEASE, "gpwr")
BENCH_INBOX = os.path.join(RELEASE, "examples", "bench_inbox")
BENCH_CALAMINE = os.path.join(RELEASE, "examples", "bench_calamine")
BASELINE_OPENPYXL = os.path.join(ROOT, "bench", "baseline_openpyxl_pandas.py")
BASELINE_CALAMINE = os.path.join(ROOT, "bench", "baseline_python_calamine.py")
TIME = "/usr/bin/time"

# gpwr's exit codes: 0 = no data errors, 1 = data errors found (a normal
# outcome for a messy inbox), anything else (3 = crash) is a failure.
GPWR_OK = (0, 1)
OK = (0,)

# Row labels, in table order.
COLLECT = "gpwr collect"
REPORT = "gpwr report"
RECOLLECT = "gpwr collect again, one return added"
GPWR_TOTAL = "gpwr collect+report"
RAW = "raw calamine"
OPENPYXL = "openpyxl+pandas"
PYCALAMINE = "python-calamine+pandas"
TEMPLATES = "gpwr templates"


# ---------------------------------------------------------------- measuring


def parse_time_v(text):
    """The numbers we keep from GNU time -v output: wall, user, sys (s), max RSS (KiB)."""

    def field(label):
        m = re.search(r"^\s*" + re.escape(label) + r".*?:\s+(\S+)\s*$", text, re.MULTILINE)
        if m is None:
            raise ValueError(f"'{label}' not in /usr/bin/time output")
        return m.group(1)

    # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:12.36" or "1:02:03".
    wall = 0.0
    for part in field("Elapsed (wall clock) time").split(":"):
        wall = wall * 60 + float(part)
    return {
        "wall_s": wall,
        "user_s": float(field("User time")),
        "sys_s": float(field("System time")),
        "max_rss_kib": int(field("Maximum resident set size")),
    }


# Where earlier outputs are set aside until the run ends (see `set_aside`).
TRASH = None


def set_aside(path):
    """Move `path` (an earlier run's output) out of the way, into TRASH, deleted when the
    whole benchmark ends. Not deleted at once: on a filesystem without a journal (this
    machine's ext4), creating thousands of files right after deleting thousands makes the
    kernel skip every recently deleted inode one by one, which added about 2 s of system
    time to a collect at N = 10 000 (see BENCHMARKS.md). A coordinator's collect never
    follows such a deletion; the harness should not either."""
    if not os.path.lexists(path):
        return
    os.makedirs(TRASH, exist_ok=True)
    os.rename(path, os.path.join(TRASH, f"{len(os.listdir(TRASH))}-{os.path.basename(path)}"))


def empty_trash():
    """Delete what `set_aside` kept, flush, and note when (see `settle`)."""
    if TRASH and os.path.isdir(TRASH):
        shutil.rmtree(TRASH)
        os.sync()
        with open(TRASH + "-deleted-at", "w") as f:
            f.write(f"{time.time()}\n")


# ext4 counts a deleted inode as recent for 60 s, or 360 s while its inode-table block is
# being written (as it is while new files are created next to it).
RECENT_S = 361


def settle():
    """At the start: delete what an interrupted run left, and wait until the outputs an
    earlier run deleted no longer slow the creation of new files. Other mass deletions
    (a test run) should also end a few minutes before a benchmark."""
    empty_trash()
    try:
        with open(TRASH + "-deleted-at") as f:
            wait = RECENT_S - (time.time() - float(f.read()))
    except (OSError, ValueError):
        wait = 0
    if wait > 0:
        print(f"waiting {wait:.0f} s: the outputs of an earlier run were deleted a moment ago",
              file=sys.stderr, flush=True)
        time.sleep(wait)


def run_timed(cmd, cwd, ok_codes, clean=()):
    """Run `cmd` once under /usr/bin/time -v. `clean` paths are set aside first (untimed).

    Returns the parsed numbers plus exit code, ok flag and the tail of the
    command's output (kept for failures).
    """
    for path in clean:
        set_aside(os.path.join(cwd, path))
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(
            [TIME, "-v", "-o", tf.name, *cmd],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        timing = tf.read()
    result = parse_time_v(timing)
    # time passes the command's exit status through; a signal shows in its output.
    signal = re.search(r"Command terminated by signal (\d+)", timing)
    result["exit_code"] = -int(signal.group(1)) if signal else proc.returncode
    result["ok"] = signal is None and proc.returncode in ok_codes
    if not result["ok"]:
        result["output_tail"] = proc.stdout[-2000:]
    return result


def recollect_one_more(directory):
    """The command and exit codes of a collect run again after one more return arrived:
    the collected folder is first made (untimed) from the inbox without its last file,
    which is then put back. Returns (cmd, ok_codes) for `timed`."""
    inbox = os.path.join(directory, "inbox")
    last = sorted(os.listdir(inbox))[-1]
    held = os.path.join(directory, "held_back.xlsx")
    shutil.move(os.path.join(inbox, last), held)
    cmd = [GPWR, "collect", "--program", "program.xlsx", "--inbox", "inbox", "--out", "collected"]
    try:
        set_aside(os.path.join(directory, "collected"))
        subprocess.run(cmd, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    finally:
        shutil.move(held, os.path.join(inbox, last))
    # The first collect's files are written out before the one timed, as they would be by
    # the time more returns arrive: the timed run's flush then covers its own files only.
    os.sync()
    return cmd, GPWR_OK


def best_of(repeat, cmd, cwd, ok_codes, clean=()):
    """Run `repeat` times; keep the run with the best wall time (and its CPU/RSS).

    A failed run is returned at once: repeating a crash tells nothing more.
    """
    runs = []
    for _ in range(repeat):
        r = run_timed(cmd, cwd, ok_codes, clean)
        if not r["ok"]:
            print(f"  FAILED (exit {r['exit_code']}): {' '.join(cmd)}\n{indent(r['output_tail'])}", file=sys.stderr)
            return dict(r, cmd=cmd, walls_s=[x["wall_s"] for x in runs + [r]])
        runs.append(r)
    best = min(runs, key=lambda r: r["wall_s"])
    return dict(best, cmd=cmd, walls_s=[r["wall_s"] for r in runs])


def combined(a, b):
    """Two commands run one after the other: wall and CPU add up, peak RSS is the larger."""
    return {
        "wall_s": a["wall_s"] + b["wall_s"],
        "user_s": a["user_s"] + b["user_s"],
        "sys_s": a["sys_s"] + b["sys_s"],
        "max_rss_kib": max(a["max_rss_kib"], b["max_rss_kib"]),
        "ok": a["ok"] and b["ok"],
        "exit_code": [a["exit_code"], b["exit_code"]],
    }


def indent(text):
    return "".join("    " + line + "\n" for line in text.strip().splitlines()[-15:])


# ---------------------------------------------------------------- campaigns


def count_files(directory):
    return sum(len(files) for _root, _dirs, files in os.walk(directory))


def size_mb(directory):
    """Total size of the files under `directory`, in MB (10^6 bytes)."""
    total = 0
    for root, _dirs, files in os.walk(directory):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total / 1e6


def ensure_campaign(directory, n):
    """Make WORK/nN with `bench_inbox` unless its inbox already holds N files."""
    inbox = os.path.join(directory, "inbox")
    program = os.path.join(directory, "program.xlsx")
    if os.path.isfile(program) and os.path.isdir(inbox) and count_files(inbox) == n:
        print(f"campaign {directory}: reused", file=sys.stderr)
        return
    if os.path.isdir(inbox):
        shutil.rmtree(inbox)  # a different or incomplete campaign
    start = time.perf_counter()
    subprocess.run([BENCH_INBOX, directory, str(n)], check=True, stdout=subprocess.DEVNULL)
    print(f"campaign {directory}: generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    made = count_files(inbox)
    if made != n:
        raise SystemExit(f"bench_inbox made {made} files in {inbox}, expected {n}")


# ---------------------------------------------------------------- machine


def command_output(cmd, cwd=None):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def machine_info():
    cpu_model = None
    mem_total_kib = None
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_total_kib = int(line.split()[1])
                break
    commit = command_output(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT)
    dirty = command_output(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT)
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model,
        "mem_total_gib": round(mem_total_kib / 1024**2, 1) if mem_total_kib else None,
        "rustc": command_output(["rustc", "--version"]),
        "python": platform.python_version(),
        "git_commit": commit,
        "git_uncommitted_changes": bool(dirty),
        "binaries_older_than_sources": binaries_stale(),
        "date_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
    }


def newest_mtime(*paths):
    newest = 0.0
    for path in paths:
        if os.path.isfile(path):
            newest = max(newest, os.path.getmtime(path))
        for root, _dirs, files in os.walk(path):
            for name in files:
                newest = max(newest, os.path.getmtime(os.path.join(root, name)))
    return newest


def binaries_stale():
    """True if a source file is newer than the oldest binary we run."""
    sources = newest_mtime(*(os.path.join(ROOT, p) for p in ("src", "examples", "Cargo.toml", "Cargo.lock")))
    oldest_binary = min(os.path.getmtime(b) for b in (GPWR, BENCH_INBOX, BENCH_CALAMINE))
    return sources > oldest_binary


def print_machine(m):
    print("## Machine\n")
    print(f"- nproc: {m['nproc']}")
    print(f"- CPU: {m['cpu_model']}")
    print(f"- RAM: {m['mem_total_gib']} GiB")
    print(f"- {m['rustc']}")
    print(f"- Python {m['python']}")
    changes = " + uncommitted changes" if m["git_uncommitted_changes"] else ""
    print(f"- commit {m['git_commit']}{changes}")
    if m["binaries_older_than_sources"]:
        print("- WARNING: target/release binaries are older than the sources (rebuild for current numbers)")
    print()


# ---------------------------------------------------------------- output


def cpu_s(r):
    return r["user_s"] + r["sys_s"]


def mib(r):
    return r["max_rss_kib"] / 1024


def ratio(a, b):
    """a / b, or None when either side is missing, failed or zero."""
    if a is None or b is None or not a.get("ok") or not b.get("ok") or b["wall_s"] == 0:
        return None
    return a["wall_s"] / b["wall_s"]


def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.2f}x"


def print_table(title, rows, reference):
    """Markdown table; `rows` maps label -> result dict or the string 'skipped'.
    The last column is each wall time over `reference`'s (blank if None)."""
    print(title + "\n")
    print("| what | wall s | user+sys CPU s | peak RSS MiB | wall vs gpwr |")
    print("|---|---:|---:|---:|---:|")
    for label, r in rows.items():
        if isinstance(r, str):
            print(f"| {label} | {r} | | | |")
        elif not r["ok"]:
            print(f"| {label} | FAILED (exit {r['exit_code']}) | | | |")
        else:
            vs = "" if reference is None else fmt_ratio(ratio(r, reference))
            print(f"| {label} | {r['wall_s']:.2f} | {cpu_s(r):.2f} | {mib(r):.0f} | {vs} |")
    print()


def bench_size(n, args):
    """All commands for one campaign size; returns the JSON record and prints the table."""
    directory = os.path.join(args.work, f"n{n}")
    ensure_campaign(directory, n)
    inbox_mb = size_mb(os.path.join(directory, "inbox"))
    py = sys.executable
    R = args.repeat

    def timed(label, cmd, ok_codes, clean=()):
        print(f"  {label} ...", file=sys.stderr, flush=True)
        return best_of(R, cmd, directory, ok_codes, clean)

    rows = {}
    rows[COLLECT] = timed(
        COLLECT,
        [GPWR, "collect", "--program", "program.xlsx", "--inbox", "inbox", "--out", "collected"],
        GPWR_OK,
        clean=["collected"],
    )
    rows[REPORT] = timed(
        REPORT,
        [GPWR, "report", "--program", "program.xlsx", "--collected", "collected", "--out", "report"],
        GPWR_OK,
        clean=["report"],
    )
    rows[GPWR_TOTAL] = combined(rows[COLLECT], rows[REPORT])
    print(f"  {RECOLLECT} ...", file=sys.stderr, flush=True)
    runs = []
    for _ in range(R):
        cmd, ok_codes = recollect_one_more(directory)
        runs.append(run_timed(cmd, directory, ok_codes))
    rows[RECOLLECT] = min(runs, key=lambda r: r["wall_s"] if r["ok"] else float("inf"))
    raw_label = f"{RAW}, Wskaźniki, {args.threads} threads"
    rows[raw_label] = timed(raw_label, [BENCH_CALAMINE, "inbox", str(args.threads)], OK)
    # gpwr reads every sheet (nothing typed may be lost): this is the floor for its reader.
    raw_all_label = f"{RAW}, all sheets, {args.threads} threads"
    rows[raw_all_label] = timed(raw_all_label, [BENCH_CALAMINE, "inbox", str(args.threads), "all"], OK)
    if n > args.skip_openpyxl_above:
        rows[OPENPYXL] = "skipped"
    else:
        rows[OPENPYXL] = timed(OPENPYXL, [py, BASELINE_OPENPYXL, "inbox", "openpyxl_pandas.json"], OK,
                               clean=["openpyxl_pandas.json"])
    rows[PYCALAMINE] = timed(PYCALAMINE, [py, BASELINE_CALAMINE, "inbox", "python_calamine.json"], OK,
                             clean=["python_calamine.json"])

    gpwr = rows[GPWR_TOTAL]
    openpyxl = rows[OPENPYXL] if isinstance(rows[OPENPYXL], dict) else None
    ratios = {
        "gpwr collect again, one return added / gpwr collect (wall)": ratio(rows[RECOLLECT], rows[COLLECT]),
        "openpyxl+pandas / gpwr (wall)": ratio(openpyxl, gpwr),
        "python-calamine+pandas / gpwr (wall)": ratio(rows[PYCALAMINE], gpwr),
        "gpwr / raw calamine of Wskaźniki (wall)": ratio(gpwr, rows[raw_label]),
        "gpwr / raw calamine of all sheets (wall)": ratio(gpwr, rows[raw_all_label]),
    }
    baselines_agree = None
    if openpyxl and openpyxl["ok"] and rows[PYCALAMINE]["ok"]:
        with open(os.path.join(directory, "openpyxl_pandas.json"), "rb") as a, \
                open(os.path.join(directory, "python_calamine.json"), "rb") as b:
            baselines_agree = a.read() == b.read()

    print()
    print_table(f"## N = {n:,} returns ({inbox_mb:.1f} MB)".replace(",", " "), rows, gpwr)
    for label, x in ratios.items():
        print(f"- {label}: {fmt_ratio(x)}")
    print("- gpwr = collect + report; wall = sum, CPU = sum, peak RSS = max")
    if baselines_agree is not None:
        print(f"- the two Python baselines wrote identical totals: {'yes' if baselines_agree else 'NO'}")
    print()

    return {
        "n": n,
        "inbox_files": count_files(os.path.join(directory, "inbox")),
        "inbox_mb": round(inbox_mb, 2),
        "threads": args.threads,
        "results": rows,
        "ratios": ratios,
        "baselines_identical": baselines_agree,
    }


def bench_templates(n, args):
    """`gpwr templates` for a programme of N institutions (bench_inbox's program.xlsx)."""
    directory = os.path.join(args.work, f"t{n}")
    ensure_campaign(directory, n)
    print(f"  {TEMPLATES} ...", file=sys.stderr, flush=True)
    r = best_of(args.repeat, [GPWR, "templates", "--program", "program.xlsx", "--out", "templates"],
                directory, GPWR_OK, clean=["templates"])
    r["templates_written"] = count_files(os.path.join(directory, "templates")) if r["ok"] else None
    print()
    print_table(f"## gpwr templates, {n:,} institutions".replace(",", " "), {TEMPLATES: r}, None)
    if r["ok"]:
        print(f"- {r['templates_written']} files written\n")
    return dict(r, n=n)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 1000], help="campaign sizes N")
    parser.add_argument("--threads", type=int, default=2, help="threads for raw calamine")
    parser.add_argument("--repeat", type=int, default=1, help="runs per command; best wall kept")
    parser.add_argument("--skip-openpyxl-above", type=int, default=1000, metavar="N")
    parser.add_argument("--templates", type=int, default=2500, metavar="N",
                        help="institutions for the gpwr templates timing; 0 = skip")
    parser.add_argument("--work", default="/tmp/gpwr-bench", help="folder for the campaigns")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results.json"), help="JSON with all numbers")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    missing = [p for p in (GPWR, BENCH_INBOX, BENCH_CALAMINE, TIME) if not os.access(p, os.X_OK)]
    if missing:
        raise SystemExit("missing: " + ", ".join(missing) + "\nbuild: cargo build --release --examples --bin gpwr")
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    global TRASH
    TRASH = os.path.join(args.work, ".trash")
    settle()

    machine = machine_info()
    print_machine(machine)

    record = {"machine": machine, "args": vars(args), "sizes": [], "templates": None}
    for n in args.sizes:
        print(f"N = {n}", file=sys.stderr, flush=True)
        record["sizes"].append(bench_size(n, args))
    if args.templates > 0:
        print(f"templates, {args.templates} institutions", file=sys.stderr, flush=True)
        record["templates"] = bench_templates(args.templates, args)

    empty_trash()
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(record, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"raw numbers: {args.out}")

    failed = [label for s in record["sizes"] for label, r in s["results"].items()
              if isinstance(r, dict) and not r["ok"]]
    if record["templates"] and not record["templates"]["ok"]:
        failed.append(TEMPLATES)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
