#!/usr/bin/env python3
"""Runs JMH one parameter combination at a time, each while the rest of the machine is quiet.

On a shared machine (see ../shared/anchors/README.md) a full JMH run rarely finds ten quiet
minutes, and spinning implementations collapse under load. This script runs each combination in
its own JMH invocation (JMH forks a JVM per combination anyway), starts it only after the
machine's CPU time, as /proc/stat counts it (user, nice, system, irq, softirq; steal is logged
apart), stayed below --idle for --quiet seconds, and measures how much CPU other processes took
while it ran: the machine's busy time minus the CPU time of the JMH process tree (from wait4). A run disturbed by more than --idle is repeated, up to --attempts
times; the least disturbed one is kept. The JSON results of all combinations are merged into one
file in JMH's format, and each combination's disturbance is printed and written to <out>.log.
Linux only; Python 3 standard library only.

Machine state: before and after each run the script measures the round trip between the two
CPUs with the jar's CoreToCore (about a second). On the reference VMs (a Zen 4 and a Zen 5
guest) it is about 50 to 80 ns in their fast state and 340 to 700 ns, at times more, when the
host has moved the vCPUs apart, which slows the handoff workloads 2 to 4 times on the Zen 4
guest (benchmarks/RESULTS.md, "After run 6"; the Zen 5 guest's two states were not compared
within one session: "Run 22"). Each run starts only once the figure is at most --max-c2c (probed
every few seconds, for at most --c2c-wait seconds); a run whose figure after it is above --max-c2c is
repeated like a disturbed one (the attempt with both figures under it and the least disturbance
is kept); both figures go into the log and into the JSON ("quietRun": {"coreToCoreNs":
[before, after]}). A slow episode can start and end inside a run, so the script also adds the
jar's CoreToCoreProfiler to every JMH invocation (unless --no-iteration-probe or --max-c2c 0):
it probes after every iteration, the run counts as slow if any iteration's figure is above
--max-c2c, and the figures go into "coreToCoreNsPerIteration" (measurement iterations only).
(On the Zen 5 VM, which ran the sessions from 2026-12-02 10:03 UTC and again from 2026-12-03
22:15 UTC, the slow state lasted most of an hour, then most of a session: benchmarks/RESULTS.md,
"The ring's cold lines, on a new machine" and "Run 22".) The CPU, as
/proc/cpuinfo names it, goes into the log's first line and into the JSON ("quietRun": {"cpu"}).

Usage (from the repository root, after ./mvnw -q -pl benchmarks -am package -DskipTests):

    python3 benchmarks/scripts/quiet_run.py --java /path/to/jdk-21+/bin/java \\
        --out benchmarks/results/DATE-baseline.json \\
        --combo 'PingPongBenchmark -p impl=csp4j' --combo 'TransferBenchmark -p impl=jox -p workload=buffered16-1P1C'

    python3 benchmarks/scripts/quiet_run.py --java ... --out ... --all
        # every impl x parameter of every benchmark class (the whole comparison of RESULTS.md)

Arguments after -- are passed to every JMH invocation (e.g. -- -jvmArgsAppend -Dio.github.csp4j.spins=0).
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

IMPLS = ["csp4j", "juc", "ltq", "jox", "jctools"]
RING_IMPLS = IMPLS + ["slot"]  # the park/unpark floor stands in for a rendezvous in the ring only
WORKLOADS = ["rendezvous-1P1C", "buffered16-1P1C", "buffered1024-1P1C", "buffered64-4P4C", "rendezvous-4P4C"]
RING_SIZES = [100, 1000, 10000, 100000]
PAIRS = [1, 10, 100, 1000, 10000]
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_identity():
    """The CPU as /proc/cpuinfo names it ("AMD EPYC family 26 model 2", say), so that a results file
    says which machine it came from: the VM behind the reference machine has changed from Zen 4 to
    Zen 5 between sessions, under the same model name. "unknown" where there is no /proc/cpuinfo."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip():
                    break  # the first CPU's block is enough
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        return "unknown"
    return f"{fields.get('model name', '?')} family {fields.get('cpu family', '?')} model {fields.get('model', '?')}"


