#!/usr/bin/env bash
# Runs the Go anchors and the whole JMH comparison back to back, then prints the tables for
# benchmarks/RESULTS.md. From the repository root, after ./mvnw -q -pl benchmarks -am package -DskipTests:
#
#   JAVA=/path/to/jdk-21+/bin/java benchmarks/scripts/compare.sh [JMH options]
#
# JMH options are passed on, e.g. the quick mode: -wi 1 -w 1s -i 3 -r 1s
# Environment: JAVA (a JDK 21+ java, default `java`), ANCHORS (default ../shared/anchors/go),
# GO_BENCHTIME (default 2s), GO_COUNT (default 3), SKIP_GO=1 to run JMH only, OUT (default
# benchmarks/results). Writes $OUT/<date>-go.txt, <date>-baseline.json and <date>-jmh.txt,
# replacing those of an earlier run on the same day.
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

if [ "${SKIP_GO:-0}" != 1 ]; then
    cp -r "${ANCHORS:-../shared/anchors/go}" "$work/go" # the anchors directory may be read-only
    chmod -R u+w "$work/go"
    (cd "$work/go" && GOMAXPROCS=$(nproc) go test -bench . -benchtime="${GO_BENCHTIME:-2s}" -count="${GO_COUNT:-3}") \
        | tee "$out/$day-go.txt"
fi
"$java" -jar "$work/benchmarks.jar" -rf json -rff "$out/$day-baseline.json" "$@" | tee "$out/$day-jmh.txt"

go_file=-
[ -f "$out/$day-go.txt" ] && go_file="$out/$day-go.txt"
python3 benchmarks/scripts/results_tables.py --run "$day" "$out/$day-baseline.json" "$go_file"
