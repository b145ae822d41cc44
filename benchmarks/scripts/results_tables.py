#!/usr/bin/env python3
"""Markdown tables for benchmarks/RESULTS.md from JMH JSON results and Go benchmark output.

Usage (from the repository root):

    python3 benchmarks/scripts/results_tables.py \
        --run "run 1" benchmarks/results/DATE-baseline.json benchmarks/results/DATE-go.txt \
        [--run "run 2" ...] \
        [--spins "run 1" benchmarks/results/DATE-spins-*.json] [--spins "run 2" ...] \
        [--charts benchmarks/charts]

--run: a label, the JMH JSON (-rf json) of any of the benchmark classes over every impl, and the
       output of `go test -bench . -count=N` in ../shared/anchors/go and in benchmarks/go (one
       file holding both; medians are used), or - for none. Repeat it for runs to show side by
       side.
--charts: a directory; the scaling curves (PairsBenchmark, RingBenchmark, Go's BenchmarkPairsN
       and BenchmarkRingN) of the first run are written there as scaling-pairs.svg and
       scaling-ring.svg.
--spins: a label, then the JSON files of one spin sweep (csp4j only), one file per spin count,
       named ...-<N>.json (as SpinSweep writes them).
--go-spread LABEL GO_TXT: another Go run of the same session (repeatable); adds a table of the
       first run's csp4j against Go's median in its own Go file and in each of these, with the
       ratio's range and whether csp4j ≤ 1.0 × Go holds against every Go run, none, or some only:
       Go's figures on one guest moved by up to 2.2 × between runs within an hour (RESULTS.md,
       "Run 32" and "Run 33").
--state fast|slow [--max-c2c NS]: read each JMH entry in one machine state only, for a run made
       ungated with -prof io.github.csp4j.benchmarks.CoreToCoreProfiler on a machine whose state
       switches: an entry keeps the measurement iterations whose probe after them reads at or under
       NS (fast; default 150, compare.sh's gate) or above it (slow), and its mean is theirs; an
       entry with fewer than 3 such iterations, or without probes, is left out (—), and so is the
       best java.util.concurrent ratio of a workload where any of its choices is left out. JMH's
       error is not recomputed (—). Go's figures are not probed and are used as they are. An
       iteration is placed by the probe after it only, so one that ran while the state switched
       counts in the state it ended in.

Prints the ratios csp4j/jox, csp4j/best j.u.c. and csp4j/Go per workload and run, one table per
workload (every implementation, ns/op with JMH's 99.9% error and the range of the measurement
iterations, and the ratios), the scaling tables of the first run, the first run's table of one
row per workload (every implementation's mean, Go's median, the three ratios, and the second
run's csp4j mean last if there is a second run), the first run's table at a glance (csp4j, jox,
the best java.util.concurrent choice and Go per workload, with the three ratios in bold where they
meet issue 6's targets, and how many are met, then the machine state its entries were measured in
if its file carries CoreToCore probes, and with --state the entries each run kept and left out),
and a spin-sweep table per sweep.
Python 3 standard library only.
"""
import argparse
import json
import math
import re
import statistics
import sys

import quiet_run  # beside this script: iteration_probes reads the probes quiet_run.py gates on
from collections import defaultdict

# Workload key -> (title, Go benchmark name, kind); the kind picks the baselines below.
WORKLOADS = [
    ("ping-pong", "ping-pong round trip (2 rendezvous channels)", "PingPongRendezvous", "rendezvous"),
    ("rendezvous-1P1C", "rendezvous, 1 sender 1 receiver", "Rendezvous1P1C", "rendezvous"),
    ("buffered16-1P1C", "buffered 16, 1 sender 1 receiver", "Buffered16_1P1C", "buffered"),
    ("buffered1024-1P1C", "buffered 1024, 1 sender 1 receiver", "Buffered1024_1P1C", "buffered"),
    ("buffered64-4P4C", "buffered 64, 4 senders 4 receivers", "Buffered64_4P4C", "buffered"),
    ("rendezvous-4P4C", "rendezvous, 4 senders 4 receivers", "Rendezvous_4P4C", "rendezvous"),
    ("ring-10000", "ring of 10,000 virtual threads, one trip", "Ring10k", "rendezvous"),
    ("pairs-10000", "10,000 sender/receiver pairs, buffered 16 each", "Pairs10000", "buffered"),
    ("select2Receive", "2-way select receive (buffered 16)", "Select2Receive", "select"),
    ("select2ReceiveReused", "2-way select receive, clauses built once", None, "select"),
    ("selectSend", "2-way select send (buffered 16)", None, "select"),
    ("forkjoin-10k", "fork and join of 10,000 tasks, per task", "ForkJoin10k", "tasks"),
]

