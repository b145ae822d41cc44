package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of one {@link ChannelKind}, checked with Lincheck against
 * {@link ChannelLincheckSpec}, the sequential model of {@link ChannelModelTest}. A subclass per
 * kind names the kind and its {@link BlockingChannelOperations} class.
 *
 * <p>Two sets of operations are checked, each with Lincheck's model checker (which explores
 * thread interleavings, parking and unparking included) and with its stress strategy (real
 * threads):
 * <ul>
 *   <li>Non-blocking, this class's own {@code @Operation}s: {@code trySend} (declared by each
 *       subclass, since on {@code buffered(1)} and {@code buffered(2)} two of them never race:
 *       see {@link #SENDING}), {@code tryReceive}, {@code close}, {@code fail} (racing each other and
 *       everything else: see "Bugs found" below), {@code isClosedForSend} and
 *       {@code isClosedForReceive}, in scenarios of 2 threads &times; 4 operations after 2
 *       initial ones and before 2 final ones. Without a waiting sender or receiver these are
 *       linearizable on every kind, rendezvous included (where {@code trySend} then never
 *       succeeds and {@code tryReceive} never receives).
 *   <li>Blocking, in {@link BlockingChannelOperations}: {@code send}, {@code receive},
 *       {@code receiveOrClosed} with {@code close}, {@code fail} and the closed flags; on buffered
 *       and unbounded channels {@code tryReceive} too, and {@code trySend} where the buffer holds
 *       every element of a scenario (16, 1024, unbounded). See there for how no scenario can wait
 *       forever, and why rendezvous gets neither try operation.
 * </ul>
 *
 * <p>Bugs found, fixed since, with these checks as their regression tests (and
 * FailInFlightReceiverTest reproducing the second deterministically):
 * <ul>
 *   <li>A {@code close} or {@code fail} that lost the race returned {@code false} before the
 *       winner had marked the channel closed, so its own thread could see the channel open.
 *       Minimal scenario on {@code buffered(1)}, model checking: thread 1 {@code close(): false},
 *       {@code tryReceive(): null}; thread 2 {@code fail(): true}.
 *   <li>A receiver that had taken the ticket of a buffered element, but not yet the element,
 *       lost it to a racing {@code fail}, while another receiver had already skipped that
 *       element. Minimal scenario on {@code buffered(1024)}, after {@code trySend(5): true}:
 *       thread 1 {@code tryReceive(): null}, {@code fail(): true}; thread 2
 *       {@code tryReceive(): failed}. With blocking operations: after {@code send(3)},
 *       {@code send(8)}, one receiver got 8 while the one holding 3's ticket threw.
 * </ul>
 *
 * <p>Budget: each check runs {@value #ITERATIONS} scenarios, each {@value
 * #MODEL_CHECKING_INVOCATIONS} times with the model checker (one interleaving each time) and
 * {@value #STRESS_INVOCATIONS} times with the stress strategy, so a class takes some seconds on a
 * 2-core machine; raise them with {@code -Dcsp4j.lincheck.iterations=N} and
 * {@code -Dcsp4j.lincheck.invocations=N} to hunt. These tests run in surefire's {@code lincheck}
 * execution, on the class path and one class at a time (see channels-core/pom.xml).
 */
// Public only because Lincheck instantiates it by reflection; its signatures name test and
// Lincheck types, which no module exports.
@SuppressWarnings("exports")
@Param(name = "element", gen = IntGen.class, conf = "1:9")
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class ChannelLincheckTest {
    static final int ITERATIONS = 10;
    static final int MODEL_CHECKING_INVOCATIONS = 500;
    static final int STRESS_INVOCATIONS = 1_000;

    private final ChannelKind kind;
    private final Class<? extends BlockingChannelOperations> blocking;
    private final Channel<Integer> channel;

    /**
     * @param kind the channel kind under test
     * @param blocking the blocking operations on the same kind
     */
    ChannelLincheckTest(ChannelKind kind, Class<? extends BlockingChannelOperations> blocking) {
        this.kind = kind;
        this.blocking = blocking;
        this.channel = kind.create();
    }

    /* ---- the non-blocking operations ---- */

    /**
     * The group that the {@code trySend} operation of {@code buffered(1)} and {@code buffered(2)}
     * is in, so that Lincheck never runs two of them concurrently (it puts them on one thread).
     *
     * <p>Deliberately so: when a sender has been admitted to the buffer (it holds a permit) but
     * has not yet put its element, a concurrent {@code trySend} finds the buffer full and returns
     * {@code false}, although the admitted send may still fail (the channel is closed before it
     * puts its element) and nothing was ever in the buffer. Documented in ADR 0002 and in the
     * {@code @implNote} of {@link SendChannel#trySend}; Kotlin's {@code trySend} has the same
     * window. Lincheck's scenario on {@code buffered(1)}, model checking:
     * <pre>
     * | Thread 1          | Thread 2           |
     * | trySend(5): false | trySend(6): failed |
     * | fail(): true      |                    |
     * </pre>
     * Thread 2 was admitted, thread 1 was refused, and thread 1's {@code fail} then failed
     * thread 2's send. With capacities larger than the senders of a scenario (16, 1024, unbounded)
     * no sender is ever refused, and their {@code trySend}s do race each other.
     */
    static final String SENDING = "sending";

    /** {@code trySend}, which each kind's subclass declares as an operation, grouped or not. */
    final Object offer(int element) {
        return LincheckOutcome.of(() -> channel.trySend(element));
    }

    @Operation
    public Object tryReceive() {
        return LincheckOutcome.of(channel::tryReceive);
    }

    @Operation
    public boolean close() {
        return channel.close();
    }

    @Operation
    public boolean fail() {
        return channel.fail(LincheckOutcome.CAUSE);
    }

    @Operation
    public boolean isClosedForSend() {
        return channel.isClosedForSend();
    }

    @Operation
    public boolean isClosedForReceive() {
        return channel.isClosedForReceive();
    }

    /* ---- the checks ---- */

    @Test
    void nonBlocking_modelChecking_linearizable() {
        nonBlocking(new ModelCheckingOptions()).check(getClass());
    }

    @Test
    void nonBlocking_stress_linearizable() {
        nonBlocking(new StressOptions()).check(getClass());
    }

    @Test
    void blocking_modelChecking_linearizable() {
        BlockingChannelOperations.configure(new ModelCheckingOptions(), kind).check(blocking);
    }

    @Test
    void blocking_stress_linearizable() {
        BlockingChannelOperations.configure(new StressOptions(), kind).check(blocking);
    }

    private <O extends Options<O, ?>> O nonBlocking(O options) {
        return budget(options)
                .threads(2)
                .actorsPerThread(4)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(ChannelLincheckSpec.of(kind));
    }

    /** {@return {@code options} with the budget of a default build, or the one asked for} */
    static <O extends Options<O, ?>> O budget(O options) {
        int invocations = options instanceof ModelCheckingOptions ? MODEL_CHECKING_INVOCATIONS : STRESS_INVOCATIONS;
        return options
                .iterations(Integer.getInteger("csp4j.lincheck.iterations", ITERATIONS))
                .invocationsPerIteration(Integer.getInteger("csp4j.lincheck.invocations", invocations));
    }

    @Override
    public String toString() {
        return kind + " " + channel;
    }

    /** {@return {@code threads} without the operations named in {@code operations}, nor empty threads} */
    static List<List<Actor>> without(List<List<Actor>> threads, Set<String> operations) {
        List<List<Actor>> result = new ArrayList<>();
        for (List<Actor> thread : threads) {
            List<Actor> kept = new ArrayList<>(thread);
            kept.removeIf(actor -> operations.contains(actor.getMethod().getName()));
            if (!kept.isEmpty()) {
                result.add(kept);
            }
        }
        return result;
    }
}
