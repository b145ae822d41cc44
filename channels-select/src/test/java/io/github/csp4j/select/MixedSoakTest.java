package io.github.csp4j.select;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import io.github.csp4j.channels.testing.ChannelKind;
import io.github.csp4j.channels.testing.Heap;
import io.github.csp4j.channels.testing.Soak;
import io.github.csp4j.channels.testing.Waiting;
import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskFailedException;
import io.github.csp4j.tasks.TaskScope;
import io.github.csp4j.tasks.TaskScopeTimeoutException;
import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mixed soak: rounds of everything at once, for minutes ({@code ./mvnw verify -Psoak}, length
 * {@code -Dcsp4j.soak.minutes=N}, or {@code -Dcsp4j.soak.seconds=N} for a short try; replay with
 * {@code -Dcsp4j.soak.seed=S}). Not in the default run.
 *
 * <p>Each round opens a fail-fast {@link TaskScope} with a random deadline (short, so that it
 * fires mid-round, in about a third of the rounds; otherwise long enough that it firing is a
 * stall) and forks into it, on channels of random kinds:
 * <ul>
 *   <li>plain senders, each to one channel, with {@code send}, {@code send(e, timeout)} and
 *       {@code trySend}; selecting senders offering each element to several channels at once with
 *       {@code onSend}, some with an {@code onTimeout};
 *   <li>plain receivers (at least one per channel) with {@code receive}, {@code receive(timeout)},
 *       {@code tryReceive} and {@code receiveOrClosed}; selecting receivers over several channels
 *       with {@code onReceive} and {@code onReceiveOrClosed} clauses, some with an
 *       {@code onTimeout}, through {@code select}, {@code selectInOrder} or a {@link Selector};
 *   <li>an interrupt storm that interrupts random workers while they run, and watches for stalls;
 *   <li>a chaos task that closes and fails random channels at random points, and until the
 *       workers end reads the channels' {@code toString}, whose waiting threads must be the
 *       round's own senders and receivers, each on its side, and the scope's, whose tasks shown
 *       waiting must wait on the round's channels, plain ones on a channel and selecting ones in
 *       a select, each on its side;
 *   <li>random task failures: a worker that throws at a random operation, or a task that throws
 *       after a random delay.
 * </ul>
 * A channel is closed when every sender that may send to it has ended. Workers treat an
 * {@link InterruptedException} as the storm's (the operation had no effect: they retry) unless the
 * scope is cancelled, and end quietly when their channels close.
 *
 * <p>Checked after each round, from what the API promises:
 * <ul>
 *   <li><b>Outcome.</b> {@code join} throws {@link TaskFailedException} or
 *       {@link TaskScopeTimeoutException} (the latter only once the deadline passed) or returns,
 *       and the failures it reports are exactly the injected failures that were thrown, nothing
 *       else; a long deadline firing is a stall. A timeout says of each unfinished task nothing,
 *       or a wait that fits it as in the scope's {@code toString}.
 *   <li><b>Exactly once.</b> An element counts as sent when its send (or select) returned normally;
 *       an interrupted, timed-out, refused or closed-channel send had no effect. After the scope,
 *       the elements left in channels that were not failed are drained with {@code tryReceive}.
 *       No element is received twice, every element received was sent through that channel, and
 *       every element sent through a channel that was not failed was received or drained. Through
 *       a failed channel, whose {@code fail} discards its buffer, the elements sent and never
 *       received number at most its capacity (none for a rendezvous channel).
 *   <li><b>Order.</b> Each receiver (and the drain) gets each sender's elements through one channel
 *       in the order they were sent, and what was received of a sender through a channel is a
 *       prefix of what it sent there: a buffer only ever discards or leaves its latest elements.
 *   <li><b>Threads.</b> No thread a task ran on is alive after the scope closed, and no task is
 *       still running.
 * </ul>
 * Across rounds: the heap after full collections and the platform threads stay where they were
 * after warm-up. One summary line at the end; any violation fails the test with its round's seed.
 */
@Tag("soak")
class MixedSoakTest {
    /** How long the soak runs: {@code csp4j.soak.seconds} if set, else {@link Soak#LENGTH}. */
    private static final Duration LENGTH = Long.getLong("csp4j.soak.seconds") != null
            ? Duration.ofSeconds(Long.getLong("csp4j.soak.seconds")) : Soak.LENGTH;

    /** Heap growth allowed from the first reading to the last, as in {@link Soak}. */
    private static final long HEAP_BOUND = 32L << 20;

    /** A round running this long has stalled: the storm task dumps the workers and gives up. */
    private static final Duration STALL = Duration.ofSeconds(20);

    /** The "long" deadline: past {@link #STALL}, so it firing means a stall was reported. */
    private static final Duration LONG_DEADLINE = Duration.ofSeconds(30);

    private static final Duration HEAP_SAMPLE_EVERY = Duration.ofSeconds(30);

    // Totals over the rounds; the owner adds each round's figures after its scope closed.
    private long rounds;
    private long elements;
    private long discarded;
    private long selects;
    private long selectTimeouts;
    private long interrupts;
    private long interruptedOps;
    private long closes;
    private long fails;
    private long scopeTimeouts;
    private long timeoutsNamingWaits;
    private long taskFailures;
    private long pollsNamingWaiters;
    private long scopePollsNamingWaits;
    private long scopePollsNamingSelects;
    private long violationCount;
    private long violatingRounds;

