#!/usr/bin/env python3
"""A/B of csp4j configurations in rounds, each run gated on the machine state by quiet_run.py.

An A/B here compares two or more configurations (a jar, JVM options, or both) of the same code
on a few JMH combinations. Each round runs every combination once per configuration, one after
the other; the order of the configurations rotates by one place each round (two configurations:
A B, B A, A B, ...), because the second of two runs in a row measured up to 14 % faster on a
combination that neither touched (benchmarks/RESULTS.md, "The order inside an A/B's rounds"). Every run goes through
quiet_run.py, so it starts only while the machine is quiet and in its fast CPU-to-CPU state, and
records the probe's figure after every measurement iteration (unless --max-c2c 0: then it
neither waits for the fast state nor probes after each iteration).

Output: one line per run, written to --out/lines.txt (a new directory, or one without it) and
printed:

    round|label|combination|ns/op of each measurement iteration|c2c probe of each iteration

and, at the end (or with --summary FILE for an earlier file), per combination: the median over
rounds of each round's median over the iterations whose probe read at most --max-c2c (all of a
run's iterations with --max-c2c 0, used for runs on one carrier, where no handoff crosses CPUs,
or if the run has no probe figures), for each configuration, the change against the first
configuration, and in how many rounds it was faster.

With --summary FILE --by-state NS, the summary is per machine state instead: for every
combination and configuration but the first, the median over rounds of the ratio of its round
median to the first configuration's in the same round, once over the iterations whose probe read
at most NS (fast) and once over those above it (slow), where both runs of the round have at least
three iterations in that state. It is for A/Bs run with a --max-c2c above every probe (such as
5000), which wait for no state and keep every iteration: on a guest whose state flips within
minutes, a gated A/B repeats most runs, and a summary over all iterations compares one
configuration's fast iterations with another's slow ones (benchmarks/RESULTS.md, "The cell
layout and a select's first capacity"). A line without one probe per iteration counts in neither
state; the first configuration's figure printed per state is its median over every round with
three such iterations, paired or not. It does not take --control.

With --control COMBO (one of the combinations, one that no configuration changes, such as
ForkJoinBenchmark's executor beside csp4j), the summary also gives, for every other
combination and configuration, the median over rounds of the ratio of its round median to the
control's in the same round and configuration, the change of that ratio against the first
configuration, and in how many rounds the ratio was lower. The ratio takes out what moves both
(a slower quarter hour moved ForkJoinBenchmark's control up to 13 % between configurations that
did not touch it), though the control runs about a minute after what it controls (two or three
runs later, with two configurations), not beside it. The first configuration's ratio in each
round follows its median, for every round of the file ("-" where it is left out).

With --control, one configuration is enough: then the rounds read csp4j against a baseline of the
same jar. The summary gives every combination's ratio to the control, of which only the one
beside it is meant; run --summary again with another --control for each further pair.
--alternate runs the combinations in reverse order in even rounds, so that of two neighbours each
runs first in half of an even number of rounds (the last run of a round and the first of the next
are then the same combination, and with two configurations the same configuration too).
--least N leaves out of the summary a run with fewer than N iterations that count (go_rounds.py
leaves out a run with fewer than three).

Usage (from the repository root, after building the jars to compare):

    python3 benchmarks/scripts/ab_rounds.py --java /path/to/jdk-21+/bin/java --rounds 4 \\
        --out /tmp/ab --cfg 'before||/tmp/before.jar' --cfg 'after||benchmarks/target/benchmarks.jar' \\
        --combo 'PairsBenchmark -p impl=csp4j -p pairs=10000' --combo 'ForkJoinBenchmark -p impl=csp4j'

    python3 benchmarks/scripts/ab_rounds.py --summary /tmp/ab/lines.txt \\
        --control 'ForkJoinBenchmark -p impl=executor'

A configuration is 'label|JVM options|jar': the options go to -jvmArgsAppend (empty for none),
the jar defaults to benchmarks/target/benchmarks.jar; no part may contain '|', nor may a
combination. A combination must select one benchmark and one parameter set: a pattern that would
also match a longer benchmark name needs a '$' (SelectBenchmark.select2Receive$). With -f above
1 the iterations of every fork are used. Python 3 standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from collections import defaultdict

import quiet_run  # beside this script: state_iterations, the split --by-state shares with results_tables.py

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
DEFAULT_JAR = "benchmarks/target/benchmarks.jar"


def parse_cfg(text):
    """'label|jvm options|jar' -> (label, options, jar)."""
    parts = text.split("|")
    if len(parts) > 3 or not parts[0].strip():
        raise SystemExit(f"ab_rounds.py: configuration {text!r} is not 'label|JVM options|jar' (a label, no '|' inside a part)")
    parts += [""] * (3 - len(parts))
    return parts[0].strip(), parts[1].strip(), parts[2].strip() or DEFAULT_JAR


def order(configs, round_number):
    """The configurations in the order of this round: rotated by one place per round."""
    shift = (round_number - 1) % len(configs)
    return list(configs[shift:]) + list(configs[:shift])


def run_one(args, label, options, jar, combo, round_number, index):
    """Runs one combination of one configuration through quiet_run.py; returns its line."""
    out = os.path.join(args.out, f"r{round_number}-{label}-{index}.json")
    if os.path.exists(out):
        os.remove(out) # quiet_run.py writes it only on success: never read an older run's
    jmh = args.jmh.split() + (["-jvmArgsAppend", options] if options else [])
    command = [sys.executable, os.path.join(SCRIPTS, "quiet_run.py"), "--java", args.java, "--jar", jar,
               "--out", out, "--combo", combo, "--quiet", str(args.quiet), "--idle", str(args.idle),
               "--attempts", str(args.attempts), "--max-c2c", str(args.max_c2c), "--c2c-wait", str(args.c2c_wait),
               "--"] + jmh
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        print(f"ab_rounds.py: quiet_run.py exited with {done.returncode} for {label} {combo!r}:\n{tail}", file=sys.stderr)
    try:
        with open(out) as f:
            entries = json.load(f)
        if len(entries) != 1:
            raise SystemExit(f"ab_rounds.py: {combo!r} selected {len(entries)} benchmarks or parameter sets, not one")
        entry = entries[0]
        scores = [score for fork in entry["primaryMetric"]["rawData"] for score in fork]
        probes = entry.get("quietRun", {}).get("coreToCoreNsPerIteration", [])
    except (OSError, ValueError, LookupError):
        scores, probes = [], [] # no result: the line says so, and the summary skips it
        failed = [line for line in done.stdout.splitlines() if "FAILED" in line]
        print(f"ab_rounds.py: no result for {label} {combo!r}: " + (failed[-1] if failed else "see quiet_run.py's log"),
              file=sys.stderr)
    return (f"{round_number}|{label}|{combo}|" + " ".join(f"{s:.1f}" for s in scores)
            + " | c2c " + " ".join(str(round(p)) for p in probes))


def parsed_lines(lines):
    """The lines of an A/B as (round, label, combination, ns/op of each iteration, probe after each
    iteration), skipping any other line; stops at a second line for one round, configuration and
    combination, which means two A/Bs in one file."""
    seen = set()
    for line in lines:
        parts = line.rstrip("\n").split("|")
        if len(parts) < 5 or not parts[0].strip().isdigit():
            continue
        round_number, label, combo = int(parts[0]), parts[1], parts[2]
        if (combo, round_number, label) in seen:
            raise SystemExit(f"ab_rounds.py: two lines for round {round_number}, {label}, {combo!r}:"
                             " more than one A/B in this file; summarize each apart")
        seen.add((combo, round_number, label))
        yield (round_number, label, combo, [float(s) for s in parts[3].split()],
               [float(p) for p in parts[4].replace("c2c", "").split()])


def summary(lines, max_c2c, control=None, least=1):
    """Per combination and configuration: median over rounds of the round medians of fast iterations
    (all iterations with max_c2c 0 or without probe figures: see the module's docstring); with a
    control combination, then the ratios to it. A run with fewer than `least` such iterations is
    left out."""
    rounds = defaultdict(dict) # (combo, round) -> label -> median
    labels, numbers = [], set()
    for round_number, label, combo, scores, probes in parsed_lines(lines):
        numbers.add(round_number)
        if label not in labels:
            labels.append(label)
        if not probes or max_c2c <= 0:  # not probed, or no limit asked for: every iteration counts
            fast = scores
        else:
            fast = [s for s, p in zip(scores, probes) if p <= max_c2c]
        if len(fast) >= max(least, 1):
            rounds[(combo, round_number)][label] = statistics.median(fast)
    combos = []
    for combo, _ in rounds:
        if combo not in combos:
            combos.append(combo)
    report = []
    for combo in combos:
        per_label = {label: [m[label] for (c, _), m in rounds.items() if c == combo and label in m] for label in labels}
        base = labels[0]
        if not per_label[base]:
            report.append(f"{combo}: no fast round for {base}")
            continue
        base_median = statistics.median(per_label[base])
        cells = [f"{base} {base_median:.1f}"]
        for label in labels[1:]:
            values = per_label[label]
            if not values:
                cells.append(f"{label} no fast round")
                continue
            median = statistics.median(values)
            pairs = [(m[base], m[label]) for (c, _), m in rounds.items() if c == combo and base in m and label in m]
            faster = sum(1 for a, b in pairs if b < a)
            cells.append(f"{label} {median:.1f} ({100 * (median / base_median - 1):+.0f} %, faster in {faster} of {len(pairs)} rounds)")
        report.append(f"{combo}: " + ", ".join(cells))
    if control is not None:
        if control not in combos:
            report.append(f"ab_rounds.py: control {control!r} is none of the combinations with a fast round: {combos}")
        else:
            report += control_ratios(rounds, combos, labels, control, sorted(numbers))
    return report


def state_ratios(lines, limit, least=3):
    """Per combination, machine state and configuration but the first: the median over rounds of the
    ratio of the configuration's round median to the first configuration's in the same round, each
    median taken over the iterations of one state only (fast: the probe after the iteration at most
    limit; slow: above it), and only where both runs of the round have at least `least` such
    iterations. A line without one probe per iteration counts in neither state. For A/Bs in which
    the machine changed state between or inside runs (module docstring, --by-state)."""
    rounds = defaultdict(dict) # (state, combo, round) -> label -> median
    labels, combos = [], []
    for round_number, label, combo, scores, probes in parsed_lines(lines):
        if label not in labels:
            labels.append(label)
        if combo not in combos:
            combos.append(combo)
        split = quiet_run.state_iterations(scores, probes, limit)
        for state, chosen in (split or {}).items():  # None: not probed after every iteration
            if len(chosen) >= least:
                rounds[(state, combo, round_number)][label] = statistics.median(chosen)
    if len(labels) < 2:
        raise SystemExit(f"ab_rounds.py: --by-state compares configurations, and this file has {len(labels)}")
    report = []
    base = labels[0]
    for combo in combos:
        for state in ("fast", "slow"):
            cells = []
            for label in labels[1:]:
                ratios = [m[label] / m[base] for (st, c, _), m in sorted(rounds.items())
                          if st == state and c == combo and base in m and label in m]
                if ratios:
                    cells.append(f"{label}/{base} {statistics.median(ratios):.2f} (rounds: "
                                 + ", ".join(f"{r:.2f}" for r in ratios) + ")")
                else:
                    cells.append(f"{label}/{base}: no round with both")
            bases = [m[base] for (st, c, _), m in rounds.items() if st == state and c == combo and base in m]
            where = f"{base} {statistics.median(bases):.1f}" if bases else f"{base} none"
            report.append(f"{combo} [{state}, probe {'<=' if state == 'fast' else '>'} {limit:g} ns; "
                          f"{where} by the median round]: " + ", ".join(cells))
    return report


def control_ratios(rounds, combos, labels, control, numbers):
    """Per combination but the control: the median ratio to the control by configuration (module docstring)."""
    report = []
    base = labels[0]
    for combo in combos:
        if combo == control:
            continue
        ratios = {} # label -> round -> ratio
        for (c, round_number), m in rounds.items():
            ctl = rounds.get((control, round_number), {})
            if c == combo:
                for label, value in m.items():
                    if label in ctl:
                        ratios.setdefault(label, {})[round_number] = value / ctl[label]
        if base not in ratios:
            report.append(f"{combo} / {control}: no round with both for {base}")
            continue
        base_median = statistics.median(ratios[base].values())
        cells = [f"{base} {base_median:.4g} (rounds: "  # every round of the file; one left out reads "-"
                 + ", ".join(f"{ratios[base][r]:.4f}" if r in ratios[base] else "-" for r in numbers) + ")"]
        for label in labels[1:]:
            if label not in ratios:
                cells.append(f"{label} no round with both")
                continue
            median = statistics.median(ratios[label].values())
            both = [r for r in ratios[label] if r in ratios[base]]
            lower = sum(1 for r in both if ratios[label][r] < ratios[base][r])
            cells.append(f"{label} {median:.4g} ({100 * (median / base_median - 1):+.0f} %, lower in {lower} of {len(both)} rounds)")
        report.append(f"{combo} / {control}: " + ", ".join(cells))
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--java", default="java", help="a JDK 21+ java")
    parser.add_argument("--cfg", action="append", default=[],
                        help="'label|JVM options|jar', two or more; one with --control")
    parser.add_argument("--combo", action="append", default=[], help="JMH arguments selecting one combination")
    parser.add_argument("--rounds", type=int, default=4, help="rounds (default 4)")
    parser.add_argument("--out", help="directory for the JSON files and lines.txt")
    parser.add_argument("--jmh", default="-f 1 -wi 2 -w 1s -i 3 -r 1s", help="JMH settings of every run")
    parser.add_argument("--quiet", type=int, default=2, help="quiet_run.py --quiet (default 2)")
    parser.add_argument("--idle", type=float, default=0.2, help="quiet_run.py --idle (default 0.2)")
    parser.add_argument("--attempts", type=int, default=3, help="quiet_run.py --attempts (default 3)")
    parser.add_argument("--max-c2c", type=float, default=150.0,
                        help="quiet_run.py --max-c2c, and the summary's limit per iteration (default 150; "
                             "0: no wait for the fast state and no probe per iteration, and every "
                             "iteration counts)")
    parser.add_argument("--c2c-wait", type=float, default=120.0, help="quiet_run.py --c2c-wait (default 120)")
    parser.add_argument("--summary", metavar="FILE", help="only print the summary of an earlier lines file")
    parser.add_argument("--by-state", metavar="NS", type=float,
                        help="with --summary: the ratios to the first configuration per machine state instead, "
                             "fast (probe at most NS) and slow apart")
    parser.add_argument("--control", metavar="COMBO",
                        help="a combination no configuration changes: the summary adds the others' ratios to it")
    parser.add_argument("--least", type=int, default=1,
                        help="leave out of the summary a run with fewer iterations that count (default 1)")
    parser.add_argument("--alternate", action="store_true",
                        help="run the combinations in reverse order in even rounds")
    args = parser.parse_args()
    if args.summary:
        with open(args.summary) as f:
            if args.by_state is not None:
                if args.control is not None or args.least != 1:
                    parser.error("--by-state does not take --control or --least (it keeps states of 3 iterations)")
                print("\n".join(state_ratios(f, args.by_state)))
            else:
                print("\n".join(summary(f, args.max_c2c, args.control, args.least)))
        return
    if args.by_state is not None:
        parser.error("--by-state goes with --summary FILE")
    if len(args.cfg) < (1 if args.control else 2) or not args.combo or not args.out or args.rounds < 1:
        parser.error("give --out, at least two --cfg (or one with --control), at least one --combo and"
                     f" --rounds >= 1 (got {len(args.cfg)} --cfg, {len(args.combo)} --combo, --rounds {args.rounds})")
    configs = [parse_cfg(c) for c in args.cfg]
    if len({label for label, _, _ in configs}) != len(configs):
        parser.error("configuration labels must differ: " + ", ".join(label for label, _, _ in configs))
    if args.control is not None and args.control not in args.combo:
        parser.error(f"--control {args.control!r} is none of the --combo given")
    for combo in args.combo:
        if "|" in combo:
            parser.error(f"combination {combo!r} contains '|', which separates the fields of a line")
    os.makedirs(args.out, exist_ok=True)
    lines_file = os.path.join(args.out, "lines.txt")
    if os.path.exists(lines_file):
        parser.error(f"{lines_file} exists: rounds of two A/Bs in one file would mix; choose another --out")
    written = []
    for round_number in range(1, args.rounds + 1):
        combos = list(enumerate(args.combo))
        for index, combo in (combos[::-1] if args.alternate and round_number % 2 == 0 else combos):
            for label, options, jar in order(configs, round_number):
                line = run_one(args, label, options, jar, combo, round_number, index)
                print(line, flush=True)
                written.append(line)
                with open(lines_file, "a") as f:
                    f.write(line + "\n")
    print("\n".join(summary(written, args.max_c2c, args.control, args.least)))


if __name__ == "__main__":
    main()
