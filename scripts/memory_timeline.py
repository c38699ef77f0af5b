"""Where a build's memory goes, over time: `python scripts/memory_timeline.py OUT.txt -- mkdocs build --strict`

Runs the command and samples every process it starts (the build, its forked copy, Pagefind)
every 0.2 s: each one's RSS (`/proc/<pid>/status`) and Pss (`/proc/<pid>/smaps_rollup`),
and their sums. Pss is the honest sum: a page the forked copy shares with the build counts
once, where adding their RSS counts it twice. Writes one line per sample to OUT.txt, then the
command's output, each line with the second it came; prints the peaks per process and of the
sums. `make bench` gives the peaks only (scripts/bench.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

MIB = 1024**2
INTERVAL = 0.2


def descendants(root: int) -> list[int]:
    """`root` and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def memory(pid: int) -> tuple[str, int, int] | None:
    """(name, RSS bytes, Pss bytes) of a process; None once it has gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            pss = sum(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        return fields["Name"].strip(), int(fields["VmRSS"].split()[0]) * 1024, pss * 1024
    except (OSError, KeyError, ValueError):
        return None


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    out, command = argv[0], argv[2:]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []

    def read() -> None:
        for line in process.stdout:
            lines.append((time.perf_counter() - start, line.rstrip()))

    reader = threading.Thread(target=read)
    reader.start()
    peaks: dict[int, list] = {}  # pid: [name, RSS, Pss, first seen, last seen]
    peak_pss = peak_rss = 0
    peak_at = 0.0
    with open(out, "w", encoding="utf-8") as timeline:
        while process.poll() is None:
            now = time.perf_counter() - start
            sampled = [(pid, found) for pid in descendants(process.pid) if (found := memory(pid))]
            pss, rss = sum(found[2] for _, found in sampled), sum(found[1] for _, found in sampled)
            if pss > peak_pss:
                peak_pss, peak_at = pss, now
            peak_rss = max(peak_rss, rss)
            for pid, (name, one_rss, one_pss) in sampled:
                peak = peaks.setdefault(pid, [name, 0, 0, now, now])
                peak[1], peak[2], peak[4] = max(peak[1], one_rss), max(peak[2], one_pss), now
            cells = " ".join(f"{name}[{pid}] rss={r // MIB} pss={p // MIB}" for pid, (name, r, p) in sampled)
            timeline.write(f"{now:7.2f} {cells} | sum pss={pss // MIB} sum rss={rss // MIB} MiB\n")
            time.sleep(INTERVAL)
        reader.join()
        for second, line in lines:
            timeline.write(f"output {second:7.2f} {line}\n")
    print(f"exit {process.returncode}, {time.perf_counter() - start:.1f} s")
    print(f"peak of the sum of Pss: {peak_pss // MIB:,} MiB at {peak_at:.1f} s (the budget's figure)")
    print(f"peak of the sum of RSS: {peak_rss // MIB:,} MiB (counts shared pages once per process)")
    for pid, (name, rss, pss, first, last) in peaks.items():
        print(f"  {name}[{pid}] {first:.1f}-{last:.1f} s: peak RSS {rss // MIB:,} MiB, peak Pss {pss // MIB:,} MiB")
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