    /**
     * Scope timeouts after which at least one must have said what a task waited in: 42 to 53 %
     * do (40 s runs: 172 of 408, 239 of 447), so none in this many is the check gone vacuous.
     */
    private static final long VACUITY_TIMEOUTS = 100;

    /** The rounds whose violations the failure message shows in full; later ones are counted. */
    private static final int KEPT_ROUNDS = 5;

    @Test
    void soak_mixedWorkloadsUnderInterruptStormsAndChaos_exactlyOnceInOrderNoThreadLeftHeapFlat() {
        // The whole soak gets its length plus five minutes: a timeout that scales with it.
        assertTimeoutPreemptively(LENGTH.plus(Duration.ofMinutes(5)), this::soak);
    }

    private void soak() throws InterruptedException {
        long baseSeed = Long.getLong("csp4j.soak.seed", System.nanoTime());
        System.out.printf("MixedSoak: seed %d (replay with -Dcsp4j.soak.seed=%d), length %s%n", baseSeed, baseSeed, LENGTH);
        long start = System.nanoTime();
        long round = 0;
        List<String> found = new ArrayList<>(); // the violations of the first few rounds that had any
        // Warm-up: a few rounds before the first heap and thread readings.
        while (round < 20) {
            keep(found, runRound(baseSeed, round++));
        }
        long heapFirst = Heap.usedAfterGc();
        long heapMax = heapFirst;
        int threadsBefore = Thread.getAllStackTraces().size();
        long deadline = start + LENGTH.toNanos();
        long nextSample = System.nanoTime() + HEAP_SAMPLE_EVERY.toNanos();
        while (System.nanoTime() - deadline < 0) {
            keep(found, runRound(baseSeed, round++));
            if (System.nanoTime() - nextSample > 0) {
                heapMax = Math.max(heapMax, Heap.usedAfterGc());
                nextSample = System.nanoTime() + HEAP_SAMPLE_EVERY.toNanos();
            }
        }
        long heapLast = Heap.usedAfterGc();
        heapMax = Math.max(heapMax, heapLast);
        int threadsAfter = Thread.getAllStackTraces().size();
        List<String> all = new ArrayList<>(found);
        if (heapLast - heapFirst >= HEAP_BOUND) {
            all.add("heap grew by " + (heapLast - heapFirst) + " bytes");
            violationCount++;
        }
        if (scopeTimeouts >= VACUITY_TIMEOUTS && timeoutsNamingWaits == 0) {
            all.add("none of " + scopeTimeouts + " scope timeouts said what a task waited in: the check is vacuous");
            violationCount++;
        }
        if (threadsAfter > threadsBefore) {
            all.add("platform threads " + threadsBefore + " -> " + threadsAfter);
            violationCount++;
        }
        System.out.printf("MixedSoak: rounds=%,d, elements=%,d, discarded=%,d, selects=%,d (timed out %,d), interrupts=%,d"
                        + " (interrupted ops %,d), closes=%,d, fails=%,d, scope timeouts=%,d (naming waits %,d),"
                        + " task failures=%,d,"
                        + " toString polls naming waiters=%,d (scope's naming waits %,d, selects %,d),"
                        + " violations=%d (in %d rounds), heap first/last=%,d/%,d bytes (max %,d), platform threads %d -> %d,"
                        + " seed %d%n",
                rounds, elements, discarded, selects, selectTimeouts, interrupts, interruptedOps, closes, fails,
                scopeTimeouts, timeoutsNamingWaits, taskFailures, pollsNamingWaiters, scopePollsNamingWaits,
                scopePollsNamingSelects, violationCount, violatingRounds, heapFirst, heapLast, heapMax, threadsBefore,
                threadsAfter, baseSeed);
        if (violationCount > 0) {
            fail("MixedSoak found " + violationCount + " violation(s) in " + violatingRounds + " round(s) (base seed " + baseSeed
                    + "); the first " + KEPT_ROUNDS + " such rounds:\n" + String.join("\n", all));
        }
    }

    /** Keeps the violations of the first {@link #KEPT_ROUNDS} rounds that had any. */
    private void keep(List<String> found, List<String> round) {
        if (!round.isEmpty() && ++violatingRounds <= KEPT_ROUNDS) {
            found.addAll(round);
        }
    }

    /** Runs round {@code index} and {@return its violations, each naming the round's seed}. */
    private List<String> runRound(long baseSeed, long index) throws InterruptedException {
        long seed = baseSeed + index;
        Round round = new Round(seed);
        List<String> found = round.run();
        rounds++;
        elements += round.acceptedCount;
        discarded += round.discardedCount;
        selects += round.selects.sum();
        selectTimeouts += round.selectTimeouts.sum();
        interrupts += round.interrupts.sum();
        interruptedOps += round.interruptedOps.sum();
        closes += round.closes.sum();
        fails += round.fails.sum();
        scopeTimeouts += round.timedOut ? 1 : 0;
        timeoutsNamingWaits += round.timeoutNamedWaits ? 1 : 0;
        taskFailures += round.thrown.size();
        pollsNamingWaiters += round.pollsNamingWaiters.sum();
        scopePollsNamingWaits += round.scopePollsNamingWaits.sum();
        scopePollsNamingSelects += round.scopePollsNamingSelects.sum();
        violationCount += found.size();
        if (found.isEmpty()) {
            return found;
        }
        List<String> named = new ArrayList<>();
        String header = "round " + index + " (" + round.describe() + "; replay it first with -Dcsp4j.soak.seed=" + seed + "): ";
        found.forEach(v -> named.add(header + v));
        System.out.println("MixedSoak: violation in " + named.get(0).lines().findFirst().orElse("")); // as it happens
        return named;
    }

