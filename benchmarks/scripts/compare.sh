#!/usr/bin/env bash
# Runs the Go anchors (../shared/anchors/go and benchmarks/go) and the whole JMH comparison back
# to back, then the memory figures (Footprint, Go's TestFootprint), then prints the tables for
# benchmarks/RESULTS.md and writes the scaling charts into benchmarks/charts. From the repository
# root, after ./mvnw -q -pl benchmarks -am package -DskipTests:
#
#   JAVA=/path/to/jdk-21+/bin/java benchmarks/scripts/compare.sh [JMH options]
#
# JMH options are passed on, e.g. the quick mode: -wi 1 -w 1s -i 3 -r 1s
# Environment: JAVA (a JDK 21+ java, default `java`), ANCHORS (default ../shared/anchors/go),
# GO_BENCHTIME (default 1s: 2s measured alike and took 85 s more; RESULTS.md, "The command"),
# GO_COUNT (default 3), SKIP_GO=1 to run JMH only, OUT (default benchmarks/results), GATED=1 to
# run the combinations one at a time through quiet_run.py, each started only while the machine is
# quiet and in its fast CPU-to-CPU state and repeated (three attempts at most) when that state did
# not last (run 8 of RESULTS.md), and Go's samples one at a time through go_gated.py, each between
# two probes and repeated alike (run 33; about 40 minutes rather than 14, more while the machine
# stays slow).
# Writes $OUT/<date>-go.txt, <date>-baseline.json, <date>-jmh.txt, <date>-c2c.txt (the CPU and
# what an atomic and an onSpinWait cost on it (InstructionCost), then the CPU-to-CPU round trip
# before and after JMH and, ungated, each Go directory: see CoreToCore),
# with GATED=1 <date>-go-probes.txt (every attempt of go_gated.py and its two probes) and
# <date>-footprint.txt, replacing those of an earlier run on the same day. With the default JMH
# settings the whole run took 13 min 41 s on 2 cores (the Zen 4 guest, forks pre-touching their
# heap, 92 combinations), in the quick mode (-wi 1 -w 1s -i 3 -r 1s) 9 min 5 s (the same guest,
# forks and combinations; RESULTS.md, "The command").
set -euo pipefail

java=${JAVA:-java}
if ! "$java" -XshowSettings:properties -version 2>&1 | grep -Eq 'java\.specification\.version = (2[1-9]|[3-9][0-9])'; then
    echo "compare.sh: $java is not a JDK 21+; set JAVA=/path/to/bin/java" >&2
    exit 2
fi
day=$(date +%F)
out=${OUT:-benchmarks/results}
mkdir -p "$out"

# Run a copy of the jar, so that a build running meanwhile cannot change it under JMH.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp benchmarks/target/benchmarks.jar "$work/"

# The machine's state around each part (CoreToCore: CPU-to-CPU round trip in ns, median min max),
# after the CPU it ran on (the VM behind one model name has changed between sessions), named as
# quiet_run.py names it in its own log and JSON. Go's runs are probed too: the handoffs of every
# implementation, Go's among them, moved between sessions, so a Go figure is read with the state it
# ran in (RESULTS.md, "Run 32").
cpu=$(python3 -B -c 'import sys; sys.path.insert(0, "benchmarks/scripts"); import quiet_run; print(quiet_run.cpu_identity())')
echo "cpu: $cpu" | tee "$out/$day-c2c.txt"
echo "instructions: $("$java" -cp "$work/benchmarks.jar" io.github.csp4j.benchmarks.InstructionCost)" | tee -a "$out/$day-c2c.txt"
probe() {
    echo "core-to-core $1: $("$java" -cp "$work/benchmarks.jar" io.github.csp4j.benchmarks.CoreToCore)" | tee -a "$out/$day-c2c.txt"
}

if [ "${SKIP_GO:-0}" != 1 ]; then
    cp -r "${ANCHORS:-../shared/anchors/go}" "$work/go" # the anchors directory may be read-only
    chmod -R u+w "$work/go"
    cp -r benchmarks/go "$work/go-extra"
    : > "$out/$day-go.txt"
    if [ "${GATED:-0}" = 1 ]; then
        # Gated: one sample per run of the test binary, between two probes, run again (three
        # attempts at most) when either reads slow, as quiet_run.py does for JMH (go_gated.py);
        # every attempt and its probes go into <date>-go-probes.txt.
        python3 -B benchmarks/scripts/go_gated.py --java "$java" --jar "$work/benchmarks.jar" \
            --dir "$work/go" --dir "$work/go-extra" --out "$out/$day-go.txt" --log "$out/$day-go-probes.txt" \
            --benchtime "${GO_BENCHTIME:-1s}" --count "${GO_COUNT:-3}" --max-c2c 150 --c2c-wait 120
    else
        rm -f "$out/$day-go-probes.txt" # a gated run's of the same day, which no longer describes go.txt
        for dir in "$work/go" "$work/go-extra"; do
            probe "before Go ${dir##*/}"
            (cd "$dir" && GOMAXPROCS=$(nproc) go test -run '^$' -bench . -benchtime="${GO_BENCHTIME:-1s}" -count="${GO_COUNT:-3}") \
                | tee -a "$out/$day-go.txt"
            probe "after Go ${dir##*/}"
        done
    fi
fi
probe "before JMH"
if [ "${GATED:-0}" = 1 ]; then
    python3 benchmarks/scripts/quiet_run.py --java "$java" --jar "$work/benchmarks.jar" \
        --out "$out/$day-baseline.json" --all --quiet 2 --idle 0.2 --attempts 3 --max-c2c 150 --c2c-wait 120 \
        -- "$@" | tee "$out/$day-jmh.txt"
else
    "$java" -jar "$work/benchmarks.jar" -rf json -rff "$out/$day-baseline.json" "$@" | tee "$out/$day-jmh.txt"
fi
probe "after JMH"

{
    "$java" -Djdk.attach.allowAttachSelf=true -cp "$work/benchmarks.jar" io.github.csp4j.benchmarks.Footprint 2>/dev/null
    if [ "${SKIP_GO:-0}" != 1 ]; then (cd "$work/go-extra" && go test -run TestFootprint -v); fi
} | tee "$out/$day-footprint.txt"

go_file=-
[ -f "$out/$day-go.txt" ] && go_file="$out/$day-go.txt"
mkdir -p benchmarks/charts
python3 benchmarks/scripts/results_tables.py --run "$day" "$out/$day-baseline.json" "$go_file" --charts benchmarks/charts
