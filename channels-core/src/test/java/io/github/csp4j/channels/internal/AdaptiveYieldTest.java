package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-channel count behind the adaptive yield of rendezvous waits (CellChannel.awaitHandoff):
 * every wait that got past its yield to the park loop counts one more miss; a send to a waiting
 * receiver and a plain handoff leave the count alone. That yields are then left out is a
 * performance matter, measured by RingBenchmark, not asserted here.
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
}
