#!/usr/bin/env python3
"""Runs Go's benchmarks one sample at a time, each between two probes of the machine's state.

Go's anchors (../shared/anchors/go, benchmarks/go) ran as one `go test -bench . -count=3` per
directory, probed only before and after it (about 30 and 55 s). The machine switches between a fast
and a slow CPU-to-CPU state every few minutes, and Go's runs within one hour read 0.4 to 2.2 × one
another on some benchmarks (benchmarks/RESULTS.md, "Run 32"): a Go figure could not be tied to a
state, where every JMH iteration is (quiet_run.py's probe after each iteration). This script gives
each Go sample the same treatment. It builds each directory's test binary once (`go test -c`),
lists its benchmarks, and runs every benchmark's samples one binary run each (`-test.count 1`,
so each sample in a fresh process, where `go test -count 3` ran three in one), with the jar's
CoreToCore probed before and after: an attempt counts as fast if both probes read at most
--max-c2c ns. A slow attempt is run again, up to --attempts attempts in all. The probe after an
attempt, if it read fast, serves as the next attempt's probe before (within one directory);
otherwise a fresh probe is taken, repeated every few seconds until it reads fast or --c2c-wait
seconds pass (quiet_run.wait_fast), and the attempt then runs whatever the state. The kept sample
is the first fast attempt, or the last attempt if none was fast.

Writes the kept samples to --out in `go test`'s own format (its header and result lines, without
its PASS and ok lines), so that results_tables.py reads them as before, and every attempt with its
two probes and whether it was kept to --log. With --max-c2c 0 nothing is gated: one attempt per
sample, still probed. A probe that fails (CoreToCore printing no figure) stops the script.

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


def run(command, directory, env=None):
    """Runs command in directory and returns its output (stdout and stderr); stops the script with
    that output if the command fails."""
    done = subprocess.run(command, cwd=directory, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        raise SystemExit(f"go_gated.py: {' '.join(command)} in {directory} exited with "
                         f"{done.returncode}:\n{done.stdout}")
    return done.stdout


def benchmarks(binary, directory):
    """The names of the binary's benchmarks, in source order."""
    listed = run([binary, "-test.list", "^Benchmark"], directory)
    return [line.strip() for line in listed.splitlines() if line.startswith("Benchmark")]


def run_sample(binary, directory, name, benchtime, env):
    """One sample of one benchmark: (its header lines, its result line). The result line is the
    name, a -GOMAXPROCS suffix unless that is 1, then blanks (`go test`'s format)."""
    output = run([binary, "-test.run", "^$", "-test.bench", f"^{name}$", "-test.benchtime",
                  benchtime, "-test.count", "1", "-test.timeout", "10m"], directory, env)
    lines = output.splitlines()
    result = re.compile(re.escape(name) + r"(-\d+)?\s")
    results = [line for line in lines if result.match(line)]
    if len(results) != 1:
        raise SystemExit(f"go_gated.py: no single result line for {name} in:\n{output}")
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
                        help="ns; an attempt is fast if both its probes read at most this "
                             "(default 150; 0: no gate)")
    parser.add_argument("--c2c-wait", type=float, default=120,
                        help="seconds a probe before waits for the fast state (default 120)")
    args = parser.parse_args()
    if args.count < 1 or args.attempts < 1:
        parser.error(f"--count and --attempts must be at least 1, "
                     f"not {args.count} and {args.attempts}")
    try:
        bench = re.compile(args.bench)
    except re.error as e:
        parser.error(f"--bench {args.bench!r} is not a regular expression: {e}")

    # The CPUs this process may run on, as nproc counts them for compare.sh's ungated loop.
    env = dict(os.environ, GOMAXPROCS=str(len(os.sched_getaffinity(0))))

    def probed(c2c):
        if c2c is None:
            raise SystemExit(f"go_gated.py: CoreToCore in {args.jar} printed no figure")
        return c2c

    def fast(c2c):
        return args.max_c2c <= 0 or c2c <= args.max_c2c

    with open(args.out, "w") as out, open(args.log, "w") as log, \
            tempfile.TemporaryDirectory() as work:
        def note(text):
            print(text, flush=True)
            log.write(text + "\n")
            log.flush()

        gate = (f"both probes <= {args.max_c2c:.0f} ns, {args.attempts} attempts per sample"
                if args.max_c2c > 0 else "none")
        note(f"# {time.strftime('%Y-%m-%d %H:%M:%S %Z')} cpu: {quiet_run.cpu_identity()}; "
             f"benchtime {args.benchtime}, {args.count} samples; gate: {gate}")
        for index, directory in enumerate(args.dir):
            binary = os.path.join(work, f"bench{index}")
            run(["go", "test", "-c", "-o", binary], directory)
            after = None  # a probe from before the build is no probe before the next sample
            header_written = False
            for name in [n for n in benchmarks(binary, directory) if bench.search(n)]:
                for sample in range(1, args.count + 1):
                    for attempt in range(1, args.attempts + 1):
                        if after is not None and fast(after):
                            before = after
                        else:
                            before = probed(quiet_run.wait_fast(args.java, args.jar,
                                                                args.max_c2c, args.c2c_wait, note))
                        started = time.strftime("%H:%M:%S")
                        header, result = run_sample(binary, directory, name, args.benchtime, env)
                        after = probed(quiet_run.core_to_core(args.java, args.jar))
                        in_fast = fast(before) and fast(after)
                        kept = in_fast or attempt == args.attempts
                        state = "fast" if in_fast else "slow"
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
