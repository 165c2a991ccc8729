#!/usr/bin/env python3
"""Turns the text output of `swift package benchmark` into the tables of BENCHMARKS.md.

    swift package --allow-writing-to-package-directory benchmark --no-progress | tee run.txt
    python3 summarize.py run.txt

Prints, per workload, each contender's median wall clock (with p25-p75), its ratio to the raw
C API measured in the same run, and then checks the targets.
"""
import re
import sys

rows = {}
name = None
for line in open(sys.argv[1], encoding="utf-8"):
    s = line.strip()
    if re.match(r"^(FetchOne|Scan|Insert|Detection): ", s):
        name = s
        rows[name] = {}
    elif name and s.startswith("│"):
        cells = [c.strip() for c in s.strip("│").split("│")]
        if cells[0].startswith("Time (wall clock)"):
            unit = re.search(r"\((\S+)\) *\*?$", cells[0]).group(1)
            scale = {"ns": 1e-3, "μs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}[unit]
            rows[name]["p25"], rows[name]["p50"], rows[name]["p75"] = (
                float(cells[i].replace(",", "")) * scale for i in (2, 3, 4))
            rows[name]["samples"] = cells[8]
        elif cells[0].startswith("Malloc (total)"):
            rows[name]["mallocs"] = cells[3]


def fmt(us):
    return f"{us:.2f} µs" if us < 100 else f"{us / 1000:.2f} ms"


def median(workload, contender):
    return rows[f"{workload}: {contender}"]["p50"]


units = {"FetchOne": "per lookup", "Scan": "per 10,000-row scan", "Insert": "per 10,000-row transaction"}
def has(workload, *contenders):
    return all(f"{workload}: {c}" in rows for c in contenders)


for workload in ("FetchOne", "Scan", "Insert"):
    if not has(workload, "raw C"):
        continue
    raw = median(workload, "raw C")
    print(f"\n### {workload} ({units[workload]})\n")
    print("| contender | median | p25–p75 | × raw C | mallocs (median) | samples |")
    print("|---|---:|---:|---:|---:|---:|")
    order = ["raw C", "Driftless full", "Driftless projected", "naive try/catch/raw",
             "GRDB cached statement"]
    keys = [k for k in rows if k.startswith(workload + ":")]
    keys.sort(key=lambda k: order.index(k.split(": ", 1)[1]) if k.split(": ", 1)[1] in order else len(order))
    for key in keys:
        row = rows[key]
        print(f"| {key.split(': ', 1)[1]} | {fmt(row['p50'])} | {fmt(row['p25'])}–{fmt(row['p75'])} "
              f"| {row['p50'] / raw:.2f}× | {row.get('mallocs', '')} | {row['samples']} |")

detection = [k for k in rows if k.startswith("Detection:")]
if detection:
    print("\n### Detection (one find each)\n")
    print("| benchmark | median | p25–p75 | mallocs (median) |")
    print("|---|---:|---:|---:|")
for key in detection:
    row = rows[key]
    print(f"| {key.split(': ', 1)[1]} | {fmt(row['p50'])} | {fmt(row['p25'])}–{fmt(row['p75'])} | {row.get('mallocs', '')} |")

print("\n### Targets\n")
print("| target | measured | met? |")
print("|---|---:|---|")


def target(text, workload, numerator, denominator, limit, at_most=True):
    if not has(workload, numerator, denominator):
        return
    value = median(workload, numerator) / median(workload, denominator)
    met = value <= limit if at_most else value >= limit
    print(f"| {text} | {value:.2f}× | {'yes' if met else 'no'} |")


for workload, limit in (("FetchOne", 1.2), ("Scan", 1.15), ("Insert", 1.2)):
    target(f"{workload}: Driftless full ≤ {limit}× raw C", workload, "Driftless full", "raw C", limit)
for workload in ("FetchOne", "Scan", "Insert"):
    target(f"{workload}: projected ≤ 1.1× full", workload, "Driftless projected", "Driftless full", 1.1)
for workload, limit in (("FetchOne", 4.5), ("Insert", 10)):
    target(f"{workload}: naive ≥ {limit}× projected", workload, "naive try/catch/raw", "Driftless projected",
           limit, at_most=False)
for workload in ("FetchOne", "Scan", "Insert"):
    target(f"{workload}: Driftless full ≤ 1.0× GRDB cached statement", workload, "Driftless full",
           "GRDB cached statement", 1.0)
