"""Run the `overload` command in this process and report its peak RSS (for the memory benchmark).

Usage: python bench/peak.py OUTFILE overload-args...  (writes {"peak_rss_mb": ...} to OUTFILE)
"""

import json
import sys
from pathlib import Path

from overload.cli.app import app


def main() -> None:
    out, args = sys.argv[1], sys.argv[2:]
    code = 0
    try:
        app(args, standalone_mode=False)
    except SystemExit as done:
        code = int(done.code or 0)
    # VmHWM belongs to this address space; ru_maxrss would survive execve and report the
    # parent's peak when the parent (the benchmark) is the bigger process.
    status = Path("/proc/self/status").read_text()
    peak_kb = next(int(line.split()[1]) for line in status.splitlines()
                   if line.startswith("VmHWM:"))
    peak_mb = peak_kb / 1024
    with open(out, "w") as handle:
        json.dump({"peak_rss_mb": round(peak_mb, 1), "exit_code": code}, handle)


if __name__ == "__main__":
    main()
