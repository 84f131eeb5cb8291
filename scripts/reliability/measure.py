#!/usr/bin/env python3
"""Runs one command and prints one table row: its exit status, peak memory and wall time.

Used by scripts/reliability.sh for the slow cases of issue 18 (inputs that once made convscope
do huge work). Usage:

    measure.py NAME EXPECT [--stdin FILE] [--limit-mb M] [--limit-s S] [--timeout S] -- CMD ...

EXPECT is `refused` (exit 2 and exactly one line on stderr) or `ok` (exit 0). A refused input
must stay within 500 MB and 2 s unless --limit-mb / --limit-s say otherwise. The row is
`| name | expect | exit | max RSS MB | seconds | verdict |`; the verdict is `ok` or `FAIL (why)`.
The exit status is 0 for ok and 1 for FAIL, so a driver can count failures.
"""
import argparse
import os
import subprocess
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("expect", choices=["refused", "ok"])
    ap.add_argument("--stdin", default="/dev/null")
    ap.add_argument("--limit-mb", type=float, default=500.0)
    ap.add_argument("--limit-s", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=60.0)
    argv = sys.argv[1:]
    if "--" not in argv:
        ap.error("the command follows --")
    split = argv.index("--")
    a = ap.parse_args(argv[:split])
    cmd = argv[split + 1:]
    start = time.monotonic()
    with open(a.stdin, "rb") as stdin:
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        deadline = start + a.timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, 9)
                pid, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.01)
    seconds = time.monotonic() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    rss_mb = usage.ru_maxrss / 1024.0  # kilobytes on Linux
    why = []
    if timed_out:
        why.append(f"killed after {a.timeout:.0f} s")
    elif a.expect == "refused":
        if code != 2:
            why.append(f"exit {code}, not 2")
        lines = [l for l in err.splitlines() if l.strip()]
        if len(lines) != 1:
            why.append(f"{len(lines)} stderr lines")
    elif code != 0:
        why.append(f"exit {code}")
    if rss_mb > a.limit_mb:
        why.append(f"{rss_mb:.0f} MB > {a.limit_mb:.0f} MB")
    if seconds > a.limit_s:
        why.append(f"{seconds:.2f} s > {a.limit_s:.1f} s")
    verdict = "ok" if not why else "FAIL (" + "; ".join(why) + ")"
    print(f"| {a.name} | {a.expect} | {code} | {rss_mb:.0f} | {seconds:.2f} | {verdict} |")
    if why and err:
        first = err.splitlines()[0] if err.splitlines() else ""
        print(f"|   stderr: {first[:150]} | | | | | |")
    return 0 if not why else 1


if __name__ == "__main__":
    sys.exit(main())
