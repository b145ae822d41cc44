#!/usr/bin/env python3
"""csp4j beside Go in rounds: each workload's JMH run between two gated Go samples, round by round.

On the reference guest Go's figures, gated on the fast CPU-to-CPU state, moved by up to 1.4 × within
minutes, and in run 33 csp4j's and Go's buffered workloads ran slower together while the probe read
the fast state (benchmarks/RESULTS.md, "Go's samples one at a time, between two probes", "Run 33").
A ratio of csp4j to Go is then best read between figures measured close in time. For each round and
each pair given, this script runs one Go sample (go_gated.py --count 1, gated), then csp4j's JMH
combination (quiet_run.py, gated), then a second Go sample, and computes the ratio of csp4j's mean
over its fast iterations to the mean of the two Go samples. The order of the pairs rotates by one
each round.

Output: one line per pair and round in --out/lines.txt (a new directory, or one without it),
printed too:

    round|go benchmark|go sample before|csp4j mean|go sample after|ratio

then per pair the median ratio over rounds, its range, and in how many rounds the ratio was at most
1.0, printed and written to --out/summary.txt. A round is marked "slow Go" if a Go sample was kept
slow (go_gated.py keeps one only after three slow attempts), and "slow JMH" if the JMH run kept by
quiet_run.py has fewer than three iterations probed fast (then csp4j's mean is over every
iteration); a marked round is left out of the summary. A JMH run with three or more fast iterations
counts by those iterations, whatever its probes before and after read. The gates are compare.sh's:
both go_gated.py and quiet_run.py at --max-c2c 150 with three attempts and --c2c-wait 120, and
quiet_run.py at --quiet 2 --idle 0.2. --max-c2c NS sets another limit for both gates and for the
iterations that count; --max-c2c 0 gates nothing, probes no iteration and counts every sample and
iteration, for a machine whose probe has no second state but reads near 150 ns (the Intel guest of
benchmarks/RESULTS.md, "Run 36": 114 to 169 ns). Each round's files go into --out too:
rR-NAME-go-before.txt, rR-NAME-go-after.txt and rR-NAME-jmh.json, each with its .log.

Usage (from the repository root, after ./mvnw -q -pl benchmarks -am package -DskipTests):

    python3 benchmarks/scripts/go_rounds.py --java /path/to/jdk-21+/bin/java --rounds 4 \\
        --out /tmp/rounds \\
        --pair 'Buffered16_1P1C|TransferBenchmark -p impl=csp4j -p workload=buffered16-1P1C'

A pair is 'Go benchmark name without Benchmark|JMH combination'; the Go benchmark is looked up in
../shared/anchors/go and benchmarks/go (--dir to change). JMH runs with -f 1 -wi 3 -w 1s -i 5 -r 1s
unless --jmh says otherwise. Python 3 standard library only.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys

from results_tables import FAST_C2C_NS, load_go, load_jmh

SCRIPTS = os.path.dirname(os.path.abspath(__file__))


def go_sample(args, name, path):
    """One gated Go sample of BenchmarkNAME into path: (ns/op, whether it was kept slow)."""
    command = [sys.executable, "-B", os.path.join(SCRIPTS, "go_gated.py"), "--java", args.java,
               "--jar", args.jar, "--bench", f"^Benchmark{name}$", "--count", "1",
               "--out", path, "--log", path + ".log", "--max-c2c", str(args.max_c2c)]
    for directory in args.dir:
        command += ["--dir", directory]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    samples = load_go(path).get(name)
    if not samples:
        raise SystemExit(f"go_rounds.py: no Go benchmark Benchmark{name} in {args.dir}")
    with open(path + ".log") as log:
        slow = any("slow, kept" in line for line in log)
    return samples[0], slow


def csp4j_mean(args, combo, path):
    """csp4j's JMH mean over the iterations probed fast, for one combination run by quiet_run.py,
    and whether fewer than three were fast (then the mean is over every iteration). With
    --max-c2c 0 no iteration is probed: the mean is over every iteration, and never slow."""
    command = [sys.executable, "-B", os.path.join(SCRIPTS, "quiet_run.py"), "--java", args.java,
               "--jar", args.jar, "--out", path, "--quiet", "2", "--idle", "0.2", "--attempts", "3",
               "--max-c2c", str(args.max_c2c), "--c2c-wait", "120", "--combo", combo, "--"]
    subprocess.run(command + shlex.split(args.jmh), check=True, stdout=subprocess.DEVNULL)
    # Every iteration counts with --max-c2c 0, which probes none; otherwise results_tables.py's
    # --state reading: the mean over the iterations probed fast, or the entry left out (dropped) if
    # fewer than MIN_STATE_ITERATIONS were.
    try:
        chosen = load_jmh(path) if args.max_c2c <= 0 else load_jmh(path, "fast", args.max_c2c)
    except (OSError, ValueError):
        chosen = None
    count = 0 if chosen is None else len(chosen) + len(chosen.dropped)
    if count != 1:
        raise SystemExit(f"go_rounds.py: {combo!r} gave {count} JMH entries, not one "
                         f"(see {path}.log)")
    if chosen:
        return next(iter(chosen.values()))[0], False
    return next(iter(load_jmh(path).values()))[0], True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--java", required=True, help="a JDK 21+ java")
    parser.add_argument("--jar", default="benchmarks/target/benchmarks.jar", help="benchmarks.jar")
    parser.add_argument("--rounds", type=int, default=4, help="rounds (default 4)")
    parser.add_argument("--out", required=True, help="a new directory for the files")
    parser.add_argument("--pair", action="append", required=True,
                        help="'GoName|JMH combination', e.g. 'Buffered16_1P1C|TransferBenchmark ...'")
    parser.add_argument("--dir", action="append",
                        help="a Go package of benchmarks (default: ../shared/anchors/go and benchmarks/go)")
    parser.add_argument("--jmh", default="-f 1 -wi 3 -w 1s -i 5 -r 1s", help="JMH options")
    parser.add_argument("--max-c2c", type=float, default=FAST_C2C_NS,
                        help=f"the gates' limit and the fast iterations', in ns (default "
                             f"{FAST_C2C_NS:.0f}, compare.sh's); 0: no gate, every sample and iteration counts")
    args = parser.parse_args()
    if args.max_c2c < 0:
        parser.error(f"--max-c2c must be 0 or more, not {args.max_c2c:g}")
    args.dir = args.dir or ["../shared/anchors/go", "benchmarks/go"]
    pairs = []
    for text in args.pair:
        parts = text.split("|")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            parser.error(f"--pair {text!r} is not 'GoName|JMH combination'")
        pairs.append((parts[0].strip(), parts[1].strip()))
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, not {args.rounds}")
    os.makedirs(args.out, exist_ok=True)
    lines_path = os.path.join(args.out, "lines.txt")
    if os.path.exists(lines_path):
        parser.error(f"{lines_path} exists; give a new --out")

    ratios = {name: [] for name, _ in pairs}
    with open(lines_path, "w") as lines:
        for r in range(1, args.rounds + 1):
            shift = (r - 1) % len(pairs)
            for name, combo in pairs[shift:] + pairs[:shift]:
                stem = os.path.join(args.out, f"r{r}-{name}")
                before, slow_before = go_sample(args, name, stem + "-go-before.txt")
                csp4j, slow_jmh = csp4j_mean(args, combo, stem + "-jmh.json")
                after, slow_after = go_sample(args, name, stem + "-go-after.txt")
                ratio = csp4j / ((before + after) / 2)
                slow = [label for label, flag in (("slow Go", slow_before or slow_after),
                                                  ("slow JMH", slow_jmh)) if flag]
                if not slow:
                    ratios[name].append(ratio)
                line = "|".join([str(r), name, f"{before:.4g}", f"{csp4j:.4g}", f"{after:.4g}",
                                 f"{ratio:.3f}"] + slow)
                print(line, flush=True)
                lines.write(line + "\n")
                lines.flush()
    with open(os.path.join(args.out, "summary.txt"), "w") as summary:
        for name, values in ratios.items():
            if values:
                met = sum(1 for v in values if v <= 1.0)
                line = (f"{name}: csp4j/Go median {statistics.median(values):.2f} "
                        f"({min(values):.2f}-{max(values):.2f}), at most 1.0 in {met} of "
                        f"{len(values)} rounds")
            else:
                line = f"{name}: no round without a slow Go sample or JMH run"
            print(line)
            summary.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
