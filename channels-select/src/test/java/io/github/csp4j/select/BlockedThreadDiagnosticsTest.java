package io.github.csp4j.select;

import static io.github.csp4j.channels.testing.Async.shown;
import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.tasks.TaskScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README, "When a program blocks": what a thread dump and {@code toString()} show of a blocked
 * program. A waiting thread's stack names the channel operation or the select it waits in, under
 * the name its scope gave it, and a channel's {@code toString()} names the channel, its kind,
 * whether it is open, and the threads that wait in it, selects included; the scope's names the
 * threads of its running tasks the same way.
 */
@Timeout(60)
class BlockedThreadDiagnosticsTest {

    @Test
    void blockedThreads_stacksNameTheOperationTheyWaitIn() throws InterruptedException {
        Channel<String> jobs = Channel.buffered("jobs", 4);
        Channel<String> replies = Channel.rendezvous("replies");
        Channel<String> idle = Channel.rendezvous("idle");
        AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(4);
        try (TaskScope scope = TaskScope.open("shop")) {
            scope.fork("worker", () -> {
                threads.set(0, Thread.currentThread());
                return jobs.receive();
            });
            awaitWaiting(threads, 0); // in order: each takes its tickets before the next starts
            scope.fork("asker", () -> {
                threads.set(1, Thread.currentThread());
                replies.send("x");
                return null;
            });
            awaitWaiting(threads, 1);
            scope.fork("merger", () -> {
                threads.set(2, Thread.currentThread());
                return Select.select(onReceive(jobs, e -> e), onReceive(idle, e -> e));
            });
            awaitWaiting(threads, 2);
            Selector<String> selector = Select.selector(onReceive(idle, e -> e));
            scope.fork("looper", () -> {
                threads.set(3, Thread.currentThread());
                return selector.select();
            });
            awaitWaiting(threads, 3);

            assertWaitsIn(threads.get(0), "shop/worker", "CellChannel", "receive");
            assertWaitsIn(threads.get(1), "shop/asker", "CellChannel", "send");
            assertWaitsIn(threads.get(2), "shop/merger", "Select", "select");
            assertWaitsIn(threads.get(3), "shop/looper", "Selector", "select");
            assertStateShown(jobs, "Channel[jobs, buffered(4), open, receivers waiting ["
                    + shown(threads.get(0)) + ", " + shown(threads.get(2)) + "], ");
            assertStateShown(replies, "Channel[replies, rendezvous, open, senders waiting ["
                    + shown(threads.get(1)) + "], ");
            assertStateShown(idle, "Channel[idle, rendezvous, open, receivers waiting ["
                    + shown(threads.get(2)) + ", " + shown(threads.get(3)) + "], ");
            assertEquals("TaskScope[shop, FAIL_FAST, 4 running [" + shown(threads.get(0)) + ", "
                    + shown(threads.get(1)) + ", " + shown(threads.get(2)) + ", " + shown(threads.get(3)) + "]]",
                    scope.toString()); // the threads as the channels name them

            scope.cancel(); // the waits end by interrupt
            scope.join();
        }
        jobs.close();
        assertStateShown(jobs, "Channel[jobs, buffered(4), closed, ");
    }

    /**
     * A select's send clause on a full buffer waits only for a permit, and is named there; a
     * select with two clauses on one channel is named once; a select that completed on another
     * channel is no longer named.
     */
    @Test
    void waitingSelects_namedOnceWhileTheyWait() throws InterruptedException {
        Channel<String> full = Channel.buffered("full", 1);
        full.send("first");
        Channel<String> twice = Channel.rendezvous("twice");
        Channel<String> other = Channel.rendezvous("other");
        AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(2);
        try (TaskScope scope = TaskScope.open("selects")) {
            scope.fork("sender", () -> {
                threads.set(0, Thread.currentThread());
                return Select.select(onSend(full, "second", () -> "sent"));
            });
            scope.fork("both", () -> {
                threads.set(1, Thread.currentThread());
                return Select.select(onReceive(twice, e -> e), onReceive(twice, e -> e), onReceive(other, e -> e));
            });
            awaitWaiting(threads, 0);
            awaitWaiting(threads, 1);

            assertStateShown(full, "Channel[full, buffered(1), open, senders waiting [" + shown(threads.get(0)) + "], ");
            assertStateShown(twice, "Channel[twice, rendezvous, open, receivers waiting [" + shown(threads.get(1)) + "], ");

            other.send("done"); // the select completes on other, and leaves twice's cells
            assertEquals("first", full.receive());
            scope.join();
            assertFalse(twice.toString().contains("waiting"), twice.toString());
            assertFalse(full.toString().contains("waiting"), full.toString());
        }
    }

    /**
     * Select send clauses waiting for a slot in a permit queue whose pointers both moved (an owed
     * sender was served first): every one is named.
     */
    @Test
    void selectSendClausesAfterAServedDebt_allNamed() throws InterruptedException {
        Channel<String> slots = Channel.buffered("slots", 1);
        slots.send("first");
        Async<Void> owed = Async.startBlocked(() -> {
            slots.send("owed");
            return null;
        });
        assertEquals("first", slots.receive()); // serves the owed sender's debt
        owed.join();
        List<Async<String>> selects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String element = "s" + i;
            selects.add(Async.startBlocked("select-" + i, () -> Select.select(onSend(slots, element, () -> element))));
        }
        assertStateShown(slots, "Channel[slots, buffered(1), open, senders waiting [" + Async.shownAll(selects) + "], ");

        assertEquals("owed", slots.receive());
        Set<String> received = new HashSet<>();
        for (int i = 0; i < selects.size(); i++) {
            received.add(slots.receive());
        }
        Set<String> sent = new HashSet<>();
        for (Async<String> select : selects) {
            sent.add(select.join());
        }
        assertEquals(Set.of("s0", "s1", "s2"), received);
        assertEquals(received, sent);
    }

    /** The channel's name, kind and state first (and who waits), then its ticket counters. */
    private static void assertStateShown(Channel<String> channel, String start) {
        String text = channel.toString();
        assertTrue(text.startsWith(start), text);
        assertTrue(text.contains("senders=") && text.contains("receivers="), text);
    }

    /** Waits, by thread state and without sleeping, until thread {@code i} is forked and waits. */
    private static void awaitWaiting(AtomicReferenceArray<Thread> threads, int i) {
        long deadline = System.nanoTime() + Async.PATIENCE.toNanos();
        while (threads.get(i) == null || threads.get(i).getState() != Thread.State.WAITING) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("thread " + i + " not waiting within " + Async.PATIENCE);
            }
            Thread.yield();
        }
    }

    private static void assertWaitsIn(Thread thread, String name, String simpleClass, String method) {
        StackTraceElement[] stack = thread.getStackTrace();
        String text = Arrays.stream(stack).map(String::valueOf).collect(Collectors.joining("\n  "));
        assertEquals(name, thread.getName());
        boolean found = Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals(method)
                && frame.getClassName().endsWith("." + simpleClass));
        assertTrue(found, name + " waits in " + simpleClass + "." + method + ":\n  " + text);
    }
}
