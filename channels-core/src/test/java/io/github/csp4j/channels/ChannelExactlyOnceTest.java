package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.csp4j.channels.testing.ChannelKind;
import io.github.csp4j.channels.testing.Soak;
import io.github.csp4j.channels.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Concurrent property: whatever the numbers of senders and receivers, the capacity, the mix of
 * blocking, timed and try operations, the timeouts that expire and the interrupts that land, every
 * element a send <em>accepted</em> is received exactly once, nothing else is received, and each
 * receiver gets each sender's elements in the order they were sent.
 *
 * <p>A send accepted its element if it returned normally or returned {@code true}, even with the
 * interrupt status set (it completed concurrently with the interrupt); one that threw
 * {@link InterruptedException}, timed out or returned {@code false} did not, and the sender then
 * retries the element or moves on to the next, as generated. Interrupts come from separate threads
 * that wait until their target has started a generated number of operations, and optionally until
 * it is parked. Usually the channel is closed once all senders are done and the receivers drain
 * it; in some runs it is closed, or failed, while the senders are still sending, after a generated
 * number of send attempts. A send that throws {@link ChannelClosedException} did not accept its
 * element, and that sender stops. After {@code close()} the property is unchanged; after
 * {@code fail(cause)} buffered elements may be discarded, so what is received must be accepted
 * elements, each at most once, and every exception must carry {@code cause}. In some runs a
 * thread watches the channel meanwhile, as a monitor would: it polls {@code isClosedForSend},
 * {@code isClosedForReceive} (which steps R over dead cells, racing the receivers) and
 * {@code toString}, and checks that a closed channel stays closed. Every thread is virtual; a run
 * that does not end in time fails with a dump of its threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelExactlyOnceTest {
    /** Examples per run of the property; raise it with {@code -Dcsp4j.exactlyonce.examples=N} to hunt. */
    private static final int EXAMPLES = Integer.getInteger("csp4j.exactlyonce.examples", 1000);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final AtomicLong RUNS = new AtomicLong();
    private static final AtomicLong ACCEPTED = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong SEND_INTERRUPTED = new AtomicLong();
    private static final AtomicLong SEND_CLOSED = new AtomicLong();
    private static final AtomicLong RECEIVE_INTERRUPTED = new AtomicLong();
    private static final AtomicLong RECEIVE_EMPTY = new AtomicLong();
    private static final AtomicLong COMPLETED_WHILE_INTERRUPTED = new AtomicLong();
    private static final AtomicLong INTERRUPTS_DROPPED = new AtomicLong();
    /** Observer polls whose toString named a waiting thread: the side check is not vacuous. */
    private static final AtomicLong POLLS_NAMING_WAITERS = new AtomicLong();
    /** Observer polls whose toString showed a channel closing: the state checks are not vacuous. */
    private static final AtomicLong POLLS_SHOWING_CLOSING = new AtomicLong();

    /** Set by a run that hung, whose threads may still be blocked; later runs then pass at once. */
    private volatile AssertionError hang;

    /* ---- the property ---- */

    @Test
    void sendAndReceive_generatedThreadsTimeoutsInterruptsAndClosing_deliverEveryAcceptedElementOnceInOrder() {
        qt().withExamples(EXAMPLES).forAll(scenarios()).checkAssert(this::checkUnlessHung);
    }

    /** The soak: this property with fresh seeds for minutes (./mvnw verify -Psoak). */
    @Test
    @Tag("soak")
    @Timeout(value = 7200, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void soak_property_manyBatchesOfFreshSeeds() throws Exception {
        Soak.repeat("channels exactly-once", seed -> qt().withFixedSeed(seed).withExamples(200)
                .forAll(scenarios()).checkAssert(this::checkUnlessHung));
    }

    /* ---- plain cases of the property ---- */

    @ForEachChannelKind
    void sendAndReceive_oneSenderOneReceiverBlocking_deliverAllInOrder(ChannelKind kind) {
        List<SendAttempt> plan = attempts(200, i -> new SendAttempt(SendMode.BLOCKING, 0, 0));
        Outcome outcome = check(new Scenario(kind.capacity(), List.of(plan),
                List.of(List.of(new ReceiveStep(ReceiveMode.BLOCKING, 0))), List.of(), Ending.AFTER_SENDERS));
        assertEquals(200, outcome.accepted().size());
    }

    @ForEachChannelKind
    void sendAndReceive_interruptedWhileBlocked_acceptedElementsArriveOnce(ChannelKind kind) {
        // Senders interrupted early and while parked; receivers interrupted while they wait.
        List<SendAttempt> plan = attempts(50,
                i -> new SendAttempt(i % 2 == 0 ? SendMode.BLOCKING : SendMode.TIMED, 200_000, i % 3));
        check(new Scenario(kind.capacity(), List.of(plan, plan, plan),
                List.of(List.of(new ReceiveStep(ReceiveMode.BLOCKING, 0)),
                        List.of(new ReceiveStep(ReceiveMode.OR_CLOSED, 0), new ReceiveStep(ReceiveMode.TIMED, 50_000))),
                List.of(new InterruptPlan(true, 0, 1, false), new InterruptPlan(true, 1, 10, true),
                        new InterruptPlan(false, 0, 0, true), new InterruptPlan(false, 1, 3, true),
                        new InterruptPlan(false, 0, 20, false), new InterruptPlan(true, 2, 30, true)),
                Ending.AFTER_SENDERS));
    }

    @ForEachChannelKind
    void sendAndReceive_closedWhileSending_acceptedElementsStillArriveOnce(ChannelKind kind) {
        checkClosedWhileSending(kind, new ReceiveStep(ReceiveMode.TIMED, 1_000), false);
    }

    @ForEachChannelKind
    void sendAndReceive_closedWhileSendingAndWatched_acceptedElementsStillArriveOnce(ChannelKind kind) {
        // A thread polls isClosedForReceive while the receivers drain what the senders on their
        // way at the close leave (see observe).
        checkClosedWhileSending(kind, new ReceiveStep(ReceiveMode.TRY, 0), true);
    }

    /** Four blocking senders of 100 elements, closed after 50 sends; a blocking receiver and another. */
    private static void checkClosedWhileSending(ChannelKind kind, ReceiveStep other, boolean observed) {
        List<SendAttempt> plan = attempts(100, i -> new SendAttempt(SendMode.BLOCKING, 0, 0));
        check(new Scenario(kind.capacity(), List.of(plan, plan, plan, plan),
                List.of(List.of(new ReceiveStep(ReceiveMode.BLOCKING, 0)), List.of(other)),
                List.of(), new Ending(EndKind.CLOSE, 50), observed));
    }

    @ForEachChannelKind
    void sendAndReceive_failedWhileSending_receiveOnlyAcceptedElementsAtMostOnce(ChannelKind kind) {
        List<SendAttempt> plan = attempts(100, i -> new SendAttempt(SendMode.BLOCKING, 0, 0));
        check(new Scenario(kind.capacity(), List.of(plan, plan, plan, plan),
                List.of(List.of(new ReceiveStep(ReceiveMode.BLOCKING, 0)),
                        List.of(new ReceiveStep(ReceiveMode.OR_CLOSED, 0))),
                List.of(), new Ending(EndKind.FAIL, 50)));
    }

    @AfterAll
    static void printCoverage() {
        System.out.printf(
                "%d runs: %d sends accepted, %d refused (timed out or tried), %d found the channel closed;"
                        + " interrupted: %d sends, %d receives; %d operations completed with the interrupt status set;"
                        + " %d receives found nothing; %d interrupts dropped after a failed try;"
                        + " %d observer polls named waiting threads, %d showed the channel closing%n",
                RUNS.get(), ACCEPTED.get(), REFUSED.get(), SEND_CLOSED.get(), SEND_INTERRUPTED.get(),
                RECEIVE_INTERRUPTED.get(), COMPLETED_WHILE_INTERRUPTED.get(), RECEIVE_EMPTY.get(),
                INTERRUPTS_DROPPED.get(), POLLS_NAMING_WAITERS.get(), POLLS_SHOWING_CLOSING.get());
    }

    private static List<SendAttempt> attempts(int count, IntFunction<SendAttempt> attempt) {
        List<SendAttempt> plan = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plan.add(attempt.apply(i));
        }
        return plan;
    }

    /* ---- scenarios ---- */

    enum SendMode { BLOCKING, TIMED, TRY }

    enum ReceiveMode { BLOCKING, TIMED, TRY, OR_CLOSED }

    /**
     * How a sender sends one element: the operation, its timeout if timed, and how many times it
     * tries again if the element is not accepted before moving on to the next one.
     */
    record SendAttempt(SendMode mode, long timeoutNanos, int retries) {
        @Override
        public String toString() {
            String timeout = mode == SendMode.TIMED ? "(" + timeoutNanos + "ns)" : "";
            return mode + timeout + (retries > 0 ? "x" + (retries + 1) : "");
        }
    }

    /** One receive operation of a receiver, which cycles through its steps until the channel closes. */
    record ReceiveStep(ReceiveMode mode, long timeoutNanos) {
        @Override
        public String toString() {
            return mode + (mode == ReceiveMode.TIMED ? "(" + timeoutNanos + "ns)" : "");
        }
    }

    /**
     * An interrupt of sender or receiver {@code thread} (modulo their number), sent once it has
     * started {@code afterOps} operations, so it lands in or around the next one; if
     * {@code whenParked}, only once the thread is also parked, which is most often inside a
     * blocking operation (the interrupt is dropped if the thread ends first).
     */
    record InterruptPlan(boolean sender, int thread, int afterOps, boolean whenParked) {}

    enum EndKind { AFTER_SENDERS, CLOSE, FAIL }

    /**
     * How the channel ends: closed once every sender is done, or closed or failed by another
     * thread once the senders together have started {@code afterAttempts} sends (or are done).
     */
    record Ending(EndKind kind, int afterAttempts) {
        static final Ending AFTER_SENDERS = new Ending(EndKind.AFTER_SENDERS, 0);

        @Override
        public String toString() {
            return kind == EndKind.AFTER_SENDERS
                    ? "close after the senders"
                    : kind + " after " + afterAttempts + " sends";
        }
    }

    /**
     * One run: the channel's capacity (0 rendezvous, {@link Integer#MAX_VALUE} unbounded), one
     * plan per sender with an attempt per element, one cycle of steps per receiver, the
     * interrupts, how the channel ends, and whether a thread watches it (see {@link #observe}).
     */
    record Scenario(int capacity, List<List<SendAttempt>> senders, List<List<ReceiveStep>> receivers,
            List<InterruptPlan> interrupts, Ending ending, boolean observed) {
        /** A run that no thread watches. */
        Scenario(int capacity, List<List<SendAttempt>> senders, List<List<ReceiveStep>> receivers,
                List<InterruptPlan> interrupts, Ending ending) {
            this(capacity, senders, receivers, interrupts, ending, false);
        }

        Channel<Element> create() {
            return switch (capacity) {
                case 0 -> Channel.rendezvous("exactly-once");
                case Integer.MAX_VALUE -> Channel.unbounded("exactly-once");
                default -> Channel.buffered("exactly-once", capacity);
            };
        }
    }

    private static Gen<Scenario> scenarios() {
        Gen<Integer> capacities = Generate.frequency(List.of(
                Pair.of(3, Generate.pick(List.of(0, 1, 2, 16, 1024, Integer.MAX_VALUE))),
                Pair.of(1, integers().between(1, 8))));
        // Log-uniform from 1 us to 2 ms, so that many expire near the moment a peer arrives.
        Gen<Long> timeouts = integers().between(0, 33).map(k -> Math.round(1_000 * Math.pow(2, k / 3.0)));
        Gen<SendAttempt> attempts = Generate.frequency(List.of(
                Pair.of(4, Generate.constant(SendMode.BLOCKING)),
                Pair.of(4, Generate.constant(SendMode.TIMED)),
                Pair.of(2, Generate.constant(SendMode.TRY))))
                .zip(timeouts, integers().between(0, 3), SendAttempt::new);
        Gen<ReceiveStep> steps = Generate.frequency(List.of(
                Pair.of(4, Generate.constant(ReceiveMode.BLOCKING)),
                Pair.of(4, Generate.constant(ReceiveMode.TIMED)),
                Pair.of(1, Generate.constant(ReceiveMode.TRY)),
                Pair.of(2, Generate.constant(ReceiveMode.OR_CLOSED))))
                .zip(timeouts, ReceiveStep::new);
        Gen<InterruptPlan> interrupts = Generate.booleans()
                .zip(integers().between(0, 5), integers().between(0, 60), Generate.booleans(), InterruptPlan::new);
        Gen<Ending> endings = Generate.frequency(List.of(
                Pair.of(4, Generate.constant(Ending.AFTER_SENDERS)),
                Pair.of(1, integers().between(0, 200).map(n -> new Ending(EndKind.CLOSE, n))),
                Pair.of(1, integers().between(0, 200).map(n -> new Ending(EndKind.FAIL, n)))));
        Gen<Boolean> observed = Generate.frequency(List.of(
                Pair.of(2, Generate.constant(false)), Pair.of(1, Generate.constant(true))));
        Gen<List<List<SendAttempt>>> senders =
                lists().of(lists().of(attempts).ofSizeBetween(0, 100)).ofSizeBetween(1, 6);
        Gen<List<List<ReceiveStep>>> receivers = lists().of(lists().of(steps).ofSizeBetween(1, 4)).ofSizeBetween(1, 6);
        return capacities.zip(senders, receivers, lists().of(interrupts).ofSizeBetween(0, 12),
                (capacity, s, r, i) -> Pair.of(Pair.of(capacity, s), Pair.of(r, i)))
                .zip(endings, observed, (p, ending, watched) ->
                        new Scenario(p._1._1, p._1._2, p._2._1, p._2._2, ending, watched));
    }

    /* ---- running a scenario ---- */

    /** An element: sender {@code sender}'s {@code seq}-th, counting every element it tried. */
    record Element(int sender, int seq) {
        @Override
        public String toString() {
            return sender + ":" + seq;
        }
    }

    /** What a run produced: the elements accepted by sends, and those each receiver got, in order. */
    record Outcome(List<Element> accepted, List<List<Element>> received) {}

    /**
     * Counts the operations a thread has started and opens the latches of the interrupts planned
     * after a number of them. Only the owning thread calls {@link #started()} and {@link #done()}.
     */
    static final class Progress {
        private final List<Map.Entry<Integer, CountDownLatch>> points = new ArrayList<>();
        private int started;

        CountDownLatch pointAfter(int ops) {
            CountDownLatch latch = new CountDownLatch(1);
            points.add(Map.entry(ops, latch));
            return latch;
        }

        void started() {
            started++;
            for (Map.Entry<Integer, CountDownLatch> point : points) {
                if (point.getKey() < started) {
                    point.getValue().countDown();
                }
            }
        }

        void done() {
            points.forEach(point -> point.getValue().countDown());
        }
    }

    private void checkUnlessHung(Scenario scenario) {
        if (hang != null) {
            return; // a hung run's threads are still blocked; report that run, not a shrunk one
        }
        try {
            check(scenario);
        } catch (HangError e) {
            hang = e;
            throw e;
        }
    }

    /** Thrown when a run does not end in time. */
    static final class HangError extends AssertionError {
        private static final long serialVersionUID = 1L;

        HangError(AssertionError cause) {
            super(cause.getMessage());
        }
    }

    /** The shared state of one run. */
    private static final class Run {
        final Scenario scenario;
        final Channel<Element> channel;
        /** The cause of the exceptions the run may see: null unless the channel is failed. */
        final Throwable cause;
        final AtomicInteger sendAttempts = new AtomicInteger();
        final CountDownLatch endPoint = new CountDownLatch(1);

        Run(Scenario scenario) {
            this.scenario = scenario;
            this.channel = scenario.create();
            this.cause = scenario.ending().kind() == EndKind.FAIL
                    ? new IllegalStateException("failed by the test")
                    : null;
            if (scenario.ending().afterAttempts() == 0) {
                endPoint.countDown();
            }
        }

        /** Called before every send attempt; opens the end point after the generated number. */
        void attempting() {
            if (sendAttempts.incrementAndGet() == scenario.ending().afterAttempts()) {
                endPoint.countDown();
            }
        }

        /** Checks an exception (or closed result) that reports the channel closed. */
        void checkClosed(Throwable reported) {
            if (reported != cause) {
                throw new AssertionError("expected cause " + cause + " but got " + reported);
            }
        }
    }

    private static Outcome check(Scenario scenario) {
        long deadline = Workers.deadlineIn(PATIENCE);
        RUNS.incrementAndGet();
        Run run = new Run(scenario);
        Channel<Element> channel = run.channel;
        Workers workers = new Workers();
        int senderCount = scenario.senders().size();
        int receiverCount = scenario.receivers().size();
        List<List<Element>> accepted = new ArrayList<>();
        List<List<Element>> received = new ArrayList<>();
        List<Progress> senderProgress = new ArrayList<>();
        List<Progress> receiverProgress = new ArrayList<>();
        for (int i = 0; i < senderCount; i++) {
            accepted.add(new ArrayList<>());
            senderProgress.add(new Progress());
        }
        for (int i = 0; i < receiverCount; i++) {
            received.add(new ArrayList<>());
            receiverProgress.add(new Progress());
        }
        // Interrupt points are registered before any thread starts; the Progress lists are then
        // used by their owners only.
        List<CountDownLatch> interruptLatches = new ArrayList<>();
        for (InterruptPlan plan : scenario.interrupts()) {
            Progress target = plan.sender()
                    ? senderProgress.get(plan.thread() % senderCount)
                    : receiverProgress.get(plan.thread() % receiverCount);
            interruptLatches.add(target.pointAfter(plan.afterOps()));
        }

        List<Thread> receivers = new ArrayList<>();
        for (int r = 0; r < receiverCount; r++) {
            int id = r;
            receivers.add(workers.start("receiver-" + r,
                    () -> receive(run, scenario.receivers().get(id), received.get(id), receiverProgress.get(id))));
        }
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < senderCount; s++) {
            int id = s;
            senders.add(workers.start("sender-" + s,
                    () -> send(run, id, scenario.senders().get(id), accepted.get(id), senderProgress.get(id))));
        }
        List<Thread> interrupters = new ArrayList<>();
        for (int i = 0; i < scenario.interrupts().size(); i++) {
            InterruptPlan plan = scenario.interrupts().get(i);
            Thread target = plan.sender()
                    ? senders.get(plan.thread() % senderCount)
                    : receivers.get(plan.thread() % receiverCount);
            CountDownLatch latch = interruptLatches.get(i);
            interrupters.add(workers.start("interrupter-" + i, () -> {
                if (!latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("interrupt point of " + target.getName() + " never reached");
                }
                if (plan.whenParked()) {
                    awaitParked(target);
                }
                target.interrupt();
            }));
        }
        List<Thread> closer = new ArrayList<>();
        if (scenario.ending().kind() != EndKind.AFTER_SENDERS) {
            closer.add(workers.start("closer", () -> {
                if (!run.endPoint.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("end point never reached");
                }
                assertTrue(run.cause == null ? channel.close() : channel.fail(run.cause), "closed by this call");
            }));
        }

        AtomicBoolean drained = new AtomicBoolean();
        List<Thread> observer = new ArrayList<>();
        if (scenario.observed()) {
            observer.add(workers.start("observer", () -> observe(channel, drained)));
        }

        try {
            join(workers, senders, deadline, () -> "the senders; " + channel);
            if (closer.isEmpty()) {
                assertTrue(channel.close(), "closed by this call");
            } else {
                run.endPoint.countDown(); // in case the senders made fewer attempts than planned
                join(workers, closer, deadline, () -> "the closer; " + channel);
            }
            join(workers, receivers, deadline, () -> "the receivers to drain the closed channel; " + channel);
        } finally {
            drained.set(true); // also after a hang, so that the observer does not poll on
        }
        join(workers, observer, deadline, () -> "the observer; " + channel);
        join(workers, interrupters, deadline, () -> "the interrupters; " + channel);
        if (!workers.failures().isEmpty()) {
            AssertionError error = new AssertionError("a worker failed: " + workers.failures());
            workers.failures().forEach(error::addSuppressed);
            throw error;
        }

        List<Element> allAccepted = accepted.stream().flatMap(List::stream).toList();
        if (run.cause == null) {
            assertExactlyOnce(allAccepted, received);
        } else {
            assertAtMostOnce(allAccepted, received);
        }
        assertSenderOrder(received);
        assertTrue(channel.isClosedForReceive(), "closed and drained: " + channel);
        assertSame(run.cause, assertThrows(ChannelClosedException.class, channel::tryReceive).getCause());
        return new Outcome(allAccepted, received);
    }

    /**
     * Watches {@code channel} until {@code done}, as a monitoring thread would: isClosedForReceive
     * steps R over dead cells and poisons an empty one whose sender is on its way, in a race with
     * the receivers taking those tickets (docs/RELIABILITY.md, "A receiver could throw
     * IllegalStateException while a closed channel drained"). A channel closed for send, or for
     * receive, stays so, and one closed for receive is closed for send. The state toString shows
     * only moves on (open, closing, closed), is closed when read after the channel was found
     * closed for receive, and once it is closed, the channel is found closed for receive. The
     * threads that toString names as waiting are this run's senders and receivers, each on its
     * own side.
     */
    private static void observe(Channel<Element> channel, AtomicBoolean done) {
        boolean closedForSend = false;
        boolean closedForReceive = false;
        int shown = 0; // the index in SHOWN_STATES of the state toString showed last
        for (long polls = 0; !done.get(); polls++) {
            // Every other poll reads toString first: read after isClosedForReceive, which settles
            // what it can, it shows a channel closing only in the moments between.
            boolean shownFirst = polls % 2 == 0;
            if (shownFirst) {
                shown = checkShown(channel.toString(), shown);
            }
            boolean forReceive = channel.isClosedForReceive();
            boolean forSend = channel.isClosedForSend(); // after: closed for receive implies this
            assertFalse(closedForSend && !forSend, () -> "open for send again: " + channel);
            assertFalse(closedForReceive && !forReceive, () -> "open for receive again: " + channel);
            assertFalse(forReceive && !forSend, () -> "closed for receive but open for send: " + channel);
            assertFalse(shown == 2 && !forReceive, () -> "shown closed, then open for receive: " + channel);
            closedForSend = forSend;
            closedForReceive = forReceive;
            if (!shownFirst) {
                String text = channel.toString();
                shown = checkShown(text, shown);
                assertFalse(forReceive && shown != 2, () -> "closed for receive, then shown: " + text);
            }
            // A monitor's pace, not an ordering: a thread that only yields between polls keeps its
            // carrier (the scheduler runs its own queue first), and starved the parties here.
            LockSupport.parkNanos(20_000);
        }
    }

    /**
     * Checks {@code text}, a channel's toString read after one that showed state {@code before}
     * (an index in SHOWN_STATES): its state is not an earlier one, and the threads it names as
     * waiting are this run's senders and receivers, each on its own side. {@return its state}
     */
    private static int checkShown(String text, int before) {
        int now = shownState(text);
        assertFalse(now < before, () -> "shown " + SHOWN_STATES.get(before) + ", then: " + text);
        if (now == 1) {
            POLLS_SHOWING_CLOSING.incrementAndGet();
        }
        assertNamedWaiting(text, "senders", "sender-");
        assertNamedWaiting(text, "receivers", "receiver-");
        if (text.contains(" waiting [")) {
            POLLS_NAMING_WAITERS.incrementAndGet();
        }
        return now;
    }

    /** The states a channel's toString shows, in the only order it may show them. */
    private static final List<String> SHOWN_STATES = List.of("open", "closing", "closed");

    /** {@return the index in SHOWN_STATES of the state that {@code text}, a toString, shows} */
    private static int shownState(String text) {
        // "Channel[name, kind, state, ..."
        int index = SHOWN_STATES.indexOf(text.split(", ", 4)[2]);
        assertTrue(index >= 0, () -> "no state in " + text);
        return index;
    }

    /** Each thread listed as waiting on {@code side} in {@code text} is named {@code prefix}N. */
    private static void assertNamedWaiting(String text, String side, String prefix) {
        for (String entry : Waiting.named(text, side)) {
            assertTrue(entry.startsWith(prefix) || Waiting.isMore(entry),
                    () -> "'" + entry + "' among the " + side + " waiting in " + text);
        }
    }

    private static void join(Workers workers, List<Thread> group, long deadline, Supplier<String> context) {
        try {
            workers.joinAll(group, deadline, context);
        } catch (AssertionError hung) {
            throw new HangError(hung);
        }
    }

    private static void send(Run run, int id, List<SendAttempt> plan, List<Element> accepted, Progress progress)
            throws InterruptedException {
        Channel<Element> channel = run.channel;
        try {
            for (int seq = 0; seq < plan.size(); seq++) {
                SendAttempt attempt = plan.get(seq);
                Element element = new Element(id, seq);
                for (int round = 0; round <= attempt.retries(); round++) {
                    progress.started();
                    run.attempting();
                    boolean sent;
                    try {
                        sent = switch (attempt.mode()) {
                            case BLOCKING -> {
                                channel.send(element);
                                yield true;
                            }
                            case TIMED -> channel.send(element, Duration.ofNanos(attempt.timeoutNanos()));
                            case TRY -> channel.trySend(element);
                        };
                    } catch (InterruptedException e) {
                        SEND_INTERRUPTED.incrementAndGet();
                        sent = false;
                    } catch (ChannelClosedException closed) {
                        if (run.scenario.ending().kind() == EndKind.AFTER_SENDERS) {
                            throw new AssertionError("closed while the senders were still sending", closed);
                        }
                        run.checkClosed(closed.getCause());
                        SEND_CLOSED.incrementAndGet();
                        return; // not accepted; every later send would throw too
                    }
                    if (sent) {
                        if (attempt.mode() != SendMode.TRY && Thread.currentThread().isInterrupted()) {
                            COMPLETED_WHILE_INTERRUPTED.incrementAndGet();
                        }
                        ACCEPTED.incrementAndGet();
                        accepted.add(element);
                        break;
                    }
                    REFUSED.incrementAndGet();
                    backOff();
                }
            }
        } finally {
            progress.done();
        }
    }

    private static void receive(Run run, List<ReceiveStep> cycle, List<Element> received, Progress progress) {
        Channel<Element> channel = run.channel;
        try {
            for (int i = 0; ; i++) {
                ReceiveStep step = cycle.get(i % cycle.size());
                progress.started();
                Element element;
                try {
                    element = switch (step.mode()) {
                        case BLOCKING -> channel.receive();
                        case TIMED -> channel.receive(Duration.ofNanos(step.timeoutNanos()));
                        case TRY -> channel.tryReceive();
                        case OR_CLOSED -> switch (channel.receiveOrClosed()) {
                            case ReceiveResult.Received<Element> r -> r.element();
                            case ReceiveResult.Closed<Element> c -> {
                                run.checkClosed(c.cause());
                                yield null;
                            }
                        };
                    };
                } catch (InterruptedException e) {
                    RECEIVE_INTERRUPTED.incrementAndGet();
                    continue;
                } catch (ChannelClosedException closed) {
                    run.checkClosed(closed.getCause());
                    return;
                }
                if (element == null) {
                    if (step.mode() == ReceiveMode.OR_CLOSED) {
                        return;
                    }
                    RECEIVE_EMPTY.incrementAndGet();
                    backOff();
                    continue;
                }
                if (step.mode() != ReceiveMode.TRY && Thread.currentThread().isInterrupted()) {
                    COMPLETED_WHILE_INTERRUPTED.incrementAndGet();
                }
                received.add(element);
            }
        } finally {
            progress.done();
        }
    }

    /**
     * Waits until {@code thread} is parked or has ended, polling its state; any park will do (the
     * interrupt's timing is the random input). Fails after {@link #PATIENCE}.
     */
    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.TERMINATED) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(thread + " neither parked nor ended within " + PATIENCE + "; state " + state);
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /**
     * Lets other threads run after a failed try or an expired short timeout, which returns
     * without parking. Not {@link Thread#yield()}: virtual threads that loop on it can hold every
     * carrier and starve threads woken by a timer (see JDK-8373118), which once stalled a run
     * here for 30 seconds. This orders nothing; it only keeps the loop from spinning. An interrupt
     * still pending here (the try methods leave it set) is dropped, since it would make every park
     * return at once; restoring it after the park would not help, because interrupting a virtual
     * thread also gives it a park permit.
     */
    private static void backOff() {
        if (Thread.interrupted()) {
            INTERRUPTS_DROPPED.incrementAndGet();
        }
        LockSupport.parkNanos(10_000);
    }

    /* ---- the properties ---- */

    /** multiset(received) == multiset(accepted): nothing lost, duplicated or made up. */
    static void assertExactlyOnce(List<Element> accepted, List<List<Element>> received) {
        Map<Element, Integer> counts = new HashMap<>();
        received.forEach(list -> list.forEach(e -> counts.merge(e, 1, Integer::sum)));
        Set<Element> acceptedSet = new HashSet<>(accepted);
        List<Element> lost = new ArrayList<>();
        for (Element e : accepted) {
            if (counts.merge(e, -1, Integer::sum) < 0) {
                lost.add(e);
            }
        }
        List<String> extra = new ArrayList<>();
        counts.forEach((e, count) -> {
            if (count > 0) {
                extra.add(e + (acceptedSet.contains(e) ? " received " + (count + 1) + " times" : " never accepted"));
            }
        });
        if (!lost.isEmpty() || !extra.isEmpty()) {
            fail("exactly once violated: lost " + lost + "; extra " + extra + "; accepted " + accepted.size()
                    + ", received " + received);
        }
    }

    /** received is a subset of accepted, each at most once: nothing duplicated or made up. */
    static void assertAtMostOnce(List<Element> accepted, List<List<Element>> received) {
        Set<Element> acceptedSet = new HashSet<>(accepted);
        Set<Element> seen = new HashSet<>();
        List<String> extra = new ArrayList<>();
        received.forEach(list -> list.forEach(e -> {
            if (!seen.add(e)) {
                extra.add(e + " received again");
            } else if (!acceptedSet.contains(e)) {
                extra.add(e + " never accepted");
            }
        }));
        if (!extra.isEmpty()) {
            fail("at most once violated: " + extra + "; received " + received);
        }
    }

    /** Each receiver gets each sender's elements in increasing sequence. */
    static void assertSenderOrder(List<List<Element>> received) {
        for (int r = 0; r < received.size(); r++) {
            Map<Integer, Integer> lastSeq = new HashMap<>();
            for (Element e : received.get(r)) {
                Integer previous = lastSeq.put(e.sender(), e.seq());
                if (previous != null && previous >= e.seq()) {
                    fail("receiver " + r + " got " + e + " after " + e.sender() + ":" + previous + ": "
                            + received.get(r));
                }
            }
        }
    }
}