# Kind -> [(impl, row label, is a java.util.concurrent choice with the same blocking semantics)]
BASELINES = {
    "rendezvous": [("jox", "jox 1.0.1", False), ("juc", "SynchronousQueue", True),
                   ("ltq", "LinkedTransferQueue (transfer)", True),
                   ("jctools", "JCTools floor (capacity 2, no rendezvous)", False),
                   ("slot", "bare park/unpark (one slot; ring only)", False)],
    "buffered": [("jox", "jox 1.0.1", False), ("juc", "ArrayBlockingQueue", True),
                 ("ltq", "LinkedTransferQueue (put; unbounded)", False), ("jctools", "JCTools floor", False)],
    "select": [("jox", "jox 1.0.1 select", False)],
    "tasks": [("executor", "newVirtualThreadPerTaskExecutor", True), ("threads", "raw virtual threads", False)],
}

# The rows of the one-row-per-workload table: (workload key, row label, Go benchmark name, kind).
# The ring of 10,000 takes the anchor's BenchmarkRing10k, as WORKLOADS does; the scaling tables
# take benchmarks/go's BenchmarkRing10000.
WIDE_ROWS = (
    [("ping-pong", "PingPong", "PingPongRendezvous", "rendezvous")]
    + [(key, f"Transfer {key}", go_name, kind) for key, _, go_name, kind in WORKLOADS[1:6]]
    + [(f"ring-{n}", f"Ring {n}", "Ring10k" if n == 10000 else f"Ring{n}", "rendezvous") for n in (100, 1000, 10000, 100000)]
    + [(f"pairs-{n}", f"Pairs {n}", f"Pairs{n}", "buffered") for n in (1, 10, 100, 1000, 10000)]
    + [("select2Receive", "Select.select2Receive", "Select2Receive", "select"),
       ("select2ReceiveReused", "Select.select2ReceiveReused", None, "select"),
       ("selectSend", "Select.selectSend", None, "select"),
       ("forkjoin-10k", "ForkJoin", "ForkJoin10k", "tasks")])
WIDE_IMPLS = ["csp4j", "jox", "juc", "ltq", "jctools", "slot", "executor", "threads"]
# Columns of the wide table shown only when the run measured them (runs 4 to 21 did not measure slot).
WIDE_OPTIONAL = {"slot"}

# Scaling curves: key prefix -> (title, parameter name, Go benchmark prefix, y-axis label, divide by x?)
SCALING = [
    ("pairs", "concurrent pairs, buffered 16 each: ns per element", "pairs", "Pairs", "ns per element", False),
    ("ring", "ring: ns per hop (one trip / ring size)", "ring size", "Ring", "ns per hop", True),
]
IMPL_LABELS = {"csp4j": "csp4j", "jox": "jox 1.0.1", "juc": "j.u.c. (SynchronousQueue / ArrayBlockingQueue)",
               "ltq": "LinkedTransferQueue", "jctools": "JCTools floor", "slot": "bare park/unpark (one slot)",
               "go": "Go"}


FAST_C2C_NS = 150  # quiet_run.py's --max-c2c in compare.sh: a probe above it is the slow state


def machine_state(path):
    """A line on the machine state a JMH JSON file was measured in, from the CoreToCoreProfiler
    probe after every measured iteration (secondaryMetrics "c2c"; quiet_run.py adds it, and an
    ungated run gets it with -prof io.github.csp4j.benchmarks.CoreToCoreProfiler), or None if no
    entry carries probes."""
    with open(path) as f:
        data = json.load(f)
    probed = [probes for probes in map(quiet_run.iteration_probes, data) if probes]
    if not probed:
        return None
    fast = sum(1 for probes in probed if max(probes) <= FAST_C2C_NS)
    every = sorted(x for probes in probed for x in probes)
    return (f"Machine state (CoreToCoreProfiler, after every measured iteration): {len(probed)} of {len(data)}"
            f" entries probed, {fast} with every probe at or under {FAST_C2C_NS} ns (the fast state) and"
            f" {len(probed) - fast} with at least one above; {len(every)} probes, {fmt(every[0])} to"
            f" {fmt(every[-1])} ns, median {fmt(every[len(every) // 2])}.")


