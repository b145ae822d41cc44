#!/usr/bin/env python3
"""Runs Go's benchmarks one sample at a time, each between two probes of the machine's state.

Go's anchors (../shared/anchors/go, benchmarks/go) ran as one `go test -bench . -count=3` per
directory, probed only before and after it (about 30 and 55 s). The machine switches between a fast
and a slow CPU-to-CPU state every few minutes, and Go's runs within one hour read 0.4 to 2.2 × one
another on some benchmarks (benchmarks/RESULTS.md, "Run 32"): a Go figure could not be tied to a
state, where every JMH iteration is (quiet_run.py's probe after each iteration). This script gives
each Go sample the same treatment. It builds each directory's test binary once (`go test -c`),
lists its benchmarks, and runs every benchmark's samples one binary run each (`-test.count 1`),
with the jar's CoreToCore probed before and after: a sample counts as fast if both probes read at
most --max-c2c ns. A slow sample is run again, up to --attempts times in all; the probe after a
fast sample serves as the next one's probe before, and a probe before that reads slow first waits
(up to --c2c-wait seconds, as quiet_run.py does) for the fast state. The kept sample is the first
fast attempt, or the last attempt if none was fast.

Writes the kept samples, in `go test`'s own format (so results_tables.py reads them as before), to
--out, and every attempt with its two probes and whether it was kept to --log. With --max-c2c 0
nothing is gated: one attempt per sample, still probed.

Usage (from the repository root, after ./mvnw -q -pl benchmarks -am package -DskipTests):

    python3 benchmarks/scripts/go_gated.py --java /path/to/jdk-21+/bin/java \\
        --jar benchmarks/target/benchmarks.jar --dir ../shared/anchors/go --dir benchmarks/go \\
        --out /tmp/go.txt --log /tmp/go-probes.txt

Go must be on the PATH; the directories may be read-only (the binaries are built in a temporary
directory). Python 3 standard library only.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import quiet_run  # beside this script: core_to_core, wait_fast, cpu_identity


def build(directory, binary):
    """Builds directory's test binary into binary (`go test -c`)."""
    subprocess.run(["go", "test", "-c", "-o", binary], cwd=directory, check=True)


def benchmarks(binary, directory):
    """The names of the binary's benchmarks, in source order."""
    listed = subprocess.run([binary, "-test.list", "^Benchmark"], cwd=directory, check=True,
                            stdout=subprocess.PIPE, text=True).stdout
    return [line.strip() for line in listed.splitlines() if line.startswith("Benchmark")]


def run_sample(binary, directory, name, benchtime, env):
    """One sample of one benchmark: (its header lines, its result line)."""
    output = subprocess.run([binary, "-test.run", "^$", "-test.bench", f"^{name}$",
                             "-test.benchtime", benchtime, "-test.count", "1"],
                            cwd=directory, check=True, stdout=subprocess.PIPE, text=True,
                            env=env).stdout
    lines = output.splitlines()
    results = [line for line in lines if line.startswith(name + "-") or line.startswith(name + "\t")]
    if len(results) != 1:
        raise RuntimeError(f"go_gated.py: no single result line for {name} in:\n{output}")
    header = [line for line in lines if line.split(":")[0] in ("goos", "goarch", "pkg", "cpu")]
    return header, results[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--java", required=True, help="a JDK 21+ java, to run CoreToCore")
    parser.add_argument("--jar", required=True, help="benchmarks.jar (CoreToCore)")
    parser.add_argument("--dir", action="append", required=True, help="a Go package of benchmarks")
    parser.add_argument("--out", required=True, help="the kept samples, in go test's format")
    parser.add_argument("--log", required=True, help="every attempt and its probes")
    parser.add_argument("--bench", default="",
                        help="run only the benchmarks whose name this regular expression matches")
    parser.add_argument("--benchtime", default="1s", help="go test's -benchtime (default 1s)")
    parser.add_argument("--count", type=int, default=3, help="samples per benchmark (default 3)")
    parser.add_argument("--attempts", type=int, default=3, help="attempts per sample (default 3)")
    parser.add_argument("--max-c2c", type=float, default=150,
                        help="ns; a sample is fast if both its probes read at most this (0: no gate)")
    parser.add_argument("--c2c-wait", type=float, default=120,
                        help="seconds a probe before waits for the fast state (default 120)")
    args = parser.parse_args()
    if args.count < 1 or args.attempts < 1:
        parser.error(f"--count and --attempts must be at least 1, not {args.count} and {args.attempts}")

    env = dict(os.environ, GOMAXPROCS=str(os.cpu_count()))

    def fast(c2c):
        return args.max_c2c <= 0 or (c2c is not None and c2c <= args.max_c2c)

    with open(args.out, "w") as out, open(args.log, "w") as log, \
            tempfile.TemporaryDirectory() as work:
        def note(text):
            print(text, flush=True)
            log.write(text + "\n")
            log.flush()

        note(f"cpu: {quiet_run.cpu_identity()}; gate: both probes <= {args.max_c2c:.0f} ns, "
             f"{args.attempts} attempts per sample")
        after = None
        for index, directory in enumerate(args.dir):
            binary = os.path.join(work, f"bench{index}")
            build(directory, binary)
            header_written = False
            for name in [n for n in benchmarks(binary, directory) if re.search(args.bench, n)]:
                for sample in range(1, args.count + 1):
                    for attempt in range(1, args.attempts + 1):
                        if fast(after) and after is not None:
                            before = after
                        else:
                            before = quiet_run.wait_fast(args.java, args.jar, args.max_c2c,
                                                         args.c2c_wait, note)
                        started = time.strftime("%H:%M:%S")
                        header, result = run_sample(binary, directory, name, args.benchtime, env)
                        after = quiet_run.core_to_core(args.java, args.jar)
                        kept = (fast(before) and fast(after)) or attempt == args.attempts
                        state = "fast" if fast(before) and fast(after) else "slow"
                        note(f"{started} {name} sample {sample} attempt {attempt}: before {before} "
                             f"after {after} ns, {state}{', kept' if kept else ''}: "
                             f"{' '.join(result.split()[1:])}")
                        if kept:
                            if not header_written:
                                out.write("\n".join(header) + "\n")
                                header_written = True
                            out.write(result + "\n")
                            out.flush()
                            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
