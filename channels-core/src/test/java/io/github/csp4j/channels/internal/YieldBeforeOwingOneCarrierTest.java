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
import java.util.concurrent.TimeUnit;
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
    void oneCarrier() {
        assumeTrue(Async.carriers() == 1, "runs in the build's one-carrier execution");
    }

    /* ---- send ---- */

    @Test
    void send_bufferFull_receiverQueuedBehindTheSender_sendsWithoutOwing() throws Exception {
        Channel<String> ch = Channel.buffered("b1", 1);
        ch.send("a"); // the test's platform thread fills the buffer

        Async.CarrierHold hold = Async.holdAllCarriers();
        Async<Void> sender;
        Async<String> receiver;
        try {
            sender = Async.run(() -> ch.send("b"));
            receiver = Async.start(ch::receive);
        } finally {
            hold.release();
        }
        sender.join();
        assertEquals("a", receiver.join());

        assertEquals(0L, waitTickets(ch), "the sender found the freed slot after its yield: it never owed");
        assertEquals("b", ch.tryReceive());
    }

    @Test
    void send_bufferFull_timeoutTooShortToYield_owesAtOnce() throws Exception {
        Channel<String> ch = Channel.buffered("b1", 1);
        ch.send("a");

        Async.CarrierHold hold = Async.holdAllCarriers();
        Async<Boolean> sender;
        Async<String> receiver;
        try {
            sender = Async.start(() -> ch.send("b", Duration.ofNanos(1)));
            receiver = Async.start(ch::receive);
        } finally {
            hold.release();
        }
        assertFalse(sender.join(), "no yield before owing let the receiver run first: the send timed out");
        assertEquals("a", receiver.join());

        assertEquals(1L, waitTickets(ch), "it owed at once");
        assertNull(ch.tryReceive(), "nothing was sent");
    }

    @Test
    void send_interruptedDuringItsYield_throwsAndSendsNothing() throws Exception {
        Channel<String> ch = Channel.buffered("b1", 1);
        ch.send("a");

        Async.CarrierHold hold = Async.holdAllCarriers();
        Async<Void> sender;
        Async<String> receiver;
        try {
            sender = Async.run(() -> ch.send("b"));
            receiver = Async.start(() -> {
                sender.interrupt(); // runs during the sender's yield
                return ch.receive();
            });
        } finally {
            hold.release();
        }
        assertInstanceOf(InterruptedException.class, sender.joinFailure());
        assertEquals("a", receiver.join());

        assertEquals(0L, waitTickets(ch), "it threw before owing");
        assertNull(ch.tryReceive(), "nothing was sent");
        assertTrue(ch.trySend("c"), "the freed slot is still there");
    }

    /** {@return the wait tickets the channel's PermitQueue handed out: one per owed sender} */
    private static long waitTickets(Channel<String> ch) throws Exception {
        return WhiteBox.waitTickets((DefaultChannel<String>) ch);
    }
}
