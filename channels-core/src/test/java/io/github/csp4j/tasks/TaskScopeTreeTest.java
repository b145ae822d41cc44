package io.github.csp4j.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Soak;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: generated trees of scopes (fail-fast or supervising, with or without a concurrency
 * limit) whose tasks succeed, fail, block until cancelled, exchange elements over a channel with a
 * task they fork, or open a nested scope, end as the model says:
 * <ul>
 *   <li>exactly the failures that happened are reported: every exception that escaped a task body
 *       is either in its scope's {@link TaskFailedException} (cause or suppressed) with the task
 *       {@code FAILED}, or a cancellation with the task {@code CANCELLED}; and the exception holds
 *       nothing else;
 *   <li>in a supervising scope every failing task ran and is reported;
 *   <li>a task reported cancelled without an exception never started its body;
 *   <li>no task thread is alive after the root scope is closed.
 * </ul>
 * Each scope's checks run in the thread that owns it, right after its join; violations are
 * collected and reported with the seed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeTreeTest {
    /** Examples per run; raise with {@code -Dcsp4j.tasks.examples=N} to hunt. */
    private static final int EXAMPLES = Integer.getInteger("csp4j.tasks.examples", 300);

    private static final AtomicLong SCOPES = new AtomicLong();
    private static final AtomicLong TASKS = new AtomicLong();
    private static final AtomicLong FAILURES = new AtomicLong();
    private static final AtomicLong CANCELLED = new AtomicLong();

    @Test
    void scopeTrees_generated_reportExactlyTheFailuresThatHappenedAndLeaveNoThread() {
        qt().withExamples(EXAMPLES).withShrinkCycles(0)
                .forAll(integers().between(1, 8), integers().between(0, 2), longs().all())
                .checkAssert(this::run);
    }

    /** The soak: this property with fresh seeds for minutes (./mvnw verify -Psoak). */
    @Test
    @Tag("soak")
    @Timeout(value = 7200, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void soak_property_manyBatchesOfFreshSeeds() throws Exception {
        Soak.repeat("task-scope trees", seed -> qt().withFixedSeed(seed).withExamples(500).withShrinkCycles(0)
                .forAll(integers().between(1, 8), integers().between(0, 2), longs().all())
                .checkAssert(this::run));
    }

    @AfterAll
    static void summary() {
        System.out.printf("scope trees: %,d scopes, %,d tasks, %,d failures reported, %,d tasks cancelled%n",
                SCOPES.get(), TASKS.get(), FAILURES.get(), CANCELLED.get());
    }

    private void run(int width, int depth, long seed) {
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
        try {
            runScope(new SplittableRandom(seed), width, depth, violations, threads);
        } catch (TaskFailedException | InterruptedException expected) {
            // the root's outcome was checked inside runScope
        }
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                violations.add("thread alive after the root scope closed: " + thread);
            }
        }
        assertEquals(List.of(), List.copyOf(violations), "seed " + seed + ", width " + width + ", depth " + depth);
    }

    /** What one generated task does. */
    private enum Kind { SUCCEED, FAIL, BLOCK, EXCHANGE, NESTED }

    /** Bookkeeping of one task: what its body did. */
    private static final class Record {
        final Kind kind;
        volatile boolean started;
        volatile Throwable escaped;
        Task<Integer> task;

        Record(Kind kind) {
            this.kind = kind;
        }
    }

    /** Opens, fills, joins and checks one scope in the current thread. */
    private static void runScope(SplittableRandom random, int width, int depth,
            ConcurrentLinkedQueue<String> violations, ConcurrentLinkedQueue<Thread> threads)
            throws InterruptedException {
        boolean supervise = random.nextInt(3) == 0;
        TaskScope.Builder builder = TaskScope.builder().policy(supervise ? TaskScope.Policy.SUPERVISE : TaskScope.Policy.FAIL_FAST);
        boolean limited = random.nextInt(3) == 0;
        if (limited) {
            builder.maxConcurrency(1 + random.nextInt(3));
        }
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            kinds.add(Kind.values()[random.nextInt(Kind.values().length)]);
        }
        if (limited) {
            // A task holding a permit while it waits for a task queued behind it (a helper it
            // forked, a failure that would cancel it) never ends: a hazard of any limit.
            kinds.replaceAll(kind -> kind == Kind.BLOCK || kind == Kind.EXCHANGE ? Kind.SUCCEED : kind);
        }
        if (kinds.contains(Kind.BLOCK) && (supervise || !kinds.contains(Kind.FAIL))) {
            kinds.replaceAll(kind -> kind == Kind.BLOCK ? Kind.SUCCEED : kind); // nothing would cancel it
        }
        if (depth == 0) {
            kinds.replaceAll(kind -> kind == Kind.NESTED ? Kind.FAIL : kind);
        }
        List<Record> records = new ArrayList<>();
        long[] childSeeds = new long[width];
        for (int i = 0; i < width; i++) {
            childSeeds[i] = random.nextLong();
        }
        TaskFailedException reported = null;
        SCOPES.incrementAndGet();
        try (TaskScope scope = builder.open()) {
            for (int i = 0; i < width; i++) {
                Record record = new Record(kinds.get(i));
                long childSeed = childSeeds[i];
                try {
                    record.task = scope.fork("t" + i, () -> {
                        threads.add(Thread.currentThread());
                        record.started = true;
                        try {
                            return body(record.kind, scope, childSeed, width, depth, violations, threads);
                        } catch (Throwable t) {
                            record.escaped = t;
                            throw t;
                        }
                    });
                } catch (IllegalStateException refused) {
                    if (!scope.isCancelled()) {
                        throw refused;
                    }
                    break; // a task already failed and cancelled the scope: no more forks
                }
                records.add(record);
            }
            try {
                scope.join();
            } catch (TaskFailedException e) {
                reported = e;
            }
        } finally {
            TASKS.addAndGet(width);
        }
        check(records, reported, supervise, violations);
        if (reported != null) {
            throw reported;
        }
    }

    private static Integer body(Kind kind, TaskScope scope, long seed, int width, int depth,
            ConcurrentLinkedQueue<String> violations, ConcurrentLinkedQueue<Thread> threads) throws Exception {
        switch (kind) {
            case SUCCEED -> {
                Thread.yield();
                return 1;
            }
            case FAIL -> throw new IllegalStateException("generated failure");
            case BLOCK -> {
                return Channel.<Integer>rendezvous("never").receive();
            }
            case EXCHANGE -> {
                Channel<Integer> channel = Channel.rendezvous("exchange");
                scope.fork(() -> {
                    threads.add(Thread.currentThread());
                    for (int i = 0; i < 3; i++) {
                        channel.send(i);
                    }
                    return null;
                });
                return channel.receive() + channel.receive() + channel.receive();
            }
            case NESTED -> {
                runScope(new SplittableRandom(seed), 1 + (int) (Math.abs(seed) % width), depth - 1, violations, threads);
                return 1;
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static void check(List<Record> records, TaskFailedException reported, boolean supervise,
            ConcurrentLinkedQueue<String> violations) {
        Map<Throwable, Boolean> inReport = new IdentityHashMap<>();
        if (reported != null) {
            inReport.put(reported.getCause(), true);
            Arrays.stream(reported.getSuppressed()).forEach(t -> inReport.put(t, true));
            FAILURES.addAndGet(inReport.size());
        }
        Set<Throwable> escapedFailures = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Record record : records) {
            Task<Integer> task = record.task;
            Task.State state = task.state();
            if (state == Task.State.CANCELLED) {
                CANCELLED.incrementAndGet();
            }
            if (state == Task.State.CANCELLED && task.exception() == null && record.started) {
                violations.add(task + " is reported as never started, yet its body ran");
            }
            if (record.escaped != null && state == Task.State.FAILED) {
                escapedFailures.add(record.escaped);
                if (!inReport.containsKey(record.escaped)) {
                    violations.add(task + " failed with " + record.escaped + ", which join did not report");
                }
            }
            if (record.escaped != null && state == Task.State.SUCCEEDED) {
                violations.add(task + " succeeded although its body threw " + record.escaped);
            }
            if (supervise && record.kind == Kind.FAIL && state != Task.State.FAILED) {
                violations.add(task + " of a supervising scope should have failed, is " + state);
            }
        }
        for (Throwable t : inReport.keySet()) {
            if (!escapedFailures.contains(t)) {
                violations.add("join reported " + t + ", which no failed task threw");
            }
        }
        Set<String> names = new HashSet<>(reported == null ? List.of() : reported.failedTasks());
        if (reported != null && names.size() != reported.failedTasks().size()) {
            violations.add("a task is named twice in " + reported.failedTasks());
        }
    }
}
