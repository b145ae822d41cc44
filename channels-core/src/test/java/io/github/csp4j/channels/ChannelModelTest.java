package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.core.stateful.Command;
import org.quicktheories.core.stateful.Sequential;
import org.quicktheories.generators.Generate;

/**
 * Stateful property: on one thread, any sequence of channel operations that cannot block gives the
 * same results on a real channel as on {@link ChannelModel}, a plain deque with a capacity and an
 * open/closed/failed status, for every {@link ChannelKind}.
 *
 * <p>The operations are {@code trySend}, {@code tryReceive}, timed send and receive with zero,
 * negative and small positive timeouts (which, alone on the channel, time out), {@code close},
 * {@code fail}, {@code isClosedForSend}, {@code isClosedForReceive}, and {@code send},
 * {@code receive} and {@code receiveOrClosed} where the model says they complete at once; each may
 * run with the interrupt status set on entry. Results are compared after every step: the returned
 * value, the exception's class, message and cause (by identity), the interrupt status on return,
 * and both closed flags. A channel's buffer cannot be inspected, so it is compared through what
 * the receives return. The checks use QuickTheories' {@link Sequential#modelCheck}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelModelTest {
    /** Examples per kind; raise it with {@code -Dcsp4j.model.examples=N} to hunt. */
    private static final int EXAMPLES = Integer.getInteger("csp4j.model.examples", 300);
    private static final int MAX_STEPS = 60;
    private static final String NAME = "model-checked";

    /* ---- the property ---- */

    @ForEachChannelKind
    void operations_randomSequence_matchSequentialModel(ChannelKind kind) {
        qt().withExamples(EXAMPLES)
                .forAll(operations(kind))
                .checkAssert(ops -> Sequential.modelCheck(
                        new State(new ChannelModel(NAME, kind.capacity()), null),
                        ops.stream().map(Step::new).toList(),
                        model -> new Probe(kind.create(NAME)),
                        Probe::observe));
    }

    /* ---- plain examples that pin down the single-thread rules the property relies on ---- */

    @Test
    void trySend_rendezvousWithoutReceiver_returnsFalse() {
        check(ChannelKind.RENDEZVOUS, new TrySend(1), new TimedSend(2, Duration.ofMillis(1)), new TryReceive());
    }

    @ForEachChannelKind
    void close_withBufferedElements_deliversThemThenCloses(ChannelKind kind) {
        check(kind, new TrySend(1), new TrySend(2), new Close(), new IsClosedForReceive(),
                new Interrupted(new TryReceive()), new ReceiveOrClosed(), new TimedReceive(Duration.ofNanos(1)),
                new TrySend(3), new Interrupted(new TimedSend(4, Duration.ZERO)), new Fail(new Error("late")));
    }

    @ForEachChannelKind
    void fail_withBufferedElements_discardsThemAndReportsCause(ChannelKind kind) {
        check(kind, new TrySend(1), new Fail(new IllegalStateException("boom")), new TryReceive(),
                new ReceiveOrClosed(), new Interrupted(new ReceiveOrClosed()), new TimedSend(2, Duration.ofNanos(-1)),
                new Close(), new IsClosedForSend());
    }

    @Test
    void model_bufferedTwo_behavesLikeABoundedDeque() throws InterruptedException {
        // A check of the model itself, against expectations written out by hand.
        ChannelModel model = new ChannelModel(NAME, 2);
        assertEquals(true, model.trySend(1));
        assertEquals(true, model.trySend(2));
        assertEquals(false, model.trySend(3));
        assertEquals(1, model.tryReceive());
        assertEquals(true, model.close());
        assertEquals(false, model.isClosedForReceive());
        assertEquals(new ReceiveResult.Received<>(2), model.receiveOrClosed());
        assertEquals(true, model.isClosedForReceive());
        assertEquals(new ReceiveResult.Closed<>(null), model.receiveOrClosed());
    }

    /** Runs {@code ops} through {@link Sequential#modelCheck}, as the property does. */
    private static void check(ChannelKind kind, Op... ops) {
        Sequential.modelCheck(
                new State(new ChannelModel(NAME, kind.capacity()), null),
                Stream.of(ops).map(Step::new).toList(),
                model -> new Probe(kind.create(NAME)),
                Probe::observe);
    }

    /* ---- generators ---- */

    /** Sequences of operations, where a blocking operation appears only if it cannot block. */
    private static Gen<List<Op>> operations(ChannelKind kind) {
        return lists().of(operation()).ofSizeBetween(0, MAX_STEPS).map(ops -> nonBlocking(kind, ops));
    }

    private static Gen<Op> operation() {
        Gen<Integer> elements = integers().between(0, 999);
        Gen<Duration> timeouts = Generate.pick(List.of(
                Duration.ZERO, Duration.ofNanos(-1), Duration.ofNanos(1), Duration.ofNanos(1_000),
                Duration.ofMillis(1)));
        Gen<Op> plain = Generate.frequency(List.of(
                Pair.of(12, elements.map(TrySend::new)),
                Pair.of(6, elements.map(Send::new)),
                Pair.of(6, elements.zip(timeouts, TimedSend::new)),
                Pair.of(12, Generate.constant(new TryReceive())),
                Pair.of(5, Generate.constant(new Receive())),
                Pair.of(6, timeouts.map(TimedReceive::new)),
                Pair.of(5, Generate.constant(new ReceiveOrClosed())),
                Pair.of(2, Generate.constant(new IsClosedForSend())),
                Pair.of(2, Generate.constant(new IsClosedForReceive())),
                Pair.of(1, Generate.constant(new Close())),
                Pair.of(1, integers().between(0, 9).map(n -> new Fail(new IllegalStateException("cause " + n))))));
        return Generate.frequency(List.of(
                Pair.of(9, plain),
                Pair.of(1, plain.map(Interrupted::new))));
    }

    /**
     * {@return {@code ops} with each blocking operation that would block replaced by its
     * non-blocking counterpart} The decision is the model's, which is followed step by step.
     */
    private static List<Op> nonBlocking(ChannelKind kind, List<Op> ops) {
        ChannelModel model = new ChannelModel(NAME, kind.capacity());
        List<Op> result = new ArrayList<>(ops.size());
        for (Op op : ops) {
            Op safe = switch (op) {
                case Send send when model.sendWouldBlock() -> new TrySend(send.element());
                case Receive receive when model.receiveWouldBlock() -> new TryReceive();
                case ReceiveOrClosed receive when model.receiveWouldBlock() -> new TryReceive();
                default -> op;
            };
            result.add(safe);
            Outcome.of(safe, model);
        }
        return result;
    }

    /* ---- operations ---- */

    /** One channel operation, applied alike to the real channel and to the model. */
    sealed interface Op {
        Object call(Channel<Integer> channel) throws Exception;
    }

    record TrySend(int element) implements Op {
        @Override
        public Object call(Channel<Integer> channel) {
            return channel.trySend(element);
        }
    }

    /** A blocking send; generated only where it cannot block. */
    record Send(int element) implements Op {
        @Override
        public Object call(Channel<Integer> channel) throws InterruptedException {
            channel.send(element);
            return "sent";
        }
    }

    record TimedSend(int element, Duration timeout) implements Op {
        @Override
        public Object call(Channel<Integer> channel) throws InterruptedException {
            return channel.send(element, timeout);
        }
    }

    record TryReceive() implements Op {
        @Override
        public Object call(Channel<Integer> channel) {
            return channel.tryReceive();
        }
    }

    /** A blocking receive; generated only where it cannot block. */
    record Receive() implements Op {
        @Override
        public Object call(Channel<Integer> channel) throws InterruptedException {
            return channel.receive();
        }
    }

    record TimedReceive(Duration timeout) implements Op {
        @Override
        public Object call(Channel<Integer> channel) throws InterruptedException {
            return channel.receive(timeout);
        }
    }

    /** A closed-aware receive; generated only where it cannot block. */
    record ReceiveOrClosed() implements Op {
        @Override
        public Object call(Channel<Integer> channel) throws InterruptedException {
            return channel.receiveOrClosed();
        }
    }

    record Close() implements Op {
        @Override
        public Object call(Channel<Integer> channel) {
            return channel.close();
        }
    }

    record Fail(Throwable cause) implements Op {
        @Override
        public Object call(Channel<Integer> channel) {
            return channel.fail(cause);
        }
    }

    record IsClosedForSend() implements Op {
        @Override
        public Object call(Channel<Integer> channel) {
            return channel.isClosedForSend();
        }
    }

    record IsClosedForReceive() implements Op {
        @Override
        public Object call(Channel<Integer> channel) {
            return channel.isClosedForReceive();
        }
    }

    /** {@code op}, called with the thread's interrupt status set. */
    record Interrupted(Op op) implements Op {
        @Override
        public Object call(Channel<Integer> channel) throws Exception {
            Thread.currentThread().interrupt();
            return op.call(channel);
        }
    }

    /**
     * What an operation did, as far as a caller can tell: the value it returned, or the class,
     * message and cause of what it threw; and whether the interrupt status was set on return.
     */
    record Outcome(Object value, Class<?> thrown, String message, Throwable cause, boolean interrupted) {
        static Outcome of(Op op, Channel<Integer> channel) {
            Object value = null;
            Throwable thrown = null;
            try {
                value = op.call(channel);
            } catch (Exception e) {
                thrown = e;
            }
            boolean interrupted = Thread.interrupted(); // also clears it for the next step
            return thrown == null
                    ? new Outcome(value, null, null, null, interrupted)
                    : new Outcome(null, thrown.getClass(), thrown.getMessage(), thrown.getCause(), interrupted);
        }
    }

    /* ---- the model-check plumbing ---- */

    /** What can be seen after a step: its outcome and the channel's two closed flags. */
    record Seen(Outcome outcome, boolean closedForSend, boolean closedForReceive) {}

    /**
     * The state {@link Sequential#modelCheck} compares after each step. The model side carries
     * the {@link ChannelModel}; the channel side has none, because a channel's contents cannot be
     * read without changing them. So two states are equal when what was {@link Seen} is.
     */
    static final class State {
        final ChannelModel model;
        final Seen seen;

        State(ChannelModel model, Seen seen) {
            this.model = model;
            this.seen = seen;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State other && Objects.equals(seen, other.seen);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(seen);
        }

        @Override
        public String toString() {
            return seen + (model != null ? " with model " + model : " from the channel");
        }
    }

    /** The system under test: a channel and the outcome of the last step run on it. */
    static final class Probe {
        final Channel<Integer> channel;
        Outcome last;

        Probe(Channel<Integer> channel) {
            this.channel = channel;
        }

        State observe() {
            return new State(null, new Seen(last, channel.isClosedForSend(), channel.isClosedForReceive()));
        }
    }

    /** One step: {@code op} on the channel, and on the model. */
    record Step(Op op) implements Command<Probe, State> {
        @Override
        public void run(Probe probe) {
            probe.last = Outcome.of(op, probe.channel);
        }

        @Override
        public State nextState(State state) {
            ChannelModel model = state.model;
            Outcome outcome = Outcome.of(op, model);
            return new State(model, new Seen(outcome, model.isClosedForSend(), model.isClosedForReceive()));
        }
    }

    /* ---- the model ---- */

    /**
     * The specification of a channel used by one thread: a deque of at most {@code capacity}
     * elements (0 for rendezvous, so with no receiver waiting nothing is ever accepted) and a
     * status. Blocking methods check the interrupt status first, as {@code BlockingQueue} does; a
     * wait that would end only by its timeout ends at once, since no other thread can change
     * anything. A blocking call that would wait forever is a bug in the generator.
     */
    static final class ChannelModel implements Channel<Integer> {
        enum Status { OPEN, CLOSED, FAILED }

        private final String name;
        private final int capacity;
        private final Deque<Integer> buffer = new ArrayDeque<>();
        private Status status = Status.OPEN;
        private Throwable cause;

        ChannelModel(String name, int capacity) {
            this.name = name;
            this.capacity = capacity;
        }

        boolean sendWouldBlock() {
            return status == Status.OPEN && buffer.size() >= capacity;
        }

        boolean receiveWouldBlock() {
            return status == Status.OPEN && buffer.isEmpty();
        }

        private ChannelClosedException closed() {
            return cause == null ? new ChannelClosedException(name) : new ChannelClosedException(name, cause);
        }

        private static void checkInterrupt() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean trySend(Integer element) {
            if (status != Status.OPEN) {
                throw closed();
            }
            if (buffer.size() >= capacity) {
                return false;
            }
            buffer.addLast(element);
            return true;
        }

        @Override
        public boolean send(Integer element, Duration timeout) throws InterruptedException {
            checkInterrupt();
            return trySend(element);
        }

        @Override
        public void send(Integer element) throws InterruptedException {
            checkInterrupt();
            if (sendWouldBlock()) {
                throw new AssertionError("send would block forever on one thread");
            }
            trySend(element);
        }

        @Override
        public Integer tryReceive() {
            if (status == Status.FAILED) {
                throw closed();
            }
            if (!buffer.isEmpty()) {
                return buffer.removeFirst();
            }
            if (status == Status.CLOSED) {
                throw closed();
            }
            return null;
        }

        @Override
        public Integer receive(Duration timeout) throws InterruptedException {
            checkInterrupt();
            return tryReceive();
        }

        @Override
        public Integer receive() throws InterruptedException {
            checkInterrupt();
            if (receiveWouldBlock()) {
                throw new AssertionError("receive would block forever on one thread");
            }
            return tryReceive();
        }

        @Override
        public ReceiveResult<Integer> receiveOrClosed() throws InterruptedException {
            checkInterrupt();
            if (receiveWouldBlock()) {
                throw new AssertionError("receiveOrClosed would block forever on one thread");
            }
            if (status == Status.FAILED || buffer.isEmpty()) {
                return new ReceiveResult.Closed<>(cause);
            }
            return new ReceiveResult.Received<>(buffer.removeFirst());
        }

        @Override
        public boolean close() {
            if (status != Status.OPEN) {
                return false;
            }
            status = Status.CLOSED;
            return true;
        }

        @Override
        public boolean fail(Throwable cause) {
            Objects.requireNonNull(cause, "cause");
            if (status != Status.OPEN) {
                return false;
            }
            status = Status.FAILED;
            this.cause = cause;
            buffer.clear();
            return true;
        }

        @Override
        public boolean isClosedForSend() {
            return status != Status.OPEN;
        }

        @Override
        public boolean isClosedForReceive() {
            return status == Status.FAILED || (status == Status.CLOSED && buffer.isEmpty());
        }

        @Override
        public Iterator<Integer> iterator() {
            throw new UnsupportedOperationException("not modelled");
        }

        @Override
        public Stream<Integer> stream() {
            throw new UnsupportedOperationException("not modelled");
        }

        @Override
        public Spliterator<Integer> spliterator() {
            throw new UnsupportedOperationException("not modelled");
        }

        @Override
        public String toString() {
            return "ChannelModel[" + status + (cause != null ? " by " + cause : "") + ", capacity=" + capacity
                    + ", buffer=" + buffer + "]";
        }
    }
}
