#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=/work/main/benchmarks/target/benchmarks.jar
P="-prof io.github.csp4j.benchmarks.CpuProfiler -prof io.github.csp4j.benchmarks.CoreToCoreProfiler"
cd /tmp/pc
echo "round 3 start $(date -u +%T)"
$J -jar $JAR PairsBenchmark -p impl=csp4j,jctools,juc,jox -p pairs=1,10,100,1000,10000 $P -rf json -rff pairs-3.json > pairs-3.txt 2>&1
$J -jar $JAR RingBenchmark -p impl=csp4j,slot,juc -p size=100,10000 $P -rf json -rff ring-3.json > ring-3.txt 2>&1
for b in Pairs1 Pairs10 Pairs100 Pairs1000 Pairs10000; do GOMAXPROCS=2 python3 /tmp/gocpu.py Benchmark$b 40000000; done >> go-3.txt
GOMAXPROCS=2 python3 /tmp/gocpu.py BenchmarkRing100 100000 >> go-3.txt
GOMAXPROCS=2 python3 /tmp/gocpu.py BenchmarkRing10000 700 >> go-3.txt
$J -cp $JAR io.github.csp4j.benchmarks.CoreToCore >> c2c.txt 2>&1
echo "round 3 end $(date -u +%T)"
