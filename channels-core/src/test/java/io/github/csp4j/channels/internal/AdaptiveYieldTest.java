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
 * The per-channel yield level behind the adaptive yield of rendezvous waits
 * (CellChannel.awaitHandoff): every wait that was to yield and got to its park loop raises it, a
 * yield that brought the answer resets it, and from two misses on (the default) the yield is only
 * retried, once in 8 waits, then 16, and so on up to 256. That leaving yields out is faster is
 * measured by RingBenchmark, not asserted here.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdaptiveYieldTest {

    @Test
    void receiversThatParkBeforeTheirSender_raiseTheLevelOnlyWhenTheyYielded() {
        assertLevelFollowsParkedWaits("ring-hop", true);
    }

    @Test
    void sendersThatParkBeforeTheirReceiver_raiseTheLevelOnlyWhenTheyYielded() {
        assertLevelFollowsParkedWaits("senders-first", false);
    }

    /**
     * Forty handoffs on a fresh rendezvous channel, one ticket each, whose receiver (or, if not
     * {@code receiverParks}, sender) parks before its peer comes: after each the level is raised
     * if that wait was to yield and kept if not, which with the defaults makes two misses and then
     * the retries of tickets 7, 14 and 37 (periods 8, 16 and 32).
     */
    private static void assertLevelFollowsParkedWaits(String name, boolean receiverParks) {
        Channel<String> channel = Channel.rendezvous(name);
        CellChannel<String> cells = (DefaultChannel<String>) channel;
        assertEquals(0, cells.yieldLevel());

        int expected = 0;
        for (long ticket = 0; ticket < 40; ticket++) { // one handoff per ticket: nothing else takes one
            boolean yields = CellChannel.yieldsNext(expected, ticket);
            String element = "e" + ticket;
            if (receiverParks) {
                Async<String> receiver = Async.startBlocked(channel::receive); // parked: past any yield
                Async.run(() -> channel.send(element)).join();
                assertEquals(element, receiver.join());
            } else {
                Async<Void> sender = Async.runBlocked(() -> channel.send(element)); // parked: past any yield
                assertEquals(element, Async.start(channel::receive).join());
                sender.join();
            }
            expected = yields ? Math.min(expected + 1, CellChannel.YIELD_LEVEL_MAX) : expected;
            assertEquals(expected, cells.yieldLevel(), "after the handoff of ticket " + ticket);
        }
        assertEquals(CellChannel.YIELD_MISS_LIMIT + 3, cells.yieldLevel(),
                "two misses, then the retries of tickets 7, 14 and 37 (periods 8, 16 and 32)");
    }

    @Test
    void sendsThatFindAWaitingReceiver_doNotWaitAndChangeNothing() {
        Channel<String> channel = Channel.rendezvous("direct");
        CellChannel<String> cells = (DefaultChannel<String>) channel;
        Async<String> receiver = Async.startBlocked(channel::receive);

        assertTrue(channel.trySend("x"));

        assertEquals("x", receiver.join());
        assertEquals(1, cells.yieldLevel(), "the receiver's own parked wait, nothing for the send");
    }

    @Test
    void nextYieldLevel_resetByAYieldThatBroughtTheAnswer_raisedByAPark_keptOtherwise() {
        assertEquals(0, CellChannel.nextYieldLevel(5, Waiter.ENDED_IN_YIELD));
        assertEquals(6, CellChannel.nextYieldLevel(5, Waiter.ENDED_PARKING));
        assertEquals(5, CellChannel.nextYieldLevel(5, Waiter.ENDED_EARLY));
        assertEquals(CellChannel.YIELD_LEVEL_MAX,
                CellChannel.nextYieldLevel(CellChannel.YIELD_LEVEL_MAX, Waiter.ENDED_PARKING), "stays at the top");
    }

    @Test
    void theLevels_double_thePeriodFromEightTo256() {
        assertEquals(8, CellChannel.YIELD_RETRY_PERIOD);
        assertEquals(256, CellChannel.YIELD_RETRY_MAX);
        assertEquals(CellChannel.YIELD_MISS_LIMIT + 5, CellChannel.YIELD_LEVEL_MAX, "8, 16, 32, 64, 128, 256");
    }

    @Test
    void yieldsNext_belowTheLimitAlways_thenOnTheRetriesOfTheLevelsPeriod() {
        for (long ticket = 0; ticket < 1_000; ticket++) {
            for (int level = 0; level < CellChannel.YIELD_MISS_LIMIT; level++) {
                assertTrue(CellChannel.yieldsNext(level, ticket), "level " + level + ", ticket " + ticket);
            }
            for (int level = CellChannel.YIELD_MISS_LIMIT; level <= CellChannel.YIELD_LEVEL_MAX; level++) {
                int period = CellChannel.YIELD_RETRY_PERIOD << (level - CellChannel.YIELD_MISS_LIMIT);
                assertEquals(CellChannel.retryDue(ticket, period), CellChannel.yieldsNext(level, ticket),
                        "level " + level + ", ticket " + ticket);
            }
        }
    }

    @Test
    void retryDue_hashesTheTicket() {
        assertTrue(CellChannel.retryDue(0, 256));
        assertTrue(CellChannel.retryDue(7, 8));
        assertFalse(CellChannel.retryDue(8, 8), "not the multiples of the period");
        for (long ticket = 0; ticket < 1_000; ticket++) {
            assertTrue(CellChannel.retryDue(ticket, 1), "period 1: every wait, ticket " + ticket);
        }
    }

    /**
     * Once in about {@code period} waits, and never much further apart, whether a channel's waits
     * fall on every ticket or on every 2nd, 3rd, 8th or 64th (the low bits of the ticket would
     * never retry a channel whose waits fall on odd tickets only).
     */
    @Test
    void retryDue_comesOnceInAboutAPeriodOfWaits_whateverTheirStride() {
        for (int period = 8; period <= 4096; period *= 2) {
            for (long stride : new long[] {1, 2, 3, 8, 64}) {
                int waits = 64 * period;
                int retries = 0;
                long longestGap = 0;
                long last = -1;
                for (long wait = 0; wait < waits; wait++) {
                    if (CellChannel.retryDue(1 + wait * stride, period)) {
                        retries++;
                        longestGap = last < 0 ? longestGap : Math.max(longestGap, wait - last);
                        last = wait;
                    }
                }
                String what = "period " + period + ", stride " + stride;
                assertTrue(retries >= 48 && retries <= 80, what + ": " + retries + " retries in " + waits + " waits");
                assertTrue(longestGap <= 16L * period, what + ": a gap of " + longestGap + " waits");
            }
        }
    }

    @Test
    void aTimedOutReceive_changesNothing() throws InterruptedException {
        Channel<String> channel = Channel.rendezvous("timeouts");
        CellChannel<String> cells = (DefaultChannel<String>) channel;

        Async.start(() -> channel.receive(Duration.ofMillis(1))).join();

        assertEquals(0, cells.yieldLevel());
    }
}
