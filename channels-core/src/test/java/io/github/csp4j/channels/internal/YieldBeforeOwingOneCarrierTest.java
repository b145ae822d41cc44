package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain send on a virtual thread that finds a buffered channel full yields its carrier once
 * before it goes into debt (PermitQueue, "Yield before owing"; ADR 0012), so that a receiver
 * queued on that carrier frees a slot first and the sender takes it without registering. Runs in
 * the build's one-carrier execution ({@code -Djdk.virtualThreadScheduler.parallelism=1}), where
 * the order in which queued virtual threads run is fixed. Each test holds the carrier while the
 * test's platform thread starts the sender and then the receiver: both are submitted to the
 * scheduler's submission queue of that thread, first in, first out. When the carrier is freed it
 * runs the sender, whose yield resubmits it: on JDK 21, whose pool with one carrier has a single
 * submission queue, behind the receiver; on JDK 25, possibly in another queue, but the carrier
 * takes the next task from the queue it took the last one from while that queue has any, which
 * is the receiver. Either way the receiver runs during the sender's yield.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class YieldBeforeOwingOneCarrierTest {

    @BeforeEach
    void oneCarrier() throws InterruptedException {
        assumeTrue(Async.carriers() == 1, "runs in the build's one-carrier execution");
        warmUp();
    }

    /**
     * One whole send that waits on a full buffer and one receive that frees it, a timed send that
     * times out there and one interrupted there, each from a virtual thread, so that the classes
     * they use are loaded: a virtual thread that loads them while the test holds the carrier blocks,
     * and the pool adds a carrier, which ends the fixed order (as in BufferWaitOneCarrierTest).
     */
    private static void warmUp() throws InterruptedException {
        Channel<String> other = fullBufferOfOne();
        Async<Void> waiting = Async.startBlocked(() -> {
            other.send("w");
            return null;
        });
        assertEquals("a", other.receive());
        waiting.join();
        assertFalse(Async.start(() -> other.send("t", Duration.ofNanos(1))).join(), "the buffer holds w");
        Async<Void> interrupted = Async.startBlocked(() -> {
            other.send("i");
            return null;
        });
        interrupted.interrupt();
        assertInstanceOf(InterruptedException.class, interrupted.joinFailure());
        assertEquals("w", other.receive());
    }

    /* ---- send ---- */

    @Test
    void send_bufferFull_receiverQueuedBehindTheSender_sendsWithoutOwing() throws Exception {
        Channel<String> ch = fullBufferOfOne();

        Parties<Void> parties = senderThenReceiver(() -> {
            ch.send("b");
            return null;
        }, sender -> ch::receive);
        parties.sender().join();
        assertEquals("a", parties.receiver().join());

        assertEquals(0L, waitTickets(ch), "the sender found the freed slot after its yield: it never owed");
        assertEquals("b", ch.tryReceive());
    }

    @Test
    void send_bufferFull_timeoutTooShortToYield_owesAtOnce() throws Exception {
        Channel<String> ch = fullBufferOfOne();

        Parties<Boolean> parties = senderThenReceiver(() -> ch.send("b", Duration.ofNanos(1)), sender -> ch::receive);
        assertFalse(parties.sender().join(), "no yield before owing let the receiver run first: the send timed out");
        assertEquals("a", parties.receiver().join());

        assertEquals(1L, waitTickets(ch), "it owed at once");
        assertNull(ch.tryReceive(), "nothing was sent");
    }

    @Test
    void send_interruptedDuringItsYield_throwsAndSendsNothing() throws Exception {
        Channel<String> ch = fullBufferOfOne();

        Parties<Void> parties = senderThenReceiver(() -> {
            ch.send("b");
            return null;
        }, sender -> () -> {
            sender.interrupt(); // runs during the sender's yield
            return ch.receive();
        });
        assertInstanceOf(InterruptedException.class, parties.sender().joinFailure());
        assertEquals("a", parties.receiver().join());

        assertEquals(0L, waitTickets(ch), "it threw before owing");
        assertNull(ch.tryReceive(), "nothing was sent");
        assertTrue(ch.trySend("c"), "the freed slot is still there");
    }

    /** The sender and the receiver of a test, started in that order. */
    private record Parties<S>(Async<S> sender, Async<String> receiver) {}

    /**
     * Starts {@code send} and then the receiver that {@code receive} makes for it, each in a
     * virtual thread, while the carrier is held, so that the sender runs first and the receiver
     * is queued behind it (see the class comment).
     */
    private static <S> Parties<S> senderThenReceiver(Callable<S> send, Function<Async<S>, Callable<String>> receive) {
        Async.CarrierHold hold = Async.holdAllCarriers();
        try {
            Async<S> sender = Async.start(send);
            return new Parties<>(sender, Async.start(receive.apply(sender)));
        } finally {
            hold.release();
        }
    }

    /** {@return a buffered(1) channel whose one slot the test's platform thread has filled with "a"} */
    private static Channel<String> fullBufferOfOne() throws InterruptedException {
        Channel<String> ch = Channel.buffered("b1", 1);
        ch.send("a");
        return ch;
    }

    /** {@return the wait tickets the channel's PermitQueue handed out: one per owed sender} */
    private static long waitTickets(Channel<String> ch) throws Exception {
        return WhiteBox.waitTickets((DefaultChannel<String>) ch);
    }
}