def key_of(entry):
    """(workload key, impl) of a JMH result entry, for every benchmark class."""
    params = entry.get("params", {})
    cls, method = entry["benchmark"].rsplit(".", 2)[-2:]
    if cls == "RingBenchmark":
        return f"ring-{params['size']}", params.get("impl")
    if cls == "PairsBenchmark":
        return f"pairs-{params['pairs']}", params.get("impl")
    if cls == "SelectBenchmark":
        return method, params.get("impl")
    if cls == "ForkJoinBenchmark":
        return "forkjoin-10k", params.get("impl")
    if cls == "UncontendedBenchmark":
        # In no table: not a workload of issue 6.
        return f"uncontended-{params.get('buffer')}", params.get("impl")
    return params.get("workload", "ping-pong"), params.get("impl")


MIN_STATE_ITERATIONS = 3  # --state: fewer iterations in the state than this leave the entry out


class JmhResults(dict):
    """(workload key, impl) -> (mean, JMH's error, measurement iterations); `dropped` holds the
    keys that --state left out."""

    def __init__(self):
        super().__init__()
        self.dropped = set()


def load_jmh(path, state=None, max_c2c=FAST_C2C_NS):
    """The entries of a JMH JSON file; with state ("fast" or "slow"), each entry's iterations in
    that state only (see --state in the module's docstring)."""
    with open(path) as f:
        data = json.load(f)
    results = JmhResults()
    for entry in data:
        metric = entry["primaryMetric"]
        iterations = [x for fork in metric.get("rawData", []) for x in fork]
        if state is None:
            results[key_of(entry)] = (float(metric["score"]), float(metric["scoreError"]), iterations)
            continue
        split = quiet_run.state_iterations(iterations, quiet_run.iteration_probes(entry), max_c2c)
        kept = split[state] if split else []
        if len(kept) < MIN_STATE_ITERATIONS:
            results.dropped.add(key_of(entry))
        else:
            results[key_of(entry)] = (statistics.fmean(kept), math.nan, kept)
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


def go_median(go, go_name, per=1):
    """Go's median for go_name in one run's samples, divided by per (a ring's hops); None if the run
    has none (or go_name is None)."""
    return statistics.median(go[go_name]) / per if go_name and go.get(go_name) else None


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
    for key, title, go_name, kind in WORKLOADS:
        if not any((key, "csp4j") in jmh for _, jmh, _ in runs):
            continue
        baselines = BASELINES[kind]
        juc_labels = [label for _, label, same in baselines if same]
        best_label = "min(" + ", ".join(juc_labels) + ")" if len(juc_labels) > 1 else "".join(juc_labels)
        rows = {name: [] for name in ["csp4j"] + [label for _, label, _ in baselines] + ["Go", "csp4j/jox",
                f"csp4j/best j.u.c. ({best_label or 'none'})", "csp4j/Go"]}
        for label, jmh, go in runs:
            csp4j = jmh.get((key, "csp4j"))
            score = lambda r: r[0] if r else None
            rows["csp4j"].append(fmt_score(csp4j, True))
            for impl, row, _ in baselines:
                rows[row].append(fmt_score(jmh.get((key, impl)), True))
            go_samples = go.get(go_name, []) if go_name else []
            go_figure = go_median(go, go_name)
            rows["Go"].append("—" if go_figure is None else
                              f"{fmt(go_figure)} (median of {len(go_samples)}; {fmt(min(go_samples))}–{fmt(max(go_samples))})")
            ratios = (ratio(score(csp4j), score(jmh.get((key, "jox")))), ratio(score(csp4j), best_juc(jmh, key, kind)),
                      ratio(score(csp4j), go_figure))
            for name, value in zip(list(rows)[-3:], ratios):
                rows[name].append(f"**{value}**")
            summary.setdefault(key, []).append((label, ratios))
        out.append(f"### {title}\n")
        out.append("| ns/op: mean ± 99.9% error (iterations min–max) | " + " | ".join(label for label, _, _ in runs) + " |")
        out.append("| --- |" + " ---: |" * len(runs))
        for name, cells in rows.items():
            if any(c not in ("—", "**—**") for c in cells):
                out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    labels = [label for label, _, _ in runs]
    head = ["| workload | " + " | ".join(f"csp4j/jox {l}" for l in labels) + " | "
            + " | ".join(f"csp4j/best j.u.c. {l}" for l in labels) + " | "
            + " | ".join(f"csp4j/Go {l}" for l in labels) + " |",
            "| --- |" + " ---: |" * (3 * len(runs))]
    lines = []
    for key, entries in summary.items():
        cells = [e[1][i] for i in range(3) for e in entries]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(out), "\n".join(head + lines)