    /* ---- one round ---- */

    /** A failure a task throws on purpose; join must report exactly these. */
    private static final class InjectedFailure extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        InjectedFailure(String task) {
            super("injected failure in " + task, null, false, false);
        }
    }

    /** A wait as a task shows it: the channel it waits on, or the clauses of its select. */
    private static final String WAIT = "waiting (?:on ([^,\\]]+)|in Selection\\[([^\\]]*)])";

    /**
     * A task the scope's toString shows waiting: its name under the scope's, then the channel it
     * waits on or the clauses of the select it waits in.
     */
    private static final Pattern SCOPE_WAIT = Pattern.compile("/([^/\\s]+) #\\d+ " + WAIT);

    /** What a scope's timeout says an unfinished task waited in, if anything, as in SCOPE_WAIT. */
    private static final Pattern TIMEOUT_WAIT = Pattern.compile(WAIT);

    /** The cause given to the channels the chaos task fails. */
    private static final class ChaosFailure extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        ChaosFailure(String channel) {
            super("chaos failed " + channel, null, false, false);
        }
    }

    /** What a selecting receiver's callback returns: an element, or its channel's closure. */
    private record Got(int channel, long element, boolean closed) {}

    /** A growable list of (channel, element) pairs, written by one thread. */
    private static final class Log {
        private long[] entries = new long[32];
        private int size;

        void add(int channel, long element) {
            if (size + 2 > entries.length) {
                entries = Arrays.copyOf(entries, entries.length * 2);
            }
            entries[size++] = channel;
            entries[size++] = element;
        }

        int count() {
            return size / 2;
        }

        int channel(int i) {
            return (int) entries[2 * i];
        }

        long element(int i) {
            return entries[2 * i + 1];
        }
    }

    private static long element(int sender, int seq) {
        return (long) sender << 32 | seq;
    }

    private static int senderOf(long element) {
        return (int) (element >>> 32);
    }

    private static int seqOf(long element) {
        return (int) element;
    }

    private final class Round {
        final long seed;
        final SplittableRandom random;
        final ChannelKind[] kinds;
        final List<Channel<Long>> channels = new ArrayList<>();
        final AtomicBoolean[] failed;
        final AtomicInteger[] sendersLeft;
        final boolean shortDeadline;
        final Duration deadline;

        final List<Worker> workers = new ArrayList<>();
        final AtomicReferenceArray<Thread> running; // per worker: its thread while its body runs
        final CountDownLatch workersLeft;
        final ConcurrentLinkedQueue<Thread> started = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<InjectedFailure> thrown = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final LongAdder acceptedSoFar = new LongAdder();
        final LongAdder selects = new LongAdder();
        final LongAdder selectTimeouts = new LongAdder();
        final LongAdder interrupts = new LongAdder();
        final LongAdder interruptedOps = new LongAdder();
        final LongAdder closes = new LongAdder();
        final LongAdder fails = new LongAdder();
        /** The chaos task's toString polls that named a waiting thread: the check is not vacuous. */
        final LongAdder pollsNamingWaiters = new LongAdder();

        /** The chaos task's reads of the scope's toString that showed a task's wait, any. */
        final LongAdder scopePollsNamingWaits = new LongAdder();

        /**
         * Those that showed a select's wait: the scope shows eight tasks, in fork order, and the
         * selecting receivers come last, so these are fewer.
         */
        final LongAdder scopePollsNamingSelects = new LongAdder();
        final int plainSenders;
        final int selectingSenders;
        final int plainReceivers;
        final int selectingReceivers;
        final boolean storm;
        final long stormPauseNanos;
        final int chaosActions;
        final boolean doomed;

        volatile TaskScope scope; // set before the first fork, which orders it before every task
        long roundStart;
        boolean timedOut;
        boolean timeoutNamedWaits; // its timeout said what some task waited in
        long acceptedCount;
        long discardedCount;

        Round(long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            int channelCount = 1 + random.nextInt(4);
            ChannelKind[] all = ChannelKind.values();
            kinds = new ChannelKind[channelCount];
            failed = new AtomicBoolean[channelCount];
            sendersLeft = new AtomicInteger[channelCount];
            for (int c = 0; c < channelCount; c++) {
                kinds[c] = all[random.nextInt(all.length)];
                String name = "ch" + c;
                channels.add(kinds[c].create(name));
                failed[c] = new AtomicBoolean();
                sendersLeft[c] = new AtomicInteger();
            }
            shortDeadline = random.nextInt(3) == 0;
            deadline = shortDeadline ? Duration.ofNanos(100_000 + random.nextInt(20_000_000)) : LONG_DEADLINE;
            int elementsPerSender = 1 + random.nextInt(switch (random.nextInt(3)) {
                case 0 -> 20;
                case 1 -> 400;
                default -> 3_000;
            });

            int senderId = 0;
            int ps = random.nextInt(5);
            int ss = random.nextInt(4);
            if (ps + ss == 0) {
                ss = 1;
            }
            plainSenders = ps;
            selectingSenders = ss;
            for (int s = 0; s < ps; s++) {
                int target = random.nextInt(channelCount);
                workers.add(new PlainSender(senderId++, List.of(target), elementsPerSender, random.split()));
            }
            for (int s = 0; s < ss; s++) {
                workers.add(new SelectingSender(senderId++, subset(channelCount), elementsPerSender, random.split()));
            }
            int pr = 0;
            for (int c = 0; c < channelCount; c++) {
                for (int r = 1 + random.nextInt(2); r > 0; r--, pr++) {
                    workers.add(new PlainReceiver(c, random.split()));
                }
            }
            plainReceivers = pr;
            selectingReceivers = random.nextInt(4);
            for (int r = 0; r < selectingReceivers; r++) {
                workers.add(new SelectingReceiver(subset(channelCount), random.split()));
            }
            for (int w = 0; w < workers.size(); w++) {
                workers.get(w).slot = w;
            }
            if (random.nextInt(6) == 0) {
                Worker victim = workers.get(random.nextInt(workers.size()));
                victim.failAt = 1 + random.nextInt(300);
            }
            running = new AtomicReferenceArray<>(workers.size());
            workersLeft = new CountDownLatch(workers.size());
            storm = random.nextInt(5) != 0;
            stormPauseNanos = 1_000 + random.nextInt(random.nextBoolean() ? 10_000 : 200_000);
            chaosActions = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(3);
            doomed = random.nextInt(10) == 0;
        }

        String describe() {
            return "channels " + Arrays.toString(kinds) + ", senders " + plainSenders + " plain + " + selectingSenders
                    + " selecting, receivers " + plainReceivers + " plain + " + selectingReceivers + " selecting, deadline "
                    + deadline + ", storm " + (storm ? stormPauseNanos + " ns pauses" : "off") + ", chaos actions "
                    + chaosActions + ", doomed task " + doomed;
        }

        /** A non-empty random subset of the channel indices, in random order. */
        List<Integer> subset(int channelCount) {
            List<Integer> all = new ArrayList<>();
            for (int c = 0; c < channelCount; c++) {
                all.add(c);
            }
            for (int i = all.size() - 1; i > 0; i--) {
                Collections.swap(all, i, random.nextInt(i + 1));
            }
            return new ArrayList<>(all.subList(0, 1 + random.nextInt(channelCount)));
        }

        List<String> run() {
            for (Worker w : workers) {
                if (w instanceof Sender s) {
                    s.targets.forEach(c -> sendersLeft[c].incrementAndGet());
                }
            }
            for (int c = 0; c < channels.size(); c++) {
                if (sendersLeft[c].get() == 0) {
                    channels.get(c).close(); // no sender: receivers would wait for ever
                }
            }
            List<Task<?>> tasks = new ArrayList<>();
            roundStart = System.nanoTime();
            Throwable outcome = null;
            try (TaskScope opened = TaskScope.builder().name("mixed-" + seed).timeout(deadline).open()) {
                scope = opened;
                SplittableRandom stormRandom = random.split();
                SplittableRandom chaosRandom = random.split();
                long delay = random.nextLong(30_000_000);
                int forked = 0;
                try {
                    tasks.add(opened.fork("storm", () -> storm(stormRandom)));
                    tasks.add(opened.fork("chaos", () -> chaos(chaosRandom)));
                    if (doomed) {
                        tasks.add(opened.fork("doomed", () -> doomed(delay)));
                    }
                    for (Worker w : workers) {
                        tasks.add(opened.fork(w.name(), w));
                        forked++;
                    }
                } catch (IllegalStateException refused) {
                    // A task failed while the owner was still forking: the cancelled scope refuses
                    // forks, as documented. The workers not forked never run.
                    if (!opened.isCancelled()) {
                        throw refused;
                    }
                    for (int w = forked; w < workers.size(); w++) {
                        workersLeft.countDown();
                    }
                }
                try {
                    opened.join();
                } catch (TaskFailedException | TaskScopeTimeoutException | InterruptedException e) {
                    outcome = e;
                }
            } catch (RuntimeException e) {
                violations.add("the scope threw " + stackTrace(e));
            }
            long elapsed = System.nanoTime() - roundStart;
            checkOutcome(outcome, elapsed);
            for (Thread thread : started) {
                if (thread.isAlive()) {
                    violations.add("thread alive after the scope closed: " + thread + " " + thread.getState());
                }
            }
            for (Task<?> task : tasks) {
                if (task.state() == Task.State.RUNNING) {
                    violations.add("task still running after the scope closed: " + task);
                }
            }
            checkDelivery();
            channels.forEach(Channel::close);
            return new ArrayList<>(violations);
        }

        private void checkOutcome(Throwable outcome, long elapsedNanos) {
            List<Throwable> reported = new ArrayList<>();
            if (outcome instanceof TaskFailedException failure) {
                reported.add(failure.getCause());
                reported.addAll(Arrays.asList(failure.getSuppressed()));
            } else if (outcome instanceof TaskScopeTimeoutException timeout) {
                timedOut = true;
                checkTimeoutWaits(timeout);
                reported.addAll(Arrays.asList(timeout.getSuppressed()));
                if (!shortDeadline) {
                    violations.add("stall: the long deadline " + deadline + " passed");
                }
                if (elapsedNanos < deadline.toNanos()) {
                    violations.add("join threw TaskScopeTimeoutException after " + elapsedNanos + " ns, before the deadline " + deadline);
                }
            } else if (outcome != null) {
                violations.add("join threw " + stackTrace(outcome)); // the owner is never interrupted
            }
            Set<Throwable> expected = Collections.newSetFromMap(new IdentityHashMap<>());
            expected.addAll(thrown);
            Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Throwable t : reported) {
                if (!expected.contains(t)) {
                    violations.add("join reported a failure that was not injected: " + stackTrace(t));
                } else if (!seen.add(t)) {
                    violations.add("join reported a failure twice: " + t);
                }
            }
            for (Throwable t : expected) {
                if (!seen.contains(t)) {
                    violations.add("an injected failure was not reported by join (" + outcome + "): " + t);
                }
            }
        }

        /** Exactly once, order, and what a failed channel may have discarded. */
        private void checkDelivery() {
            int channelCount = channels.size();
            // Per channel, per sender: the elements sent, in order (sequence numbers increase).
            List<Map<Integer, List<Integer>>> sent = new ArrayList<>();
            Map<Long, Integer> sentThrough = new HashMap<>();
            for (int c = 0; c < channelCount; c++) {
                sent.add(new TreeMap<>());
            }
            for (Worker w : workers) {
                if (w instanceof Sender s) {
                    for (int i = 0; i < s.accepted.count(); i++) {
                        int c = s.accepted.channel(i);
                        long e = s.accepted.element(i);
                        sent.get(c).computeIfAbsent(senderOf(e), k -> new ArrayList<>()).add(seqOf(e));
                        if (sentThrough.put(e, c) != null) {
                            violations.add("sender " + senderOf(e) + " recorded element " + seqOf(e) + " as sent twice");
                        }
                    }
                }
            }
            acceptedCount = sentThrough.size();
            List<Log> logs = new ArrayList<>();
            for (Worker w : workers) {
                if (w instanceof Receiver r) {
                    logs.add(r.log);
                }
            }
            Log drained = new Log();
            for (int c = 0; c < channelCount; c++) {
                if (failed[c].get()) {
                    continue; // fail() discarded its buffer; every operation throws
                }
                Channel<Long> channel = channels.get(c);
                try {
                    for (Long e = channel.tryReceive(); e != null; e = channel.tryReceive()) {
                        drained.add(c, e);
                    }
                } catch (ChannelClosedException closedAndDrained) {
                    if (closedAndDrained.getCause() != null) {
                        violations.add("draining " + channel.name() + ", which no fail() call failed: " + stackTrace(closedAndDrained));
                    }
                }
            }
            logs.add(drained);
            // Received: no duplicates, only what was sent through that channel, in order per sender.
            Map<Long, Integer> received = new HashMap<>();
            for (Log log : logs) {
                Map<Long, Integer> lastSeq = new HashMap<>();
                String who = log == drained ? "the drain" : "a receiver";
                for (int i = 0; i < log.count(); i++) {
                    int c = log.channel(i);
                    long e = log.element(i);
                    Integer through = sentThrough.get(e);
                    if (through == null) {
                        violations.add(who + " got element " + senderOf(e) + ":" + seqOf(e) + " from ch" + c + ", which no send returned for");
                    } else if (through != c) {
                        violations.add(who + " got element " + senderOf(e) + ":" + seqOf(e) + " from ch" + c + ", sent through ch" + through);
                    }
                    if (received.put(e, c) != null) {
                        violations.add(who + " got element " + senderOf(e) + ":" + seqOf(e) + " a second time");
                    }
                    long key = (long) c << 32 | senderOf(e);
                    Integer previous = lastSeq.put(key, seqOf(e));
                    if (previous != null && previous >= seqOf(e)) {
                        violations.add(who + " got sender " + senderOf(e) + "'s elements through ch" + c + " out of order: "
                                + previous + " then " + seqOf(e));
                    }
                }
            }
            // Sent and never received: none through a channel not failed; a suffix, at most the
            // capacity, through a failed one.
            for (int c = 0; c < channelCount; c++) {
                int missing = 0;
                for (Map.Entry<Integer, List<Integer>> entry : sent.get(c).entrySet()) {
                    boolean gap = false;
                    for (int seq : entry.getValue()) {
                        boolean got = received.containsKey(element(entry.getKey(), seq));
                        if (!got) {
                            missing++;
                            gap = true;
                        } else if (gap) {
                            violations.add("ch" + c + " (" + kinds[c] + (failed[c].get() ? ", failed" : "") + ") delivered sender "
                                    + entry.getKey() + "'s element " + seq + " but lost an earlier one");
                            break;
                        }
                    }
                }
                if (missing > 0 && !failed[c].get()) {
                    violations.add("ch" + c + " (" + kinds[c] + ", not failed) lost " + missing + " element(s) whose send returned");
                } else if (failed[c].get() && missing > kinds[c].capacity()) {
                    violations.add("ch" + c + " (" + kinds[c] + ", failed) discarded " + missing
                            + " element(s) whose send returned, more than its capacity");
                }
                discardedCount += failed[c].get() ? missing : 0;
            }
        }

        /* ---- the storm, the chaos, the doomed task ---- */

        private Void storm(SplittableRandom r) {
            started.add(Thread.currentThread());
            long stallAt = roundStart + STALL.toNanos();
            while (workersLeft.getCount() > 0) {
                if (storm && !scope.isCancelled()) {
                    Thread victim = running.get(r.nextInt(running.length()));
                    if (victim != null) {
                        victim.interrupt();
                        interrupts.increment();
                    }
                }
                LockSupport.parkNanos(storm ? stormPauseNanos : 1_000_000);
                Thread.interrupted(); // the scope's cancellation: keep watching while workers run
                if (scope.isCancelled() && noneRunning()) {
                    return null; // a worker forked but not started never runs once cancelled
                }
                if (System.nanoTime() - stallAt > 0) {
                    String stall = "stall: workers still running after " + STALL + " (round seed " + seed + "):\n" + dumpRunning();
                    System.out.println("MixedSoak: " + stall); // in case the scope cannot end either
                    violations.add(stall);
                    return null;
                }
            }
            return null;
        }

        private boolean noneRunning() {
            for (int i = 0; i < running.length(); i++) {
                if (running.get(i) != null) {
                    return false;
                }
            }
            return true;
        }

        private String dumpRunning() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < running.length(); i++) {
                Thread t = running.get(i);
                if (t != null) {
                    text.append("    ").append(t).append(' ').append(t.getState()).append('\n');
                    for (StackTraceElement frame : t.getStackTrace()) {
                        text.append("        at ").append(frame).append('\n');
                    }
                }
            }
            return text.toString();
        }

        private Void chaos(SplittableRandom r) throws InterruptedException {
            started.add(Thread.currentThread());
            long planned = 0;
            int polled = 0;
            for (Worker w : workers) {
                planned += w instanceof Sender s ? s.count : 0;
            }
            for (int a = 0; a < chaosActions; a++) {
                long threshold = r.nextLong(planned + 1);
                int c = r.nextInt(channels.size());
                boolean fail = r.nextInt(3) == 0;
                while (acceptedSoFar.sum() < threshold) {
                    if (workersLeft.getCount() == 0) {
                        return null;
                    }
                    if (scope.isCancelled()) {
                        throw new InterruptedException("scope cancelled");
                    }
                    LockSupport.parkNanos(20_000);
                    // Round robin, not from r, so that a seed replays the same chaos.
                    checkWaitingNames(channels.get(polled++ % channels.size()));
                    checkScopeWaits();
                }
                Channel<Long> channel = channels.get(c);
                checkWaitingNames(channel);
                if (fail) {
                    if (channel.fail(new ChaosFailure(channel.name()))) {
                        failed[c].set(true);
                        fails.increment();
                    }
                } else if (channel.close()) {
                    closes.increment();
                }
            }
            while (workersLeft.getCount() != 0 && !scope.isCancelled()) { // the rest of the round
                LockSupport.parkNanos(20_000);
                checkWaitingNames(channels.get(polled++ % channels.size()));
                checkScopeWaits();
            }
            return null;
        }

        /**
         * Reads {@code channel}'s toString while the round runs: the threads it names as waiting
         * senders are the round's senders, and as waiting receivers its receivers (task names
         * under the scope's, as {@code Worker.name()} gives them, then the thread id).
         */
        private void checkWaitingNames(Channel<Long> channel) {
            String text = channel.toString();
            boolean named = checkSide(text, "senders", ".+/(plain|selecting)-sender-\\d+ #\\d+");
            named |= checkSide(text, "receivers",
                    ".+/(plain-receiver-\\d+-ch\\d+|selecting-receiver-\\d+) #\\d+");
            if (named) {
                pollsNamingWaiters.increment();
            }
        }

        /**
         * Reads the scope's toString while the round runs: a task it shows waiting on a channel is
         * a plain worker and the channel one of the round's (a plain receiver's own), and a task
         * it shows waiting in a select is a selecting worker whose clauses are the round's
         * channels, sends for a sender and receives for a receiver.
         */
        private void checkScopeWaits() {
            String text = scope.toString();
            Matcher wait = SCOPE_WAIT.matcher(text);
            boolean named = false;
            boolean select = false;
            while (wait.find()) {
                named = true;
                select |= wait.group(3) != null;
                if (!waitFits(wait.group(1), wait.group(2), wait.group(3))) {
                    violations.add("'" + wait.group() + "' in the scope's " + text);
                }
            }
            if (named) {
                scopePollsNamingWaits.increment();
            }
            if (select) {
                scopePollsNamingSelects.increment();
            }
        }

        /**
         * {@return whether {@code task} may wait as shown: on {@code channel} (then a plain worker,
         * and a plain receiver on its own), or else in a select of {@code clauses}, sends for a
         * selecting sender and receives for a selecting receiver, all on the round's channels}
         */
        private boolean waitFits(String task, String channel, String clauses) {
            if (channel != null) {
                return isRoundChannel(channel) && (task.startsWith("plain-sender-")
                        || task.startsWith("plain-receiver-") && task.endsWith("-" + channel));
            }
            String clause = task.startsWith("selecting-sender-") ? "send to "
                    : task.startsWith("selecting-receiver-") ? "receive from " : null;
            return clause != null && Arrays.stream(clauses.split(", ")).allMatch(shown ->
                    shown.startsWith(clause) && isRoundChannel(shown.substring(clause.length())));
        }

        /**
         * Checks what a scope's timeout says each unfinished task waited in: one entry per task,
         * each empty or a wait that fits the task as in the scope's toString.
         */
        private void checkTimeoutWaits(TaskScopeTimeoutException timeout) {
            List<String> names = timeout.unfinishedTasks();
            List<String> waits = timeout.unfinishedTaskWaits();
            if (waits.size() != names.size()) {
                violations.add("a timeout gave " + waits.size() + " waits for " + names.size() + " tasks: " + timeout);
                return;
            }
            for (int i = 0; i < names.size(); i++) {
                if (waits.get(i).isEmpty()) {
                    continue;
                }
                Matcher wait = TIMEOUT_WAIT.matcher(waits.get(i));
                if (wait.matches() && waitFits(names.get(i), wait.group(1), wait.group(2))) {
                    timeoutNamedWaits = true;
                } else {
                    violations.add("'" + names.get(i) + " " + waits.get(i) + "' in a timeout: " + timeout.getMessage());
                }
            }
        }

        /** {@return whether {@code name} is the name of one of the round's channels} */
        private boolean isRoundChannel(String name) {
            return name.matches("ch\\d+") && Integer.parseInt(name.substring(2)) < channels.size();
        }

        /**
         * {@return whether {@code text} names threads waiting on {@code side}}; one whose name
         * does not match {@code pattern} is a violation.
         */
        private boolean checkSide(String text, String side, String pattern) {
            List<String> named = Waiting.named(text, side);
            for (String entry : named) {
                if (!entry.matches(pattern) && !Waiting.isMore(entry)) {
                    violations.add("'" + entry + "' among the " + side + " waiting in " + text);
                }
            }
            return !named.isEmpty();
        }

        private Void doomed(long delayNanos) {
            started.add(Thread.currentThread());
            long until = System.nanoTime() + delayNanos;
            while (System.nanoTime() - until < 0) {
                if (workersLeft.getCount() == 0 || scope.isCancelled()) {
                    return null; // the round ended first
                }
                LockSupport.parkNanos(100_000);
            }
            InjectedFailure failure = new InjectedFailure("doomed");
            thrown.add(failure);
            throw failure;
        }

        /* ---- workers ---- */

        /** A sender or receiver: a task body that counts its operations and may fail on purpose. */
        abstract class Worker implements Callable<Void> {
            final SplittableRandom r;
            int slot;
            int failAt = -1;
            int ops;

            Worker(SplittableRandom r) {
                this.r = r;
            }

            abstract String name();

            abstract void body() throws InterruptedException;

            /** Called once when the body has ended, however. */
            void ended() {}

            @Override
            public final Void call() throws InterruptedException {
                Thread me = Thread.currentThread();
                started.add(me);
                running.set(slot, me);
                try {
                    body();
                } finally {
                    running.set(slot, null);
                    workersLeft.countDown();
                    ended();
                }
                return null;
            }

            /** Before each operation: ends the task if the scope is cancelled, fails it if due. */
            final void tick() throws InterruptedException {
                if (scope.isCancelled()) {
                    throw new InterruptedException("scope cancelled"); // try operations ignore interrupts
                }
                if (++ops == failAt) {
                    InjectedFailure failure = new InjectedFailure(name());
                    thrown.add(failure);
                    throw failure;
                }
            }

            /** An operation threw InterruptedException: it had no effect. The storm's, unless cancelled. */
            final void interrupted(InterruptedException e) throws InterruptedException {
                interruptedOps.increment();
                if (scope.isCancelled()) {
                    throw e;
                }
            }

            final Duration shortWait() {
                return Duration.ofNanos(1 + r.nextInt(200_000));
            }
        }

        abstract class Sender extends Worker {
            final int id;
            final List<Integer> targets;
            final int count;
            final Log accepted = new Log();

            Sender(int id, List<Integer> targets, int count, SplittableRandom r) {
                super(r);
                this.id = id;
                this.targets = targets;
                this.count = count;
            }

            final void sent(int channel, long element) {
                accepted.add(channel, element);
                acceptedSoFar.increment();
            }

            @Override
            final void ended() {
                for (int c : initialTargets()) {
                    if (sendersLeft[c].decrementAndGet() == 0) {
                        channels.get(c).close(); // every sender that may send to it has ended
                    }
                }
            }

            abstract List<Integer> initialTargets();
        }

        final class PlainSender extends Sender {
            PlainSender(int id, List<Integer> targets, int count, SplittableRandom r) {
                super(id, targets, count, r);
            }

            @Override
            String name() {
                return "plain-sender-" + id;
            }

            @Override
            List<Integer> initialTargets() {
                return targets;
            }

            @Override
            void body() throws InterruptedException {
                int c = targets.get(0);
                Channel<Long> channel = channels.get(c);
                for (int seq = 0; seq < count; ) {
                    tick();
                    long e = element(id, seq);
                    boolean done;
                    try {
                        switch (r.nextInt(4)) {
                            case 0, 1 -> {
                                channel.send(e);
                                done = true;
                            }
                            case 2 -> done = channel.send(e, shortWait());
                            default -> {
                                done = channel.trySend(e);
                                if (!done) {
                                    Thread.yield();
                                }
                            }
                        }
                    } catch (InterruptedException ie) {
                        interrupted(ie);
                        continue;
                    } catch (ChannelClosedException closed) {
                        return; // closed or failed: the element was not sent
                    }
                    if (done) {
                        sent(c, e);
                        seq++;
                    }
                }
            }
        }

        final class SelectingSender extends Sender {
            private final List<Integer> initial;
            private final boolean withTimeout = r.nextBoolean();
            private final boolean inOrder = r.nextInt(4) == 0;

            SelectingSender(int id, List<Integer> targets, int count, SplittableRandom r) {
                super(id, new ArrayList<>(targets), count, r);
                this.initial = List.copyOf(targets);
            }

            @Override
            String name() {
                return "selecting-sender-" + id;
            }

            @Override
            List<Integer> initialTargets() {
                return initial;
            }

            @Override
            void body() throws InterruptedException {
                for (int seq = 0; seq < count && !targets.isEmpty(); ) {
                    tick();
                    long e = element(id, seq);
                    List<SelectClause<Integer>> clauses = new ArrayList<>();
                    for (int c : targets) {
                        clauses.add(Select.onSend(channels.get(c), e, () -> c));
                    }
                    if (withTimeout) {
                        clauses.add(Select.onTimeout(shortWait(), () -> -1));
                    }
                    int c;
                    try {
                        c = inOrder ? Select.selectInOrder(array(clauses)) : Select.select(array(clauses));
                    } catch (InterruptedException ie) {
                        interrupted(ie);
                        continue;
                    } catch (ChannelClosedException closed) {
                        // Not sent. The close happened-before the select saw it: the channel says so.
                        if (!targets.removeIf(t -> channels.get(t).isClosedForSend())) {
                            violations.add(name() + ": select threw " + closed + ", but none of " + targets + " is closed for send");
                            return;
                        }
                        continue; // offer it to the others
                    }
                    selects.increment();
                    if (c < 0) {
                        selectTimeouts.increment();
                    } else {
                        sent(c, e);
                        seq++;
                    }
                }
            }
        }

        abstract class Receiver extends Worker {
            final Log log = new Log();

            Receiver(SplittableRandom r) {
                super(r);
            }
        }

        final class PlainReceiver extends Receiver {
            private final int c;

            PlainReceiver(int c, SplittableRandom r) {
                super(r);
                this.c = c;
            }

            @Override
            String name() {
                return "plain-receiver-" + slot + "-ch" + c;
            }

            @Override
            void body() throws InterruptedException {
                Channel<Long> channel = channels.get(c);
                while (true) {
                    tick();
                    try {
                        switch (r.nextInt(6)) {
                            case 0, 1 -> log.add(c, channel.receive());
                            case 2 -> {
                                Long e = channel.receive(shortWait());
                                if (e != null) {
                                    log.add(c, e);
                                }
                            }
                            case 3 -> {
                                Long e = channel.tryReceive();
                                if (e != null) {
                                    log.add(c, e);
                                } else {
                                    Thread.yield();
                                }
                            }
                            default -> {
                                switch (channel.receiveOrClosed()) {
                                    case ReceiveResult.Received<Long> got -> log.add(c, got.element());
                                    case ReceiveResult.Closed<Long> closed -> {
                                        return;
                                    }
                                }
                            }
                        }
                    } catch (InterruptedException ie) {
                        interrupted(ie);
                    } catch (ChannelClosedException closed) {
                        return; // closed and drained, or failed
                    }
                }
            }
        }

        final class SelectingReceiver extends Receiver {
            private final List<Integer> sources;
            private final boolean[] orClosed;
            private final boolean withTimeout = r.nextBoolean();
            private final int mode = r.nextInt(3); // select, selectInOrder, selector

            SelectingReceiver(List<Integer> sources, SplittableRandom r) {
                super(r);
                this.sources = new ArrayList<>(sources);
                this.orClosed = new boolean[channels.size()];
                for (int c : sources) {
                    orClosed[c] = r.nextBoolean();
                }
            }

            @Override
            String name() {
                return "selecting-receiver-" + slot;
            }

            private SelectClause<Got>[] clauses() {
                List<SelectClause<Got>> clauses = new ArrayList<>();
                for (int c : sources) {
                    if (orClosed[c]) {
                        clauses.add(Select.onReceiveOrClosed(channels.get(c), result -> switch (result) {
                            case ReceiveResult.Received<Long> got -> new Got(c, got.element(), false);
                            case ReceiveResult.Closed<Long> closed -> new Got(c, -1, true);
                        }));
                    } else {
                        clauses.add(Select.onReceive(channels.get(c), e -> new Got(c, e, false)));
                    }
                }
                if (withTimeout) {
                    clauses.add(Select.onTimeout(shortWait(), () -> null));
                }
                return array(clauses);
            }

            @Override
            void body() throws InterruptedException {
                Selector<Got> selector = null;
                while (!sources.isEmpty()) {
                    tick();
                    Got got;
                    try {
                        got = switch (mode) {
                            case 0 -> Select.select(clauses());
                            case 1 -> Select.selectInOrder(clauses());
                            default -> {
                                if (selector == null) {
                                    selector = Select.selector(clauses());
                                }
                                yield selector.select();
                            }
                        };
                    } catch (InterruptedException ie) {
                        interrupted(ie);
                        continue;
                    } catch (ChannelClosedException closed) {
                        // A failed channel, or every plain receive clause closed and drained (the
                        // exception then names them all): either way closed for receive now.
                        if (!sources.removeIf(c -> channels.get(c).isClosedForReceive())) {
                            violations.add(name() + ": select threw " + closed + ", but none of " + sources + " is closed for receive");
                            return;
                        }
                        selector = null;
                        continue;
                    }
                    selects.increment();
                    if (got == null) {
                        selectTimeouts.increment();
                    } else if (got.closed()) {
                        if (!channels.get(got.channel()).isClosedForReceive()) {
                            violations.add(name() + ": onReceiveOrClosed fired Closed for ch" + got.channel()
                                    + ", which is not closed for receive");
                        }
                        sources.remove(Integer.valueOf(got.channel()));
                        selector = null;
                    } else {
                        log.add(got.channel(), got.element());
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> SelectClause<R>[] array(List<SelectClause<R>> clauses) {
        return clauses.toArray((SelectClause<R>[]) new SelectClause<?>[0]);
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter text = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
