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
 * to the plan every clause it does not take (closed-aware receives, timeouts, defaults,
 * rendezvous both ways) and every select that nothing completes, and stops at a closed channel's
 * clause, which the plan then polls first, so that it wins as often as a ready clause would. A {@link Selector}
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
            new SelectClause<?>[QuickPoll.MAX_CLAUSES + 1],
        };
        for (SelectClause<?>[] clauses : cases) {
            assertSame(QuickPoll.MISSED, QuickPoll.select(clauses, null));
        }
        Channel<Integer> empty = Channel.buffered(1);
        SelectClause<?>[] emptyThenClosed = {onReceive(empty, e -> e), onSend(closed, 1, () -> 0)};
        assertEquals(new QuickPoll.Closed(1), QuickPoll.select(emptyThenClosed, null),
                "a closed channel's clause stops the poll, for the plan to poll first");
        SelectClause<?>[] closedThenReady = {onReceive(closed, e -> e), onReceive(ready, e -> e)};
        assertEquals(new QuickPoll.Closed(0), QuickPoll.select(closedThenReady, null));
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
    void selector_clausesThePollTakes_takesThemOnceAndPollsACopyOnEveryRun() throws Exception {
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
        java.lang.reflect.Field quick = Selector.class.getDeclaredField("quick");
        quick.setAccessible(true);
        assertTrue(quick.get(selector) != null, "the selector keeps the clauses for the poll");
        b.send(8);
        for (int run = 0; run < 3; run++) {
            a.send(7 + run);
            assertEquals(7 + run, selector.select(), "run " + run + " polls the clauses the selector was made with");
        }
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

    /**
     * A priority select whose poll stopped at a closed clause: the plan polls that clause first
     * and the others in their listed order, so that among those ready by then the first listed
     * still wins (the channels fill between the two polls here, as another thread could make
     * them). The order once swapped the first clause with the closed one.
     */
    @Test
    @SuppressWarnings("unchecked") // an array of a generic type, filled with SelectClause<String>s
    void plan_inOrder_afterAClosedClause_keepsTheOthersInTheirListedOrder() throws InterruptedException {
        Channel<String> a = Channel.buffered(1);
        Channel<String> b = Channel.buffered(1);
        Channel<String> d = Channel.buffered(1);
        Channel<String> closed = Channel.buffered(1);
        closed.close();
        SelectClause<String>[] clauses = (SelectClause<String>[]) new SelectClause<?>[] {
            onReceive(a, e -> "a"), onReceive(b, e -> "b"), onReceive(d, e -> "d"), onReceive(closed, e -> "closed")};
        assertEquals(3, QuickPoll.firstForPlan(QuickPoll.select(clauses, null)), "the poll stopped at the closed clause");
        a.send("x");
        b.send("y");
        d.send("z");

        assertEquals("a", new Plan<String>(clauses).run(null, 3));
        assertEquals("b", new Plan<String>(clauses).run(null, 3));
        assertEquals("d", new Plan<String>(clauses).run(null, 3));
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

    /**
     * A clause whose channel is closed counts as ready (Select): among it and a ready clause, a
     * select without order picks each half the time, although the poll stops at the closed one
     * and leaves it to the plan. Seeded, so the counts are the same on every run; the bound is
     * five standard deviations of a fair coin.
     */
    @Test
    void closedClauseBesideAReadyOne_winsHalfTheTime_inASelectAndInASelector() throws InterruptedException {
        int trials = 4_000;
        Channel<Integer> closedForSend = Channel.buffered(1);
        closedForSend.close();
        Channel<Integer> failed = Channel.buffered(1);
        IllegalStateException cause = new IllegalStateException("failed");
        failed.fail(cause);
        SelectClause<?>[][] cases = {
            {onSend(closedForSend, 1, () -> 0)},
            {onReceive(failed, e -> e)},
        };
        for (int c = 0; c < cases.length; c++) {
            for (boolean reused : new boolean[] {false, true}) {
                Channel<Integer> ready = Channel.buffered(1);
                SelectClause<?>[] clauses = {cases[c][0], onReceive(ready, e -> e)};
                SplittableRandom random = new SplittableRandom(20261201L + c);
                Selector<?> selector = Select.selector(random, clauses);
                int closures = 0;
                for (int i = 0; i < trials; i++) {
                    ready.trySend(7); // refills it unless the last select threw and left the element
                    try {
                        Object result = reused ? selector.select() : Select.run(clauses, random);
                        assertEquals(7, result);
                    } catch (io.github.csp4j.channels.ChannelClosedException e) {
                        closures++;
                    }
                }
                double sigma = Math.sqrt(trials / 4.0);
                assertTrue(Math.abs(closures - trials / 2.0) < 5 * sigma,
                        "case " + c + (reused ? " (selector)" : " (select)") + ": the closed clause won " + closures
                                + " of " + trials + " selects, expected about half");
            }
        }
    }
}