def best_juc_choice(jmh, key, kind):
    """(mean, row label) of the fastest java.util.concurrent baseline with csp4j's blocking semantics, or None."""
    choices = [(impl, label) for impl, label, is_juc in BASELINES[kind] if is_juc]
    if any((key, impl) in jmh.dropped for impl, _ in choices):
        return None  # --state left a choice out: the best of the others need not be the best
    same = [(jmh[(key, impl)][0], label) for impl, label in choices if (key, impl) in jmh]
    return min(same) if same else None


def best_juc(jmh, key, kind):
    """The lowest mean of the java.util.concurrent baselines with csp4j's blocking semantics, or None."""
    best = best_juc_choice(jmh, key, kind)
    return best[0] if best else None


def wide_table(runs):
    """The first run's table of one row per workload; the second run's csp4j mean last, if any."""
    (label, jmh, go), before = runs[0], runs[1] if len(runs) > 1 else None
    score = lambda results, key, impl: results[(key, impl)][0] if (key, impl) in results else None
    impls = [i for i in WIDE_IMPLS if i not in WIDE_OPTIONAL or any(impl == i for _, impl in jmh)]
    head = "| workload (ns/op) | " + " | ".join(impls) + " | Go | csp4j/jox | csp4j/best j.u.c. | csp4j/Go |"
    head += f" csp4j {before[0]} |" if before else ""
    lines = [head, "| --- |" + " ---: |" * (len(impls) + 4 + (1 if before else 0))]
    for key, row, go_name, kind in WIDE_ROWS:
        csp4j = score(jmh, key, "csp4j")
        if csp4j is None:
            continue
        go_figure = go_median(go, go_name)
        cells = [fmt(score(jmh, key, impl)) for impl in impls] + [
            fmt(go_figure), ratio(csp4j, score(jmh, key, "jox")), ratio(csp4j, best_juc(jmh, key, kind)),
            ratio(csp4j, go_figure)]
        if before:
            cells.append(fmt(score(before[1], key, "csp4j")))
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# Issue 6's targets, in the at-a-glance table's column order: csp4j at most this times the other.
TARGETS = (("csp4j/jox", 0.5), ("csp4j/j.u.c.", 1.0), ("csp4j/Go", 1.0))


def unit_divisor(key):
    """Returns the divisor that turns key's score into SCALING's unit (a ring's trip into hops), else 1."""
    for prefix, _, _, _, _, divide in SCALING:
        if divide and key.startswith(prefix + "-"):
            return int(key.split("-")[1])
    return 1


def glance_table(run):
    """One run's table for the top of RESULTS.md: per workload csp4j's mean, jox's, the best
    java.util.concurrent choice's (named) and Go's median, and the three ratios, each in bold where
    it meets its target of issue 6 (TARGETS)."""
    _, jmh, go = run
    lines = ["| workload (ns per op; rings per hop) | csp4j | jox | best j.u.c. | Go | "
             + " | ".join(f"{name} (≤ {target:.1f})" for name, target in TARGETS) + " |",
             "| --- |" + " ---: |" * 7]
    met = [0] * len(TARGETS)
    counted = [0] * len(TARGETS)
    for key, row, go_name, kind in WIDE_ROWS:
        per = unit_divisor(key)
        score = lambda impl: jmh[(key, impl)][0] / per if (key, impl) in jmh else None
        csp4j = score("csp4j")
        if csp4j is None:
            continue
        best = best_juc_choice(jmh, key, kind)
        go_figure = go_median(go, go_name, per)
        others = (score("jox"), best[0] / per if best else None, go_figure)
        cells = []
        for i, (other, (_, target)) in enumerate(zip(others, TARGETS)):
            if other is None:
                cells.append("—")
                continue
            counted[i] += 1
            value = csp4j / other
            if value <= target:
                met[i] += 1
                cells.append(f"**{value:.2f}**")
            else:
                cells.append(f"{value:.2f}")
        juc_cell = "—" if best is None else f"{fmt(best[0] / per)} ({best[1].split(' (')[0]})"
        lines.append(f"| {row} | {fmt(csp4j)} | {fmt(others[0])} | {juc_cell} | {fmt(go_figure)} | " + " | ".join(cells) + " |")
    lines.append(f"| targets met | | | | | {met[0]} of {counted[0]} | {met[1]} of {counted[1]} | {met[2]} of {counted[2]} |")
    return "\n".join(lines)