def cpu_seconds():
    """(busy, steal): CPU seconds the machine's CPUs spent running anything, and stolen by the
    hypervisor, from /proc/stat (user nice system idle iowait irq softirq steal ...)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
    return busy / TICKS, fields[7] / TICKS


def busy_seconds():
    return cpu_seconds()[0]


def wait_quiet(idle, quiet_seconds, log):
    """Blocks until the machine used less than `idle` CPUs on average for `quiet_seconds` in a row;
    at once for 0 (before, a window of 0 seconds never filled and --quiet 0 waited forever)."""
    if quiet_seconds <= 0:
        return
    start = time.time()
    window = []
    last = busy_seconds()
    while True:
        time.sleep(1)
        now = busy_seconds()
        window.append(now - last)
        last = now
        window = window[-quiet_seconds:]
        if len(window) == quiet_seconds and sum(window) / quiet_seconds < idle:
            waited = time.time() - start
            if waited > quiet_seconds + 2:
                log(f"  waited {waited:.0f} s for quiet")
            return


def core_to_core(java, jar):
    """The median CPU-to-CPU round trip in ns, from the jar's CoreToCore; None if it failed."""
    probe = subprocess.run([java, "-cp", jar, "io.github.csp4j.benchmarks.CoreToCore"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        return float(probe.stdout.split()[0]) if probe.returncode == 0 else None
    except (IndexError, ValueError):
        return None


def wait_fast(java, jar, max_c2c, limit, log):
    """Probes core_to_core until it is at most max_c2c or limit seconds passed; returns the last figure."""
    start = time.time()
    while True:
        c2c = core_to_core(java, jar)
        if max_c2c <= 0 or (c2c is not None and c2c <= max_c2c) or time.time() - start > limit:
            waited = time.time() - start
            if waited > 5:
                log(f"  waited {waited:.0f} s for core-to-core <= {max_c2c:.0f} ns (now {c2c} ns)")
            return c2c
        time.sleep(3)


PROBE = "io.github.csp4j.benchmarks.CoreToCoreProfiler"


def iteration_probes(entry):
    """The round trip CoreToCoreProfiler measured after each measurement iteration, in ns; [] if
    the run had no such probe."""
    raw = entry.get("secondaryMetrics", {}).get("c2c", {}).get("rawData", [])
    return [float(x) for fork in raw for x in fork]


def state_iterations(scores, probes, limit):
    """The iterations of a run split by machine state, {"fast": [...], "slow": [...]}: fast where
    the probe after the iteration read at most limit ns, slow where it read more; None if the
    probes do not pair one to one with the iterations (not probed after every iteration). Shared
    by ab_rounds.py --by-state and results_tables.py --state."""
    if len(probes) != len(scores):
        return None
    split = {"fast": [], "slow": []}
    for score, probe in zip(scores, probes):
        split["fast" if probe <= limit else "slow"].append(score)
    return split


def run_jmh(java, jar, combo, extra, result):
    """Runs one JMH invocation; returns (exit code, wall seconds, others' CPUs and stolen CPUs on
    average, output)."""
    command = [java, "-jar", jar] + shlex.split(combo) + extra + ["-rf", "json", "-rff", result]
    busy_before, steal_before = cpu_seconds()
    wall_before = time.time()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output_lines = []
    # Read output while it runs; wait4 below reaps it and reports the tree's CPU time.
    for line in process.stdout:
        output_lines.append(line)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.time() - wall_before
    mine = usage.ru_utime + usage.ru_stime  # the JMH host and its reaped forks
    busy_after, steal_after = cpu_seconds()
    others = max(0.0, (busy_after - busy_before) - mine) / wall
    steal = (steal_after - steal_before) / wall
    return process.returncode, wall, others, steal, "".join(output_lines)


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--java", default="java")
    parser.add_argument("--jar", default="benchmarks/target/benchmarks.jar")
    parser.add_argument("--out", required=True, help="merged JMH JSON result file")
    parser.add_argument("--combo", action="append", default=[], help="JMH arguments selecting one combination")
    parser.add_argument("--all", action="store_true", help="every impl and parameter of every benchmark class")
    parser.add_argument("--idle", type=float, default=0.10, help="CPUs others may use (default 0.10)")
    parser.add_argument("--quiet", type=int, default=8, help="seconds of quiet before each run (default 8)")
    parser.add_argument("--attempts", type=int, default=6, help="runs per combination at most (default 6)")
    parser.add_argument("--max-c2c", type=float, default=200.0,
                        help="CPU-to-CPU round trip in ns above which a run waits or is repeated (default 200; 0: never)")
    parser.add_argument("--c2c-wait", type=float, default=600.0,
                        help="seconds a run waits for the round trip to come down to --max-c2c (default 600)")
    parser.add_argument("--no-iteration-probe", action="store_true",
                        help="do not add CoreToCoreProfiler (the round trip after every JMH iteration)")
    args = parser.parse_args(argv)

    combos = list(args.combo)
    if args.all:
        combos += [f"PingPongBenchmark -p impl={i}" for i in IMPLS]
        combos += [f"TransferBenchmark -p impl={i} -p workload={w}" for w in WORKLOADS for i in IMPLS]
        combos += [f"RingBenchmark -p impl={i} -p size={n}" for n in RING_SIZES for i in RING_IMPLS]
        combos += [f"PairsBenchmark -p impl={i} -p pairs={n}" for n in PAIRS for i in IMPLS]
        combos += [f"SelectBenchmark -p impl={i}" for i in ("csp4j", "jox")]
        combos += [f"ForkJoinBenchmark -p impl={i}" for i in ("csp4j", "executor", "threads")]
        combos += [f"UncontendedBenchmark -p impl={i}" for i in ("csp4j", "juc", "jox", "jctools")]
    if not combos:
        parser.error("give --combo at least once, or --all")

    work = tempfile.mkdtemp()
    jar = os.path.join(work, "benchmarks.jar")
    shutil.copy(args.jar, jar)  # a build running meanwhile cannot change it
    log_path = args.out + ".log"
    log_file = open(log_path, "w")

    def log(text):
        print(text, flush=True)
        log_file.write(text + "\n")
        log_file.flush()

    if args.max_c2c > 0 and not args.no_iteration_probe:
        extra = extra + ["-prof", PROBE]
    cpu = cpu_identity()
    log(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} cpu={cpu} java={args.java} extra={' '.join(extra)} idle<{args.idle} CPUs")
    merged = []
    for combo in combos:
        best = None
        for attempt in range(1, args.attempts + 1):
            wait_quiet(args.idle, args.quiet, log)
            result = os.path.join(work, "result.json")
            c2c_before = wait_fast(args.java, jar, args.max_c2c, args.c2c_wait, log)
            code, wall, others, steal, output = run_jmh(args.java, jar, combo, extra, result)
            c2c_after = core_to_core(args.java, jar)
            c2c = [c2c_before, c2c_after]
            if code != 0 or not os.path.exists(result) or not json.load(open(result)):
                log(f"FAILED {combo} (exit {code}):\n{output[-3000:]}")
                break
            entries = json.load(open(result))
            # every entry: a class with several @Benchmark methods (SelectBenchmark) gives one per
            # method, and a slow iteration in any of them makes the attempt slow
            per_iteration = [x for entry in entries for x in iteration_probes(entry)]
            slow = args.max_c2c > 0 and any(c is None or c > args.max_c2c for c in c2c + per_iteration)
            # one score per entry; the error is "NaN" with fewer than 2 iterations
            scores = " / ".join(f"{float(e['primaryMetric']['score']):,.1f} ± {float(e['primaryMetric']['scoreError']):,.1f}"
                                for e in entries)
            shown = " -> ".join("?" if c is None else f"{c:.0f}" for c in c2c)
            if per_iteration:
                shown += f" (iterations {min(per_iteration):.0f}-{max(per_iteration):.0f})"
            log(f"{combo} | attempt {attempt} | {scores} ns/op | others used {others:.2f} CPUs, steal {steal:.2f}, over {wall:.0f} s | core-to-core {shown} ns{' SLOW' if slow else ''}")
            if best is None or (slow, others) < (best[3], best[0]):
                best = (others, entries, steal, slow, c2c)
            if others < args.idle and not slow:
                break
        if best is not None:
            for entry in best[1]:
                entry["quietRun"] = {"cpu": cpu, "othersCpus": round(best[0], 3), "stealCpus": round(best[2], 3),
                                     "coreToCoreNs": best[4], "coreToCoreNsPerIteration": iteration_probes(entry)}
            merged += best[1]
            with open(args.out, "w") as f:
                json.dump(merged, f, indent=2)
    log(f"# done {time.strftime('%H:%M:%S')}: {len(merged)} entries from {len(combos)} combinations in {args.out}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
