package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;
import static io.github.csp4j.select.Select.onTimeout;
import static io.github.csp4j.select.Select.orElse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Selector}'s javadoc: a run that completes without waiting allocates nothing of its own.
 * With receive clauses, the case a loop that merges channels runs: both clauses ready, and one
 * channel empty while the other is not, also with an {@code orElse} or {@code onTimeout} clause,
 * which makes every run go through the selector's plan rather than its first poll; with send
 * clauses, the case a loop that deals elements out runs, where a send takes its share of its
 * channel's segments and nothing more. Counted with the JDK's per-thread allocation counter
 * ({@code com.sun.management.ThreadMXBean}), reached by reflection because this module reads
 * neither {@code java.management} nor {@code jdk.management}; each reading boxes its result, so
 * the bound leaves room for a few objects, far below one byte per select. A one-time event of the
 * JVM during a reading (the reflective call's own code being generated, about its 128th call in
 * a JVM that reruns the test) could exceed it in one window, so the least of three windows counts:
 * an allocation per select shows in each.
 *
 * <p>The channels are unbounded. For the receive clauses they are filled before the count starts:
 * a send allocates the channel's segments, and a receive of an element already sent allocates
 * nothing, so what is counted is the selector's own. For the send clauses, as many plain sends to
 * a third channel are counted alike, and the selects may allocate no more than they did, and the
 * same few objects' room. A {@link Select#select} with new clauses is counted against the making
 * of those clauses alone.
 */
@Timeout(120)
class SelectorAllocationTest {
    private static final int WARM_UP = 40_000;
    private static final int WINDOWS = 3;
    private static final int PER_WINDOW = 50_000;

    /** Elements of channel b: it runs dry during the warm-up, then every select takes from a. */
    private static final int IN_B = WARM_UP / 4;

    /** Elements of channel a: as many as the selects take from it, the last one taking the last. */
    private static final int IN_A = WARM_UP - IN_B + WINDOWS * PER_WINDOW;

    /** A few boxed readings and reflection's own objects; a byte per select would be 50,000. */
    private static final long BOUND = 4_096;

    @Test
    void select_thatCompletesWithoutWaiting_allocatesNothing() throws Exception {
        assertReceivesAllocateNothing((a, b) -> Select.selector(onReceive(a, Function.identity()),
                onReceive(b, Function.identity())));
    }

    /** Clauses that the first poll does not take: the selector runs its plan every time. */
    @Test
    void select_thatRunsItsPlan_andCompletesWithoutWaiting_allocatesNothing() throws Exception {
        assertReceivesAllocateNothing((a, b) -> Select.selector(onReceive(a, Function.identity()),
                onReceive(b, Function.identity()), orElse(() -> Integer.MIN_VALUE)));
        assertReceivesAllocateNothing((a, b) -> Select.selector(onReceive(a, Function.identity()),
                onReceive(b, Function.identity()), onTimeout(Duration.ofHours(1), () -> Integer.MIN_VALUE)));
    }

    private static void assertReceivesAllocateNothing(
            BiFunction<Channel<Integer>, Channel<Integer>, Selector<Integer>> selectorOf) throws Exception {
        Channel<Integer> a = Channel.unbounded();
        Channel<Integer> b = Channel.unbounded();
        for (int i = 0; i < IN_A; i++) {
            a.send(i); // boxed before the count, so that the selects box nothing
        }
        for (int i = 0; i < IN_B; i++) {
            b.send(-1 - i); // negative: a select's result tells which channel it came from
        }
        Selector<Integer> selector = selectorOf.apply(a, b);
        AllocationCounter counter = new AllocationCounter();
        int fromA = 0;
        int fromB = 0;
        for (int i = 0; i < WARM_UP; i++) { // compiles the path, as a merging loop does
            if (selector.select() >= 0) {
                fromA++;
            } else {
                fromB++;
            }
        }
        assertEquals(IN_B, fromB, selector + ": b ran dry during the warm-up");

        long least = Long.MAX_VALUE;
        long expected = fromA;
        for (int w = 0; w < WINDOWS; w++) {
            long before = counter.allocatedBytes();
            long wrong = 0;
            for (int i = 0; i < PER_WINDOW; i++) {
                wrong |= selector.select() ^ expected++; // a's elements, in order, once each
            }
            long allocated = counter.allocatedBytes() - before;
            least = Math.min(least, allocated);
            assertEquals(0, wrong, selector + ": window " + w + " received a's elements in order");
        }

        assertTrue(least < BOUND, selector + ": " + PER_WINDOW + " selects allocated " + least
                + " bytes (the least of " + WINDOWS + " windows)");
        assertEquals(IN_A, expected, "the selects took every element of a");
        assertNull(a.tryReceive(), "nothing left in a");
        assertNull(b.tryReceive(), "nothing left in b");
    }

