package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * before it goes into debt (PermitQueue, "Yield before owing"), so that a receiver queued on that
 * carrier frees a slot first and the sender takes it without registering. Runs in the one-carrier
 * execution of the build ({@code -Djdk.virtualThreadScheduler.parallelism=1}), where the order in
 * which queued virtual threads run is fixed: the scheduler has one submission queue, served first
 * in, first out, and a yielding thread whose carrier has no local tasks is submitted there, behind
 * the threads already queued. The test holds the carrier while it queues the sender and then the
 * receiver, so the sender runs first and its yield lets the receiver run.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class YieldBeforeOwingOneCarrierTest {

    @BeforeEach
    void oneCarrier() {
        assumeTrue(Async.carriers() == 1, "runs in the build's one-carrier execution");
    }

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
        assertFalse(sender.join(), "no yield let the receiver run first: the send timed out");
        assertEquals("a", receiver.join());

        assertEquals(1L, waitTickets(ch), "it owed at once");
        assertNull(ch.tryReceive(), "nothing was sent");
    }

    /** {@return the wait tickets the channel's PermitQueue handed out: one per owed sender} */
    private static long waitTickets(Channel<String> ch) throws Exception {
        return WhiteBox.waitTickets((DefaultChannel<String>) ch);
    }
}
