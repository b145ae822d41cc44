package io.github.csp4j.benchmarks;

import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskScope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

/**
 * Forks {@link #TASKS} trivial tasks (each adds its number to a counter and returns it) and waits
 * for all of them; the score is nanoseconds per task. The sum is checked.
 *
 * <p>The forking and joining thread is a virtual thread that the benchmark thread starts and joins
 * once per invocation, as every other party of this suite and as Go's {@code BenchmarkForkJoin10k},
 * whose benchmark function runs in a goroutine. Until 2026-12-03 it was JMH's platform thread,
 * which parks and is woken through the OS and submits every task to the scheduler from outside
 * (benchmarks/RESULTS.md, "A fork/join owner on a virtual thread").
 *
 * <p>{@code impl}: {@code csp4j} ({@code TaskScope.open()}, {@code fork}, {@code join}, then
 * every {@code Task.get()}), {@code executor} ({@code Executors.newVirtualThreadPerTaskExecutor()},
 * {@code submit}, every {@code Future.get()}, {@code close}), {@code threads}
 * ({@code Thread.ofVirtual().start} and {@code join} of each thread: no failure handling at all).
 *
 * <p>Run, from the repository root, with a JDK 21+ {@code java}:
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ForkJoinBenchmark
 * }</pre>
 */
public class ForkJoinBenchmark extends JmhDefaults {
    /** Tasks per invocation. */
    static final int TASKS = 10_000;

    private static final long EXPECTED = (long) TASKS * (TASKS - 1) / 2;

    @Param({"csp4j", "executor", "threads"})
    public String impl;

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long forkJoin() throws InterruptedException {
        LongAdder counter = new LongAdder();
        long[] sums = new long[1];
        Parties owner = new Parties();
        owner.start("owner", () -> sums[0] = switch (impl) {
            case "csp4j" -> scope(counter);
            case "executor" -> executor(counter);
            case "threads" -> threads(counter);
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        });
        owner.join();
        long sum = sums[0]; // written before the owner ended
        if (sum != EXPECTED || counter.sum() != EXPECTED) {
            throw new IllegalStateException(impl + ": sum " + sum + ", counter " + counter.sum() + ", expected " + EXPECTED);
        }
        return sum;
    }

    private static long scope(LongAdder counter) throws InterruptedException {
        List<Task<Integer>> tasks = new ArrayList<>(TASKS);
        try (TaskScope scope = TaskScope.open()) {
            for (int i = 0; i < TASKS; i++) {
                int n = i;
                tasks.add(scope.fork(() -> {
                    counter.add(n);
                    return n;
                }));
            }
            scope.join();
        }
        long sum = 0;
        for (Task<Integer> task : tasks) {
            sum += task.get();
        }
        return sum;
    }

    private static long executor(LongAdder counter) throws InterruptedException, ExecutionException {
        List<Future<Integer>> futures = new ArrayList<>(TASKS);
        long sum = 0;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < TASKS; i++) {
                int n = i;
                futures.add(executor.submit(() -> {
                    counter.add(n);
                    return n;
                }));
            }
            for (Future<Integer> future : futures) {
                sum += future.get();
            }
        }
        return sum;
    }

    private static long threads(LongAdder counter) throws InterruptedException {
        List<Thread> threads = new ArrayList<>(TASKS);
        long[] results = new long[TASKS];
        for (int i = 0; i < TASKS; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                counter.add(n);
                results[n] = n; // read after join
            }));
        }
        long sum = 0;
        for (int i = 0; i < TASKS; i++) {
            threads.get(i).join();
            sum += results[i];
        }
        return sum;
    }
}