    /**
     * {@link Select}'s javadoc: a select with new receive clauses that completes in its first poll
     * allocates its clauses and nothing more of its own. Counted against windows that make the same
     * clauses and varargs array and publish them, so that escape analysis removes none of them.
     * The bound is an upper one: if the JIT removed the select's own clauses (88 bytes per select
     * here), an allocation of up to that much of the select's own would pass unseen.
     */
    @Test
    void select_withNewClauses_thatCompletesInItsFirstPoll_allocatesOnlyItsClauses() throws Exception {
        Channel<Integer> a = Channel.unbounded();
        Channel<Integer> b = Channel.unbounded();
        int selects = WARM_UP + WINDOWS * PER_WINDOW;
        for (int i = 0; i < selects; i++) {
            a.send(i); // boxed before the count; b stays empty, so every select takes from a
        }
        Function<Integer, Integer> then = Function.identity();
        AllocationCounter counter = new AllocationCounter();
        long expected = 0;
        for (int i = 0; i < WARM_UP; i++) { // compiles both loops
            expected += Select.select(onReceive(a, then), onReceive(b, then)) == expected ? 1 : 0;
            madeClauses = new SelectClause<?>[] {onReceive(a, then), onReceive(b, then)};
        }
        assertEquals(WARM_UP, expected, "the warm-up took a's elements in order");

        long leastMade = Long.MAX_VALUE;
        long leastSelect = Long.MAX_VALUE;
        for (int w = 0; w < WINDOWS; w++) {
            long before = counter.allocatedBytes();
            for (int i = 0; i < PER_WINDOW; i++) {
                madeClauses = new SelectClause<?>[] {onReceive(a, then), onReceive(b, then)};
            }
            long between = counter.allocatedBytes();
            long wrong = 0;
            for (int i = 0; i < PER_WINDOW; i++) {
                wrong |= Select.select(onReceive(a, then), onReceive(b, then)) ^ expected++;
            }
            long after = counter.allocatedBytes();
            leastMade = Math.min(leastMade, between - before);
            leastSelect = Math.min(leastSelect, after - between);
            assertEquals(0, wrong, "window " + w + " received a's elements in order");
        }

        assertTrue(leastMade >= PER_WINDOW, "making the clauses allocates: " + leastMade);
        assertTrue(leastSelect < leastMade + BOUND, PER_WINDOW + " selects allocated " + leastSelect
                + " bytes against " + leastMade + " for making their clauses alone (the least of "
                + WINDOWS + " windows each)");
        assertNull(a.tryReceive(), "the selects took every element of a");
    }

    /** Where the control loop of the test above publishes the clauses it makes. */
    private static volatile SelectClause<?>[] madeClauses;

    @Test
    void sendSelect_thatCompletesWithoutWaiting_allocatesNoMoreThanPlainSends() throws Exception {
        Channel<Integer> a = Channel.unbounded();
        Channel<Integer> b = Channel.unbounded();
        Channel<Integer> plain = Channel.unbounded();
        Integer element = 1_000; // boxed once, outside the count
        Selector<Integer> selector =
                Select.selector(onSend(a, element, () -> 1), onSend(b, element, () -> 2));
        AllocationCounter counter = new AllocationCounter();
        int[] sentTo = new int[3]; // by the clauses' results, 1 for a and 2 for b
        for (int i = 0; i < WARM_UP; i++) { // compiles both paths
            sentTo[selector.select()]++;
            plain.send(element);
        }

        long leastPlain = Long.MAX_VALUE;
        long leastSelect = Long.MAX_VALUE;
        for (int w = 0; w < WINDOWS; w++) {
            long before = counter.allocatedBytes();
            for (int i = 0; i < PER_WINDOW; i++) {
                plain.send(element);
            }
            long between = counter.allocatedBytes();
            int sum = 0;
            for (int i = 0; i < PER_WINDOW; i++) {
                int clause = selector.select();
                sum += clause;
                sentTo[clause & 3]++;
            }
            long after = counter.allocatedBytes();
            leastPlain = Math.min(leastPlain, between - before);
            leastSelect = Math.min(leastSelect, after - between);
            assertTrue(sum >= PER_WINDOW && sum <= 2 * PER_WINDOW, "window " + w + ": results 1 or 2");
        }

        assertTrue(leastPlain > 0, "plain sends allocate their channel's segments: " + leastPlain);
        assertTrue(leastSelect < leastPlain + BOUND, PER_WINDOW + " selects allocated " + leastSelect
                + " bytes against " + leastPlain + " for as many plain sends (the least of " + WINDOWS
                + " windows each)");
        int selects = WARM_UP + WINDOWS * PER_WINDOW;
        assertEquals(selects, sentTo[1] + sentTo[2], "one clause completed per select");
        assertEquals(sentTo[1], drain(a, element), "a holds what its clause reported sent");
        assertEquals(sentTo[2], drain(b, element), "b holds what its clause reported sent");
    }

    /** {@return how many elements {@code channel} held, each one {@code expected}} */
    private static int drain(Channel<Integer> channel, Integer expected) {
        int count = 0;
        for (Integer e = channel.tryReceive(); e != null; e = channel.tryReceive()) {
            assertEquals(expected, e);
            count++;
        }
        return count;
    }

    /** The current thread's allocated bytes, from {@code com.sun.management.ThreadMXBean}. */
    private static final class AllocationCounter {
        private final Object bean;
        private final Method read;

        AllocationCounter() throws ReflectiveOperationException {
            bean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean").invoke(null);
            read = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
            allocatedBytes(); // the first call's own set-up is not counted in a measurement
        }

        long allocatedBytes() throws ReflectiveOperationException {
            long bytes = (long) read.invoke(bean);
            if (bytes < 0) {
                throw new IllegalStateException("this JVM does not count a thread's allocated bytes");
            }
            return bytes;
        }
    }
}
