#!/bin/bash
# Pairs and rings: wall and CPU per element/trip, csp4j beside the floors, ABQ, jox and Go.
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=/work/main/benchmarks/target/benchmarks.jar
P=io.github.csp4j.benchmarks.CpuProfiler
cd /tmp/pc
for round in 1 2; do
  echo "round $round start $(date -u +%T)"
  $J -jar $JAR PairsBenchmark -p impl=csp4j,jctools,juc,jox -p pairs=1,10,100,1000,10000 -prof $P -rf json -rff pairs-$round.json > pairs-$round.txt 2>&1
  $J -jar $JAR RingBenchmark -p impl=csp4j,slot,juc -p size=100,10000 -prof $P -rf json -rff ring-$round.json > ring-$round.txt 2>&1
  for b in Pairs1 Pairs10 Pairs100 Pairs1000 Pairs10000; do GOMAXPROCS=2 python3 /tmp/gocpu.py Benchmark$b 40000000; done >> go-$round.txt
  GOMAXPROCS=2 python3 /tmp/gocpu.py BenchmarkRing100 100000 >> go-$round.txt
  GOMAXPROCS=2 python3 /tmp/gocpu.py BenchmarkRing10000 700 >> go-$round.txt
  echo "round $round end $(date -u +%T)"
done
$J -jar $JAR UncontendedBenchmark -p impl=csp4j,jctools,juc,jox -f 2 -rf json -rff uncontended.json > uncontended.txt 2>&1
$J -cp $JAR io.github.csp4j.benchmarks.CoreToCore > c2c.txt 2>&1
$J -cp $JAR io.github.csp4j.benchmarks.InstructionCost >> c2c.txt 2>&1
echo "done $(date -u +%T)"
