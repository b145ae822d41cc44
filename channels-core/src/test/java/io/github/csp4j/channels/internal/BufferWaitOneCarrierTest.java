package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain wait on a buffer parks without yielding its carrier first (CellChannel.awaitBuffer): a
 * thread queued behind the waiting party finds it parked, not runnable in a yield. Runs in the
 * build's one-carrier execution ({@code -Djdk.virtualThreadScheduler.parallelism=1}), where the
 * test holds the carrier while it starts the waiting party and then the other one, so that they
 * run in that order (as in YieldBeforeOwingOneCarrierTest). That leaving the yield out is faster
 * is measured by TransferBenchmark and PairsBenchmark, not asserted here.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BufferWaitOneCarrierTest {

    @BeforeEach
    void oneCarrier() {
        assumeTrue(Async.carriers() == 1, "runs in the build's one-carrier execution");
    }

    @Test
    void receive_emptyBuffer_threadQueuedBehind_parksWithoutYielding() throws InterruptedException {
        warmUp(); // else the receiver loads the wait's classes, blocking, and the pool adds a carrier
        Channel<String> ch = Channel.buffered("empty", 1);
        Async<String> receiver;
        Async<Thread.State> sender;
        Async.CarrierHold hold = Async.holdAllCarriers();
        try {
            receiver = Async.start(ch::receive);
            sender = Async.start(() -> {
                Thread.State found = receiver.thread().getState(); // RUNNABLE during a yield
                ch.send("x");
                return found;
            });
        } finally {
            hold.release();
        }

        assertEquals(Thread.State.WAITING, sender.join(), "the receiver had parked");
        assertEquals("x", receiver.join());
    }

    /** One whole wait on an empty buffer, so that the classes it uses are loaded. */
    private static void warmUp() throws InterruptedException {
        Channel<String> other = Channel.buffered("warm-up", 1);
        Async<String> waiting = Async.startBlocked(other::receive);
        other.send("w");
        assertEquals("w", waiting.join());
    }
}
