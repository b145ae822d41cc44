package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.tasks.TaskScope;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README, "When a program blocks": what a thread dump and {@code toString()} show of a blocked
 * program. A waiting thread's stack names the channel operation or the select it waits in, under
 * the name its scope gave it, and a channel's {@code toString()} names the channel, its kind and
 * whether it is open.
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
            scope.fork("asker", () -> {
                threads.set(1, Thread.currentThread());
                replies.send("x");
                return null;
            });
            scope.fork("merger", () -> {
                threads.set(2, Thread.currentThread());
                return Select.select(onReceive(jobs, e -> e), onReceive(idle, e -> e));
            });
            Selector<String> selector = Select.selector(onReceive(idle, e -> e));
            scope.fork("looper", () -> {
                threads.set(3, Thread.currentThread());
                return selector.select();
            });
            for (int i = 0; i < threads.length(); i++) {
                awaitWaiting(threads, i);
            }

            assertWaitsIn(threads.get(0), "shop/worker", "CellChannel", "receive");
            assertWaitsIn(threads.get(1), "shop/asker", "CellChannel", "send");
            assertWaitsIn(threads.get(2), "shop/merger", "Select", "select");
            assertWaitsIn(threads.get(3), "shop/looper", "Selector", "select");
            assertStateShown(jobs, "Channel[jobs, buffered(4), open, ");
            assertStateShown(replies, "Channel[replies, rendezvous, open, ");
            assertTrue(scope.toString().contains("shop") && scope.toString().contains("4 running"),
                    scope.toString());

            scope.cancel(); // the waits end by interrupt
            scope.join();
        }
        jobs.close();
        assertStateShown(jobs, "Channel[jobs, buffered(4), closed, ");
    }

    /** The channel's name, kind and state first, then its ticket counters. */
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
