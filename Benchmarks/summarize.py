#!/usr/bin/env python3
"""Turns the text output of `swift package benchmark` into the tables of BENCHMARKS.md.

    swift package --allow-writing-to-package-directory benchmark --target DriftlessBenchmarks --no-progress | tee run.txt
    ./with-postgres.sh swift package --allow-writing-to-package-directory benchmark \
        --target DriftlessPostgresBenchmarks --no-progress | tee run-pg.txt
    python3 summarize.py run.txt run-pg.txt

Prints, per workload, each contender's median wall clock (with p25-p75) and its ratio to the
raw C API (SQLite) or raw libpq (PostgreSQL) measured in the same run, and then checks the
targets. Several files may be given: each benchmark's last occurrence wins.
"""
import re
import sys

UNIT_SCALE = {"K": 1e3, "M": 1e6, "G": 1e9}  # the table's "(K)"/"(M)" column scaling
TIME_SCALE = {"ns": 1e-3, "μs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}  # to µs

rows = {}      # benchmark name -> time summary (µs) and mallocs, as before
metrics = {}   # benchmark name -> metric label -> {"p25", "p50", "p75", "samples"} (unscaled)
name = None
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if re.match(r"^(PG )?(FetchOne|Scan|Insert|Detection|BigScan)( paired)?: ", s):
            name = s
            rows[name] = {}
            metrics[name] = {}
        elif name and s.startswith("│"):
            cells = [c.strip() for c in s.strip("│").split("│")]
            if cells[0] == "Metric":
                continue
            label = cells[0].rstrip(" *")
            values = [float(c.replace(",", "")) for c in cells[1:8]]
            # A trailing "(K)" or "(M)" scales the printed values (not for time units).
            scale_match = re.search(r"\((K|M|G)\)$", label)
            scale = UNIT_SCALE[scale_match.group(1)] if scale_match else 1.0
            if scale_match:
                label = label[: scale_match.start()].rstrip()
            metrics[name][label] = {"p25": values[1] * scale, "p50": values[2] * scale,
                                    "p75": values[3] * scale, "samples": cells[8]}
            if label.startswith("Time (wall clock)"):
                unit = re.search(r"\((\S+)\)$", label).group(1)
                rows[name]["p25"], rows[name]["p50"], rows[name]["p75"] = (
                    values[i] * TIME_SCALE[unit] for i in (1, 2, 3))
                rows[name]["samples"] = cells[8]
            elif label.startswith("Malloc (total)"):
                rows[name]["mallocs"] = f"{values[2] * scale:,.0f}"


def fmt(us):
    if us < 100:
        return f"{us:.2f} µs"
    return f"{us / 1000:.2f} ms" if us < 1e6 else f"{us / 1e6:.2f} s"


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

if has("FetchOne", "raw C") or has("Scan", "raw C") or has("Insert", "raw C"):
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


# MARK: PostgreSQL (the DriftlessPostgresBenchmarks target)

PG_UNITS = {"PG FetchOne": "per lookup, autocommit", "PG Scan": "per 10,000-row scan",
            "PG Insert": "per 10,000-row transaction"}
PG_ORDER = ["raw libpq", "raw libpq pipelined", "raw libpq multi-row", "Driftless full", "Driftless full async",
            "Driftless projected", "Driftless projected async", "Driftless full, insert(_:) per row",
            "naive try/catch/raw", "PostgresNIO client", "PostgresNIO connection"]


def contender_order(key):
    contender = key.split(": ", 1)[1]
    return PG_ORDER.index(contender) if contender in PG_ORDER else len(PG_ORDER)


for workload, unit in PG_UNITS.items():
    if not has(workload, "raw libpq"):
        continue
    raw = median(workload, "raw libpq")
    print(f"\n### {workload} ({unit})\n")
    print("| contender | median | p25–p75 | × raw libpq | mallocs (median) | samples |")
    print("|---|---:|---:|---:|---:|---:|")
    for key in sorted((k for k in rows if k.startswith(workload + ":") and "p50" in rows[k]), key=contender_order):
        row = rows[key]
        print(f"| {key.split(': ', 1)[1]} | {fmt(row['p50'])} | {fmt(row['p25'])}–{fmt(row['p75'])} "
              f"| {row['p50'] / raw:.2f}× | {row.get('mallocs', '')} | {row['samples']} |")

paired = next((k for k in metrics if k.startswith("PG FetchOne paired:")), None)
if paired:
    m = metrics[paired]
    print("\n### PG FetchOne, paired (contenders take turns inside every sample; per lookup)\n")
    print("| contender | median | p25–p75 | × raw libpq (median of per-sample ratios) | client CPU (median) "
          "| client CPU over raw libpq | samples |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    raw_cpu = m.get("raw libpq client CPU (ns per lookup)")
    for contender, ratio in (("raw libpq", None), ("Driftless full", "Driftless full / raw libpq"),
                             ("Driftless full async", "Driftless full async / raw libpq"),
                             ("Driftless projected", "Driftless projected / raw libpq")):
        t = m.get(f"{contender} (ns per lookup)")
        if not t:
            continue
        r = m.get(f"{ratio} (per mille)") if ratio else None
        ratio_text = f"{r['p50'] / 1000:.3f}× ({r['p25'] / 1000:.3f}–{r['p75'] / 1000:.3f})" if r else "1.000×"
        cpu = m.get(f"{contender} client CPU (ns per lookup)")
        cpu_text = fmt(cpu["p50"] / 1000) if cpu else "—"
        extra = f"+{(cpu['p50'] - raw_cpu['p50']) / 1000:.2f} µs" if cpu and raw_cpu and contender != "raw libpq" else "—"
        print(f"| {contender} | {fmt(t['p50'] / 1000)} | {fmt(t['p25'] / 1000)}–{fmt(t['p75'] / 1000)} "
              f"| {ratio_text} | {cpu_text} | {extra} | {t['samples']} |")

big = sorted((k for k in metrics if k.startswith("PG BigScan:")), key=contender_order)
if big:
    print("\n### PG BigScan (1,000,000 rows, one record at a time)\n")
    print("| contender | median time | p25–p75 | peak RSS during the scan | peak RSS growth over the scan "
          "| sampled resident peak | samples |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key in big:
        m, row = metrics[key], rows[key]
        peak = m.get("Peak RSS during the scan (MB)", {}).get("p50")
        growth = m.get("Peak RSS growth over the scan (MB)", {}).get("p50")
        sampled = m.get("Memory (resident peak)", {}).get("p50")
        print(f"| {key.split(': ', 1)[1]} | {fmt(row['p50'])} | {fmt(row['p25'])}–{fmt(row['p75'])} "
              f"| {peak:.0f} MB | {growth:.0f} MB | {sampled / 1e6:.0f} MB | {row['samples']} |")

if has("PG FetchOne", "raw libpq") or has("PG Scan", "raw libpq") or has("PG Insert", "raw libpq") or paired:
    print("\n### PostgreSQL targets\n")
    print("| target | measured | met? |")
    print("|---|---:|---|")

    def pg_target(text, value, limit, at_most=True):
        if value is None:
            return
        met = value <= limit if at_most else value >= limit
        print(f"| {text} | {value:.3f}× | {'yes' if met else 'no'} |")

    def ratio(workload, numerator, denominator):
        return median(workload, numerator) / median(workload, denominator) if has(workload, numerator, denominator) else None

    def best_nio(workload):
        times = [median(workload, c) for c in ("PostgresNIO client", "PostgresNIO connection") if has(workload, c)]
        return min(times) if times else None

    pg_target("PG FetchOne: Driftless full ≤ 1.05× raw libpq (separate benchmarks)",
              ratio("PG FetchOne", "Driftless full", "raw libpq"), 1.05)
    if paired and "Driftless full / raw libpq (per mille)" in metrics[paired]:
        pg_target("PG FetchOne: Driftless full ≤ 1.05× raw libpq (paired, median per-sample ratio)",
                  metrics[paired]["Driftless full / raw libpq (per mille)"]["p50"] / 1000, 1.05)
    for workload, contender in (("PG FetchOne", "Driftless full async"), ("PG FetchOne", "Driftless full"),
                                ("PG Scan", "Driftless full"), ("PG Insert", "Driftless full")):
        nio = best_nio(workload)
        if nio and has(workload, contender):
            pg_target(f"{workload}: {contender} ahead of PostgresNIO's faster path (< 1.0×)",
                      median(workload, contender) / nio, 0.9999)
    per_row = ratio("PG Insert", "Driftless full, insert(_:) per row", "Driftless full")
    pg_target("PG Insert: insert(contentsOf:) ≥ 5× faster than insert(_:) per row", per_row, 5, at_most=False)
    for workload in ("PG FetchOne", "PG Scan", "PG Insert"):
        value = ratio(workload, "naive try/catch/raw", "Driftless projected")
        if value is not None:
            print(f"| {workload}: naive / projected (for information) | {value:.2f}× | — |")
        value = ratio(workload, "Driftless projected", "Driftless full")
        if value is not None:
            print(f"| {workload}: projected / full (for information) | {value:.2f}× | — |")
    driftless_big = next((k for k in big if k.endswith("Driftless forEach")), None)
    if driftless_big:
        growth = metrics[driftless_big].get("Peak RSS growth over the scan (MB)", {}).get("p50")
        if growth is not None:
            print(f"| PG BigScan: Driftless forEach memory bounded (peak growth ≤ 16 MB over 1,000,000 rows) "
                  f"| {growth:.0f} MB | {'yes' if growth <= 16 else 'no'} |")
