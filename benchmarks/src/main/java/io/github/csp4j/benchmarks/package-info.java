/**
 * JMH benchmarks of csp4j's channels beside the queues and channels a user could pick instead,
 * on the workloads of the Go anchors ({@code ../shared/anchors/go/chan_test.go}) and of issue 6
 * (the ring at several sizes, concurrent pairs, select, fork/join).
 *
 * <h2>How the harness is built</h2>
 * <ul>
 *   <li>{@link io.github.csp4j.benchmarks.Impl}: the implementations measured side by side, as
 *       the {@code impl} parameter of the channel benchmarks, each behind the two blocking
 *       operations of {@link io.github.csp4j.benchmarks.Pipe} ({@code slot} in the ring only).
 *   <li>{@link io.github.csp4j.benchmarks.Workload}: a channel kind and numbers of senders and
 *       receivers, written {@code rendezvous-1P1C}, {@code buffered64-4P4C},
 *       {@code unbounded-2P1C}; a new workload is a new {@code @Param} string.
 *   <li>{@link io.github.csp4j.benchmarks.Parties}: starts the virtual threads of one invocation
 *       and joins them, failing the benchmark if one throws or if they are stuck.
 *   <li>{@link io.github.csp4j.benchmarks.ParkingMpmcQueue}: the JCTools "no channel semantics"
 *       floor.
 *   <li>{@link io.github.csp4j.benchmarks.ParkingSlot}: bare park and unpark as a pipe, the
 *       ring's reference point for a hop to a parked virtual thread.
 * </ul>
 * Every invocation moves a batch of elements ({@code @OperationsPerInvocation}), so a score is
 * nanoseconds per element or per round trip, as Go's {@code ns/op}. Every party runs on a
 * virtual thread; the JMH thread only starts and joins them. Each receiver takes a fixed share
 * of the batch, so no implementation needs a close operation, and the sum of the elements
 * received is checked, so a broken implementation fails rather than looks fast.
 *
 * <h2>Running</h2>
 * Build with {@code ./mvnw -q -pl benchmarks -am package -DskipTests}, then run with any JDK 21+
 * {@code java} (on the reference machine {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java},
 * since the default {@code java} there is 17):
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar -rf json -rff benchmarks/results/$(date +%F)-baseline.json
 * }</pre>
 * runs the whole JMH comparison (every class, 92 combinations) in about 12 min 10 s on 2 cores
 * (the Zen 4 guest, timed as part of compare.sh); add {@code -wi 1 -w 1s -i 3 -r 1s} for the
 * quick mode (7 min 21 s on the same guest, timed with the 92 combinations).
 * {@code benchmarks/scripts/compare.sh} runs it with the Go anchors and
 * {@link io.github.csp4j.benchmarks.Footprint} and prints the tables (13 min 41 s in all on one
 * 2-vCPU guest with the forks pre-touching their heap, 9 min 5 s in the quick mode there;
 * benchmarks/RESULTS.md, "The command").
 * {@link io.github.csp4j.benchmarks.SpinSweep} runs csp4j with
 * several values of {@code io.github.csp4j.spins}. Figures and machine: {@code
 * benchmarks/RESULTS.md}.
 */
package io.github.csp4j.benchmarks;
