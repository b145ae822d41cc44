#!/usr/bin/env python3
"""Markdown tables for benchmarks/RESULTS.md from JMH JSON results and Go benchmark output.

Usage (from the repository root):

    python3 benchmarks/scripts/results_tables.py \
        --run "run 1" benchmarks/results/DATE-baseline.json benchmarks/results/DATE-go.txt \
        [--run "run 2" ...] \
        [--spins "run 1" benchmarks/results/DATE-spins-*.json] [--spins "run 2" ...]

--run: a label, the JMH JSON (-rf json) of PingPongBenchmark and TransferBenchmark over every
       impl, and the output of `go test -bench . -count=N` in ../shared/anchors/go (medians are
       used), or - for none. Repeat it for runs to show side by side.
--spins: a label, then the JSON files of one spin sweep (csp4j only), one file per spin count,
       named ...-<N>.json (as SpinSweep writes them).

Prints the ratios csp4j/jox, csp4j/best j.u.c. and csp4j/Go per workload and run, one table per
workload (every implementation, ns/op with JMH's 99.9% error and the range of the measurement
iterations, and the ratios), and a spin-sweep table per sweep.
Python 3 standard library only.
"""
import argparse
import json
import math
import re
import statistics
import sys
from collections import defaultdict

# Workload key -> (title, Go benchmark name, rendezvous?)
WORKLOADS = [
    ("ping-pong", "ping-pong round trip (2 rendezvous channels)", "PingPongRendezvous", True),
    ("rendezvous-1P1C", "rendezvous, 1 sender 1 receiver", "Rendezvous1P1C", True),
    ("buffered16-1P1C", "buffered 16, 1 sender 1 receiver", "Buffered16_1P1C", False),
    ("buffered1024-1P1C", "buffered 1024, 1 sender 1 receiver", "Buffered1024_1P1C", False),
    ("buffered64-4P4C", "buffered 64, 4 senders 4 receivers", "Buffered64_4P4C", False),
    ("rendezvous-4P4C", "rendezvous, 4 senders 4 receivers", "Rendezvous_4P4C", True),
]


def key_of(entry):
    params = entry.get("params", {})
    return params.get("workload", "ping-pong"), params.get("impl")


def load_jmh(path):
    with open(path) as f:
        data = json.load(f)
    results = {}
    for entry in data:
        metric = entry["primaryMetric"]
        iterations = [x for fork in metric.get("rawData", []) for x in fork]
        results[key_of(entry)] = (float(metric["score"]), float(metric["scoreError"]), iterations)
    return results


def load_go(path):
    samples = defaultdict(list)
    pattern = re.compile(r"^Benchmark(\w+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op")
    with open(path) as f:
        for line in f:
            m = pattern.match(line.strip())
            if m:
                samples[m.group(1)].append(float(m.group(2)))
    return samples


