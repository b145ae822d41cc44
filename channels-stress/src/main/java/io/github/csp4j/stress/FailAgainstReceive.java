package io.github.csp4j.stress;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZ_Result;

/**
 * A receive of a buffered element against a {@code fail} that discards the buffer: the receiver
 * gets the element whole or the failure, never a half-taken cell (a {@code null} element, or
 * another exception). The two race for the cell with CASes from BUFFERED (to DONE, to DISCARDED),
 * and a fail leaves the cells of receivers that took their ticket before it read R (CellChannel,
 * "Closing"). r1: 1 the element, 0 the failure, -1 a {@code null} (a received {@code null}
 * element, or a tryReceive that returned null, reporting neither the element nor the failure), -2 any
 * other outcome.
 */
public class FailAgainstReceive {

    static final int ELEMENT = 1;
    static final int FAILURE = 0;
    static final int NULL = -1;
    static final int OTHER = -2;

    /** A blocking receive (closed-aware) against fail(). */
    @JCStressTest
    @Outcome(id = {"1, true", "0, true"}, expect = Expect.ACCEPTABLE, desc = "The element (the discard did not take it), or the failure.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "A half-taken cell, or a fail that lost.")
    @State
    public static class Receive {
        private final Channel<Integer> channel = holdingTheElement(Channel.buffered(1));

        @Actor
        public void receiver(IZ_Result r) {
            try {
                ReceiveResult<Integer> result = channel.receiveOrClosed();
                r.r1 = switch (result) {
                    case ReceiveResult.Received<Integer> received -> received.element() == ELEMENT ? ELEMENT : OTHER;
                    case ReceiveResult.Closed<Integer> closed -> closed.cause() instanceof Boom ? FAILURE : OTHER;
                };
            } catch (NullPointerException e) {
                r.r1 = NULL; // Received rejects a null element
            } catch (InterruptedException | RuntimeException e) {
                r.r1 = OTHER;
            }
        }

        @Actor
        public void failer(IZ_Result r) {
            r.r2 = channel.fail(new Boom());
        }
    }

    /** A tryReceive against fail() on a buffered channel. */
    @JCStressTest
    @Outcome(id = {"1, true", "0, true"}, expect = Expect.ACCEPTABLE, desc = "The element (the discard did not take it), or the failure.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "A half-taken cell, or a fail that lost.")
    @State
    public static class TryReceive {
        private final Channel<Integer> channel = holdingTheElement(Channel.buffered(1));

        @Actor
        public void receiver(IZ_Result r) {
            r.r1 = tryReceive(channel);
        }

        @Actor
        public void failer(IZ_Result r) {
            r.r2 = channel.fail(new Boom());
        }
    }

    /** A tryReceive against fail() on an unbounded channel, which holds no permits. */
    @JCStressTest
    @Outcome(id = {"1, true", "0, true"}, expect = Expect.ACCEPTABLE, desc = "The element (the discard did not take it), or the failure.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "A half-taken cell, or a fail that lost.")
    @State
    public static class TryReceiveUnbounded {
        private final Channel<Integer> channel = holdingTheElement(Channel.unbounded());

        @Actor
        public void receiver(IZ_Result r) {
            r.r1 = tryReceive(channel);
        }

        @Actor
        public void failer(IZ_Result r) {
            r.r2 = channel.fail(new Boom());
        }
    }

    /**
     * {@return {@code channel}, after it buffered {@link #ELEMENT}}
     *
     * @throws IllegalStateException if the channel refuses the element
     */
    static Channel<Integer> holdingTheElement(Channel<Integer> channel) {
        if (!channel.trySend(ELEMENT)) {
            throw new IllegalStateException("a new channel refused its first element: " + channel);
        }
        return channel;
    }

    /** {@return the outcome of a tryReceive, as r1 codes it} */
    static int tryReceive(Channel<Integer> channel) {
        try {
            Integer element = channel.tryReceive();
            if (element == null) {
                return NULL;
            }
            return element == ELEMENT ? ELEMENT : OTHER;
        } catch (ChannelClosedException e) {
            return e.getCause() instanceof Boom ? FAILURE : OTHER;
        } catch (RuntimeException e) {
            return OTHER;
        }
    }

    /** The cause given to fail(), told apart from any other exception. */
    static final class Boom extends Exception {
        private static final long serialVersionUID = 1L;

        Boom() {
            super("boom", null, false, false);
        }
    }
}
