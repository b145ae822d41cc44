package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-channel state behind the adaptive yield of rendezvous waits (CellChannel.awaitHandoff):
 * every wait that got past its yield to the park loop counts one more miss, a yield that brought
 * the answer resets it, and after two misses in a row (the default) yields are left out and
 * retried on the last wait of a period of 8 waits that parked, a period that doubles with every
 * retry that misses, up to 256. That leaving yields out is faster is measured by RingBenchmark,
 * not asserted here.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdaptiveYieldTest {

    @Test
    void receiversThatParkBeforeTheirSender_countAMissEach_thenLeaveYieldsOut() {
        Channel<String> channel = Channel.rendezvous("ring-hop");
        CellChannel<String> cells = (DefaultChannel<String>) channel;
        assertEquals(0, cells.yieldState());
        int first = CellChannel.YIELD_RETRY_PERIOD;
        int[] expected = {1, CellChannel.yieldState(first, first), CellChannel.yieldState(first, first - 1)};

        for (int i = 1; i <= expected.length; i++) {
            Async<String> receiver = Async.startBlocked(channel::receive); // parked: past its yield
            String element = "e" + i;
            Async.run(() -> channel.send(element)).join();

            assertEquals(element, receiver.join());
            assertEquals(expected[i - 1], cells.yieldState(), "after " + i + " parked receives");
        }
        assertFalse(CellChannel.yieldsNext(cells.yieldState()));
    }

    @Test
    void sendsThatFindAWaitingReceiver_doNotWaitAndCountNothing() {
        Channel<String> channel = Channel.rendezvous("direct");
        CellChannel<String> cells = (DefaultChannel<String>) channel;
        Async<String> receiver = Async.startBlocked(channel::receive);

        assertEquals(true, channel.trySend("x"));

        assertEquals("x", receiver.join());
        assertEquals(1, cells.yieldState(), "the receiver's own parked wait, nothing for the send");
    }

    @Test
    void nextYieldState_resetByAYieldThatBroughtTheAnswer_countedByAPark_keptOtherwise() {
        int leftOut = CellChannel.yieldState(16, 5);
        assertEquals(0, CellChannel.nextYieldState(1, Waiter.ENDED_IN_YIELD));
        assertEquals(0, CellChannel.nextYieldState(leftOut, Waiter.ENDED_IN_YIELD));
        assertEquals(1, CellChannel.nextYieldState(0, Waiter.ENDED_PARKING));
        assertEquals(CellChannel.yieldState(16, 4), CellChannel.nextYieldState(leftOut, Waiter.ENDED_PARKING));
        assertEquals(1, CellChannel.nextYieldState(1, Waiter.ENDED_EARLY));
        assertEquals(leftOut, CellChannel.nextYieldState(leftOut, Waiter.ENDED_EARLY));
    }

    @Test
    void yieldState_keepsPeriodAndCountApart_forEveryPeriodAndCount() {
        for (int period = 1; period <= CellChannel.YIELD_RETRY_MAX; period *= 2) {
            for (int count = 1; count <= period; count++) {
                int state = CellChannel.yieldState(period, count);
                assertEquals(period, CellChannel.yieldPeriod(state), "period of " + period + "/" + count);
                assertEquals(count, CellChannel.yieldCount(state), "count of " + period + "/" + count);
                assertEquals(state, (short) state, "fits the short field: " + period + "/" + count);
            }
        }
        for (int misses = 0; misses < CellChannel.YIELD_MISS_LIMIT; misses++) {
            assertEquals(0, CellChannel.yieldPeriod(misses), "misses " + misses);
        }
    }

    @Test
    void waitsThatAlwaysPark_retryTheYieldWithAPeriodThatDoublesToTheMaximum() {
        List<Integer> yieldingWaits = new ArrayList<>();
        int state = 0;
        for (int wait = 0; wait < 2_000; wait++) {
            if (CellChannel.yieldsNext(state)) {
                yieldingWaits.add(wait);
            }
            state = CellChannel.nextYieldState(state, Waiter.ENDED_PARKING); // a ring: every wait parks
        }

        List<Integer> expected = new ArrayList<>();
        for (int wait = 0; wait < CellChannel.YIELD_MISS_LIMIT; wait++) {
            expected.add(wait); // yields until the limit
        }
        int wait = CellChannel.YIELD_MISS_LIMIT - 1;
        for (int period = CellChannel.YIELD_RETRY_PERIOD; ; period = Math.min(2 * period, CellChannel.YIELD_RETRY_MAX)) {
            wait += period; // the period's last wait retries
            if (wait >= 2_000) {
                break;
            }
            expected.add(wait);
        }
        assertEquals(expected, yieldingWaits);
        assertEquals(List.of(0, 1, 9, 25, 57, 121, 249, 505, 761), yieldingWaits.subList(0, 9), "the defaults");
    }

    @Test
    void aRetryThatHits_makesEveryWaitYieldAgain() {
        int state = CellChannel.yieldState(CellChannel.YIELD_RETRY_MAX, 1);
        assertTrue(CellChannel.yieldsNext(state), "the retry");

        state = CellChannel.nextYieldState(state, Waiter.ENDED_IN_YIELD);

        assertEquals(0, state);
        assertTrue(CellChannel.yieldsNext(state));
    }

    @Test
    void aTimedOutReceive_countsNothing() throws InterruptedException {
        Channel<String> channel = Channel.rendezvous("timeouts");
        CellChannel<String> cells = (DefaultChannel<String>) channel;

        Async.start(() -> channel.receive(Duration.ofMillis(1))).join();

        assertEquals(0, cells.yieldState());
    }
}