def fmt(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def fmt_score(result, with_range=False):
    """score ± JMH's 99.9% error; with_range adds the range of the measurement iterations."""
    if result is None:
        return "—"
    score, error, iterations = result
    text = f"{fmt(score)} ± {fmt(error)}"
    if with_range and iterations:
        text += f" ({fmt(min(iterations))}–{fmt(max(iterations))})"
    return text


def ratio(a, b):
    if a is None or b is None:
        return "—"
    return f"{a / b:.2f}"


def workload_tables(runs):
    """runs: [(label, jmh results, go samples)]. One table per workload, a column per run."""
    out = []
    summary = {}
    for key, title, go_name, rendezvous in WORKLOADS:
        juc_name = "SynchronousQueue" if rendezvous else "ArrayBlockingQueue"
        ltq_name = "LinkedTransferQueue (transfer)" if rendezvous else "LinkedTransferQueue (put; unbounded)"
        floor_name = "JCTools floor (capacity 2, no rendezvous)" if rendezvous else "JCTools floor"
        juc_label = "min(SynchronousQueue, LTQ.transfer)" if rendezvous else "ArrayBlockingQueue"
        rows = {name: [] for name in ("csp4j", "jox 1.0.1", juc_name, ltq_name, floor_name, "Go",
                                      "csp4j/jox", f"csp4j/best j.u.c. ({juc_label})", "csp4j/Go")}
        for label, jmh, go in runs:
            get = lambda impl: jmh.get((key, impl))
            csp4j, jox, juc, ltq, floor = (get(i) for i in ("csp4j", "jox", "juc", "ltq", "jctools"))
            go_samples = go.get(go_name, [])
            go_median = statistics.median(go_samples) if go_samples else None
            # Best j.u.c. queue with the same blocking semantics: SQ or LTQ.transfer for rendezvous, ABQ for buffered.
            same = [r for r in ((juc, ltq) if rendezvous else (juc,)) if r is not None]
            best_juc = min(r[0] for r in same) if same else None
            score = lambda r: r[0] if r else None
            rows["csp4j"].append(fmt_score(csp4j, True))
            rows["jox 1.0.1"].append(fmt_score(jox, True))
            rows[juc_name].append(fmt_score(juc, True))
            rows[ltq_name].append(fmt_score(ltq, True))
            rows[floor_name].append(fmt_score(floor, True))
            rows["Go"].append("—" if go_median is None else
                              f"{fmt(go_median)} (median of {len(go_samples)}; {fmt(min(go_samples))}–{fmt(max(go_samples))})")
            ratios = (ratio(score(csp4j), score(jox)), ratio(score(csp4j), best_juc), ratio(score(csp4j), go_median))
            rows["csp4j/jox"].append(f"**{ratios[0]}**")
            rows[f"csp4j/best j.u.c. ({juc_label})"].append(f"**{ratios[1]}**")
            rows["csp4j/Go"].append(f"**{ratios[2]}**")
            summary.setdefault(key, []).append((label, score(csp4j), score(jox), best_juc, go_median, ratios))
        out.append(f"### {title}\n")
        out.append("| ns/op: mean ± 99.9% error (iterations min–max) | " + " | ".join(label for label, _, _ in runs) + " |")
        out.append("| --- |" + " ---: |" * len(runs))
        for name, cells in rows.items():
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    labels = [label for label, _, _ in runs]
    head = ["| workload | " + " | ".join(f"csp4j/jox {l}" for l in labels) + " | "
            + " | ".join(f"csp4j/best j.u.c. {l}" for l in labels) + " | "
            + " | ".join(f"csp4j/Go {l}" for l in labels) + " |",
            "| --- |" + " ---: |" * (3 * len(runs))]
    lines = []
    for key, entries in summary.items():
        cells = [e[5][i] for i in range(3) for e in entries]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(out), "\n".join(head + lines)


def spin_table(paths):
    by_spins = {}
    for path in paths:
        m = re.search(r"-(\d+)\.json$", path)
        if not m:
            sys.exit(f"cannot read the spin count from {path}")
        by_spins[int(m.group(1))] = load_jmh(path)
    spins = sorted(by_spins)
    rows = []
    for key, _, _, _ in WORKLOADS:
        cells = [by_spins[s].get((key, "csp4j")) for s in spins]
        if any(c is not None for c in cells):
            rows.append((key, cells))
    lines = ["| workload (csp4j, ns/op) | " + " | ".join(f"spins={s}" for s in spins) + " | best |",
             "| --- |" + " ---: |" * len(spins) + " ---: |"]
    log_sums = [0.0] * len(spins)
    for key, cells in rows:
        best = min(c[0] for c in cells if c)
        best_index = next(i for i, c in enumerate(cells) if c and c[0] == best)
        shown = []
        for i, c in enumerate(cells):
            text = fmt_score(c)
            shown.append(f"**{text}**" if i == best_index else text)
            log_sums[i] += math.log(c[0] / best) if c else float("nan")
        lines.append(f"| {key} | " + " | ".join(shown) + f" | {spins[best_index]} |")
    means = [math.exp(s / len(rows)) for s in log_sums]
    overall = min(range(len(spins)), key=lambda i: means[i])
    lines.append("| geometric mean of score / row's best | " + " | ".join(f"{m:.2f}" for m in means)
                 + f" | {spins[overall]} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", nargs=3, action="append", default=[], metavar=("LABEL", "JMH_JSON", "GO_TXT"),
                        help="one run of the comparison: a label, its JMH JSON and its Go output (or -)")
    parser.add_argument("--spins", nargs="+", action="append", default=[], metavar="LABEL_THEN_FILES",
                        help="a label, then the JSON files of one spin sweep")
    args = parser.parse_args()
    if args.run:
        runs = [(label, load_jmh(jmh), load_go(go) if go != "-" else {}) for label, jmh, go in args.run]
        tables, summary = workload_tables(runs)
        print("## Ratios (csp4j's ns/op divided by the other's; below 1 means csp4j is faster)\n")
        print(summary)
        print("\n## Per workload\n")
        print(tables)
    for group in args.spins:
        print(f"\n## Spin sweep: {group[0]}\n")
        print(spin_table(group[1:]))


if __name__ == "__main__":
    main()
