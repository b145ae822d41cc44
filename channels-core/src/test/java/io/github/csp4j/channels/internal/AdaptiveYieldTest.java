package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-channel count behind the adaptive yield of rendezvous waits (CellChannel.awaitHandoff):
 * every wait that got past its yield to the park loop counts one more miss, a yield that brought
 * the answer resets it, and from two misses on the yield is tried only at multiples of 8 (the defaults). That
 * leaving yields out is faster is measured by RingBenchmark, not asserted here.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdaptiveYieldTest {

    @Test
    void receiversThatParkBeforeTheirSender_countAMissEach() {
        Channel<String> channel = Channel.rendezvous("ring-hop");
        CellChannel<String> cells = (DefaultChannel<String>) channel;
        assertEquals(0, cells.yieldMisses());

        for (int i = 1; i <= 3; i++) {
            Async<String> receiver = Async.startBlocked(channel::receive); // parked: past its yield
            String element = "e" + i;
            Async.run(() -> channel.send(element)).join();

            assertEquals(element, receiver.join());
            assertEquals(i, cells.yieldMisses(), "after " + i + " parked receives");
        }
    }

    @Test
    void sendsThatFindAWaitingReceiver_doNotWaitAndCountNothing() {
        Channel<String> channel = Channel.rendezvous("direct");
        CellChannel<String> cells = (DefaultChannel<String>) channel;
        Async<String> receiver = Async.startBlocked(channel::receive);

        assertEquals(true, channel.trySend("x"));

        assertEquals("x", receiver.join());
        assertEquals(1, cells.yieldMisses(), "the receiver's own parked wait, nothing for the send");
    }

    @Test
    void nextMisses_resetByAYieldThatBroughtTheAnswer_countedByAPark_keptOtherwise() {
        assertEquals(0, CellChannel.nextMisses(5, Waiter.ENDED_IN_YIELD));
        assertEquals(6, CellChannel.nextMisses(5, Waiter.ENDED_PARKING));
        assertEquals(5, CellChannel.nextMisses(5, Waiter.ENDED_EARLY));
        assertEquals(CellChannel.YIELD_MISS_LIMIT,
                CellChannel.nextMisses(CellChannel.YIELD_MISS_WRAP, Waiter.ENDED_PARKING), "wraps within a byte");
    }

    @Test
    void yieldsNext_belowTheLimitAlways_thenOnlyAtMultiplesOfTheRetryPeriod() {
        for (int misses = 0; misses < CellChannel.YIELD_MISS_LIMIT; misses++) {
            assertTrue(CellChannel.yieldsNext(misses), "misses " + misses);
        }
        for (int misses = CellChannel.YIELD_MISS_LIMIT; misses <= CellChannel.YIELD_MISS_WRAP; misses++) {
            assertEquals(misses % CellChannel.YIELD_RETRY_PERIOD == 0, CellChannel.yieldsNext(misses), "misses " + misses);
        }
        assertFalse(CellChannel.yieldsNext(CellChannel.YIELD_MISS_LIMIT));
    }

    @Test
    void aTimedOutReceive_countsNothing() throws InterruptedException {
        Channel<String> channel = Channel.rendezvous("timeouts");
        CellChannel<String> cells = (DefaultChannel<String>) channel;

        Async.start(() -> channel.receive(Duration.ofMillis(1))).join();

        assertEquals(0, cells.yieldMisses());
    }
}
