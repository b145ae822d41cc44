package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onReceiveOrClosed;
import static io.github.csp4j.select.Select.onSend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * White-box: the first poll of a select with new clauses (QuickPoll). Its order is a uniformly
 * random permutation; it completes a ready clause with the same callback as the plan; it leaves
 * to the plan every clause it does not take (closed channels, closed-aware receives, timeouts,
 * defaults, rendezvous both ways) and every select that nothing completes. A {@link Selector}
 * whose clauses it takes polls them first on every run, with a copy of the clauses it was made
 * with.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QuickPollTest {
    @Test
    void order_isAPermutation_forEveryClauseCount() {
        SplittableRandom random = new SplittableRandom(1);
        for (int n = 1; n <= QuickPoll.MAX_CLAUSES; n++) {
            for (int round = 0; round < 100; round++) {
                long order = QuickPoll.order(n, random);
                boolean[] seen = new boolean[n];
                for (int i = 0; i < n; i++) {
                    int index = (int) ((order >>> (4 * i)) & 0xF);
                    assertTrue(index < n && !seen[index], "n=" + n + ": index " + index + " in " + Long.toHexString(order));
                    seen[index] = true;
                }
            }
        }
        assertEquals(0xFEDC_BA98_7654_3210L, QuickPoll.order(16, null), "in the given order without a random source");
    }

    @Test
    void order_ofThree_givesEachOfTheSixPermutationsAboutEquallyOften() {
        SplittableRandom random = new SplittableRandom(2);
        Map<Long, Integer> counts = new HashMap<>();
        int samples = 60_000;
        for (int i = 0; i < samples; i++) {
            counts.merge(QuickPoll.order(3, random) & 0xFFF, 1, Integer::sum);
        }
        assertEquals(6, counts.size(), counts.toString());
        for (int count : counts.values()) {
            assertTrue(Math.abs(count - samples / 6) < samples / 60, "each about 10,000: " + counts); // within 10 %
        }
    }

    @Test
    void readyReceive_completesWithItsCallback() throws InterruptedException {
        Channel<Integer> empty = Channel.buffered(1);
        Channel<Integer> ready = Channel.buffered(1);
        ready.send(4);
        Object result = QuickPoll.select(new SelectClause<?>[] {onReceive(empty, e -> "empty"), onReceive(ready, e -> "got " + e)}, new SplittableRandom(3));
        assertEquals("got 4", result);
        assertNull(ready.tryReceive(), "taken once");
    }

    @Test
    void readySend_completesWithItsCallback() throws InterruptedException {
        Channel<Integer> full = Channel.buffered(1);
        full.send(1);
        Channel<Integer> room = Channel.buffered(1);
        Object result = QuickPoll.select(new SelectClause<?>[] {onSend(full, 2, () -> "full"), onSend(room, 3, () -> "sent")}, null);
        assertEquals("sent", result);
        assertEquals(3, room.tryReceive());
        assertEquals(1, full.tryReceive(), "the full channel kept only its element");
    }

    @Test
    void nothingReady_isMissed_andNothingIsTakenOrLeft() throws InterruptedException {
        Channel<Integer> a = Channel.buffered(1);
        Channel<Integer> b = Channel.rendezvous();
        assertSame(QuickPoll.MISSED, QuickPoll.select(new SelectClause<?>[] {onReceive(a, e -> e), onSend(b, 1, () -> 0)}, null));
        a.send(5);
        assertEquals(5, a.tryReceive(), "the receive took no ticket that would hold a later element");
    }

    @Test
    void clausesItDoesNotTake_areLeftToThePlan() throws InterruptedException {
        Channel<Integer> ready = Channel.buffered(1);
        ready.send(1);
        Channel<Integer> closed = Channel.buffered(1);
        closed.close();
        Channel<Integer> rendezvous = Channel.rendezvous();
        SelectClause<?>[][] cases = {
            {onReceive(ready, e -> e), Select.onTimeout(java.time.Duration.ofSeconds(1), () -> 0)},
            {onReceive(ready, e -> e), Select.orElse(() -> 0)},
            {onReceiveOrClosed(ready, r -> r)},
            {onReceive(rendezvous, e -> e), onSend(rendezvous, 1, () -> 0), onReceive(ready, e -> e)},
            {onSend(closed, 1, () -> 0)},
            {onReceive(closed, e -> e)},
            new SelectClause<?>[QuickPoll.MAX_CLAUSES + 1],
        };
        for (SelectClause<?>[] clauses : cases) {
            assertSame(QuickPoll.MISSED, QuickPoll.select(clauses, null));
        }
        assertEquals(1, ready.tryReceive(), "nothing was taken from the ready channel");
    }

    @Test
    void interruptedOnEntry_throws_likeThePlan() {
        Channel<Integer> ready = Channel.buffered(1);
        ready.trySend(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> QuickPoll.select(new SelectClause<?>[] {onReceive(ready, e -> e)}, null));
        assertEquals(1, ready.tryReceive(), "nothing received");
    }

    @Test
    void selector_clausesThePollTakes_takesThemOnceAndPollsACopyOnEveryRun() throws InterruptedException {
        Channel<Integer> a = Channel.buffered(2);
        Channel<Integer> b = Channel.buffered(2);
        Channel<Integer> rendezvous = Channel.rendezvous();
        SelectClause<?>[] taken = {onReceive(a, e -> e), onSend(b, 1, () -> 0)};
        SelectClause<?>[] notTaken = {onReceive(rendezvous, e -> e), onSend(rendezvous, 1, () -> 0)};
        assertTrue(QuickPoll.takes(taken));
        assertTrue(!QuickPoll.takes(notTaken) && !QuickPoll.takes(null) && !QuickPoll.takes(new SelectClause<?>[0]));

        SelectClause<?>[] clauses = {onReceive(a, e -> e)};
        Selector<?> selector = Select.selector(clauses);
        clauses[0] = onReceive(b, e -> -e); // the caller's array, changed after the selector was made
        a.send(7);
        b.send(8);
        assertEquals(7, selector.select(), "the selector polls the clauses it was made with");
        assertEquals(8, b.tryReceive(), "and took nothing from the other channel");
    }

    @Test
    void selector_closedChannelAmongClausesThePollTakes_isLeftToThePlanWhichSkipsIt() throws InterruptedException {
        Channel<Integer> closed = Channel.buffered(1);
        closed.close();
        Channel<Integer> ready = Channel.buffered(1);
        Selector<Integer> selector = Select.selector(onReceive(closed, e -> e), onReceive(ready, e -> e));
        ready.send(3);
        assertEquals(3, selector.selectInOrder(), "the closed, drained clause is skipped, as by the plan");
    }

    @Test
    void selector_interruptedOnEntry_throwsWithTheStatusClearedAndTakesNothing() {
        Channel<Integer> ready = Channel.buffered(1);
        ready.trySend(1);
        Selector<Integer> selector = Select.selector(onReceive(ready, e -> e));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, selector::select);
        assertTrue(!Thread.currentThread().isInterrupted(), "the status is cleared");
        assertEquals(1, ready.tryReceive(), "nothing received");
    }
}