def go_spread_table(run, others):
    """The first run's csp4j against Go's median in that run and in each of others (Go runs of the
    same session: [(label, go samples)]), per workload: the ratio's range and whether the target
    (csp4j at most Go's time) holds against every Go run, against none, or against some only."""
    label, jmh, go = run
    runs = [(label, go)] + others
    lines = ["| workload (ns per op; rings per hop) | csp4j | " + " | ".join(f"Go ({l})" for l, _ in runs)
             + " | csp4j/Go | ≤ 1.0 × Go |",
             "| --- |" + " ---: |" * (len(runs) + 2) + " --- |"]
    for key, row, go_name, _ in WIDE_ROWS:
        per = unit_divisor(key)
        if (key, "csp4j") not in jmh or not go_name:
            continue
        csp4j = jmh[(key, "csp4j")][0] / per
        medians = [go_median(g, go_name, per) for _, g in runs]
        ratios = [csp4j / m for m in medians if m]
        if not ratios:
            continue
        verdict = ("met against every Go run" if max(ratios) <= 1.0 else
                   "not met against any" if min(ratios) > 1.0 else "met against some Go runs only")
        lines.append(f"| {row} | {fmt(csp4j)} | " + " | ".join(fmt(m) for m in medians)
                     + f" | {min(ratios):.2f}–{max(ratios):.2f} | {verdict} |")
    return "\n".join(lines)


def scaling(jmh, go):
    """{prefix: {series: [(x, y)]}} from one run: every impl's curve and Go's (medians)."""
    curves = {}
    for prefix, _, _, go_prefix, _, per_x in SCALING:
        series = defaultdict(list)
        for (key, impl), result in jmh.items():
            if key.startswith(prefix + "-"):
                x = int(key.split("-")[1])
                series[impl].append((x, result[0] / x if per_x else result[0]))
        for name, samples in go.items():
            m = re.fullmatch(go_prefix + r"(\d+)", name)
            if m:
                x = int(m.group(1))
                y = statistics.median(samples)
                series["go"].append((x, y / x if per_x else y))
        if series:
            curves[prefix] = {impl: sorted(points) for impl, points in series.items()}
    return curves


def scaling_tables(curves):
    out = []
    for prefix, title, x_name, _, _, _ in SCALING:
        if prefix not in curves:
            continue
        series = curves[prefix]
        xs = sorted({x for points in series.values() for x, _ in points})
        out.append(f"### Scaling: {title}\n")
        out.append(f"| {x_name} | " + " | ".join(f"{x:,}" for x in xs) + " | last / first |")
        out.append("| --- |" + " ---: |" * (len(xs) + 1))
        for impl in [i for i in IMPL_LABELS if i in series]:
            ys = dict(series[impl])
            cells = [fmt(ys.get(x)) for x in xs]
            first, last = series[impl][0][1], series[impl][-1][1]
            out.append(f"| {IMPL_LABELS[impl]} | " + " | ".join(cells) + f" | {last / first:.2f} |")
        out.append("")
    return "\n".join(out)


COLOURS = {"csp4j": "#d62728", "jox": "#1f77b4", "juc": "#2ca02c", "ltq": "#9467bd", "jctools": "#8c564b",
           "slot": "#7f7f7f", "go": "#000000"}


def svg_chart(title, x_name, y_name, series):
    """A log-log line chart as SVG text: one polyline per series, with a legend."""
    width, height, left, right, top, bottom = 720, 420, 70, 230, 40, 50
    points = [p for values in series.values() for p in values]
    x_lo, x_hi = math.log10(min(x for x, _ in points)), math.log10(max(x for x, _ in points))
    y_lo = math.floor(math.log10(min(y for _, y in points)))
    y_hi = math.ceil(math.log10(max(y for _, y in points)))
    if y_hi == y_lo:
        y_hi += 1
    px = lambda x: left + (math.log10(x) - x_lo) / max(x_hi - x_lo, 1e-9) * (width - left - right)
    py = lambda y: top + (y_hi - math.log10(y)) / (y_hi - y_lo) * (height - top - bottom)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14">{title}</text>']
    for e in range(y_lo, y_hi + 1):
        y = py(10 ** e)
        svg.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:,}</text>')
    for x in sorted({x for x, _ in points}):
        svg.append(f'<line x1="{px(x):.1f}" y1="{top}" x2="{px(x):.1f}" y2="{height - bottom}" stroke="#eee"/>')
        svg.append(f'<text x="{px(x):.1f}" y="{height - bottom + 18}" text-anchor="middle">{x:,}</text>')
    svg.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 10}" text-anchor="middle">{x_name} (log scale)</text>')
    svg.append(f'<text x="16" y="{(top + height - bottom) / 2:.0f}" transform="rotate(-90 16 {(top + height - bottom) / 2:.0f})" '
               f'text-anchor="middle">{y_name} (log scale)</text>')
    for i, impl in enumerate([i for i in IMPL_LABELS if i in series]):
        colour = COLOURS[impl]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in series[impl])
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in series[impl]:
            svg.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = top + 10 + 20 * i
        svg.append(f'<line x1="{width - right + 15}" y1="{ly}" x2="{width - right + 40}" y2="{ly}" stroke="{colour}" stroke-width="2"/>')
        svg.append(f'<text x="{width - right + 46}" y="{ly + 4}">{IMPL_LABELS[impl]}</text>')
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


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


def left_out(keys):
    """The (workload, impl) keys --state left out, as "workload (impl, impl); ..." or "none"."""
    by_workload = defaultdict(list)
    for key, impl in sorted(keys):
        by_workload[key].append(impl)
    return "; ".join(f"{key} ({', '.join(impls)})" for key, impls in by_workload.items()) or "none"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", nargs=3, action="append", default=[], metavar=("LABEL", "JMH_JSON", "GO_TXT"),
                        help="one run of the comparison: a label, its JMH JSON and its Go output (or -)")
    parser.add_argument("--charts", metavar="DIR",
                        help="write the scaling curves of the first run as SVG charts into DIR")
    parser.add_argument("--spins", nargs="+", action="append", default=[], metavar="LABEL_THEN_FILES",
                        help="a label, then the JSON files of one spin sweep")
    parser.add_argument("--state", choices=("fast", "slow"),
                        help="read each JMH entry's iterations in this machine state only (needs probes)")
    parser.add_argument("--max-c2c", type=float, default=FAST_C2C_NS, metavar="NS",
                        help="with --state: the probe at or under which an iteration is in the fast state")
    parser.add_argument("--go-spread", nargs=2, action="append", default=[], metavar=("LABEL", "GO_TXT"),
                        help="another Go run of the session, to read the first run's Go ratios against")
    args = parser.parse_args()
    if args.max_c2c != FAST_C2C_NS and not args.state:
        parser.error("--max-c2c is read only with --state")
    if args.run:
        runs = [(label, load_jmh(jmh, args.state, args.max_c2c), load_go(go) if go != "-" else {})
                for label, jmh, go in args.run]
        tables, summary = workload_tables(runs)
        print("## Ratios (csp4j's ns/op divided by the other's; below 1 means csp4j is faster)\n")
        print(summary)
        print("\n## Per workload\n")
        print(tables)
        curves = scaling(runs[0][1], runs[0][2])
        print(scaling_tables(curves))
        print(f"## One row per workload ({runs[0][0]})\n")
        print(wide_table(runs))
        print(f"\n## At a glance ({runs[0][0]}; bold: the target is met)\n")
        print(glance_table(runs[0]))
        if args.go_spread:
            print(f"\n## csp4j ({runs[0][0]}) against each Go run\n")
            print(go_spread_table(runs[0], [(label, load_go(go)) for label, go in args.go_spread]))
        state = machine_state(args.run[0][1])
        if state:
            print(f"\n{state}")
        side = "at or under" if args.state == "fast" else "above"
        for label, jmh, _ in runs if args.state else ():
            print(f"\nRead in the {args.state} state only ({label}): {len(jmh)} of {len(jmh) + len(jmh.dropped)}"
                  f" entries kept, each the mean of its iterations whose probe read {side} {fmt(args.max_c2c)} ns"
                  f" (at least {MIN_STATE_ITERATIONS}); JMH's error not recomputed; Go's figures unprobed."
                  f" Left out: {left_out(jmh.dropped)}.")
        if args.charts:
            for prefix, title, x_name, _, y_name, _ in SCALING:
                if prefix in curves:
                    path = f"{args.charts}/scaling-{prefix}.svg"
                    with open(path, "w") as f:
                        f.write(svg_chart(f"{title} ({runs[0][0]})", x_name, y_name, curves[prefix]))
                    print(f"wrote {path}", file=sys.stderr)
    for group in args.spins:
        print(f"\n## Spin sweep: {group[0]}\n")
        print(spin_table(group[1:]))


if __name__ == "__main__":
    main()
