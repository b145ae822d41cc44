package io.github.csp4j.select;

import static io.github.csp4j.channels.testing.Async.shown;
import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.spi.Selection;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.tasks.TaskScope;
import io.github.csp4j.tasks.TaskScopeTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README, "When a program blocks": what a thread dump and {@code toString()} show of a blocked
 * program. A waiting thread's stack names the channel operation or the select it waits in, under
 * the name its scope gave it; it parks on the channel (its park blocker), or in a select on the
 * selection, whose {@code toString()} names the select's channels. A channel's
 * {@code toString()} names the channel, its kind, whether it is open, and the threads that wait
 * in it, selects included; the scope's names the threads of its running tasks the same way.
 */
@Timeout(60)
class BlockedThreadDiagnosticsTest {

    @Test
    void blockedThreads_stacksNameTheOperationTheyWaitIn() throws InterruptedException {
        Channel<String> jobs = Channel.buffered("jobs", 4);
        Channel<String> replies = Channel.rendezvous("replies");
        Channel<String> idle = Channel.rendezvous("idle");
        try (TaskScope scope = TaskScope.open("shop")) {
            // In order: each takes its tickets before the next starts.
            Thread worker = forkWaiting(scope, "worker", jobs::receive);
            Thread asker = forkWaiting(scope, "asker", () -> {
                replies.send("x");
                return null;
            });
            Thread merger = forkWaiting(scope, "merger",
                    () -> Select.select(onReceive(jobs, e -> e), onReceive(idle, e -> e)));
            Selector<String> selector = Select.selector(onReceive(idle, e -> e));
            Thread looper = forkWaiting(scope, "looper", selector::select);

            assertWaitsIn(worker, "shop/worker", "CellChannel", "receive");
            assertWaitsIn(asker, "shop/asker", "CellChannel", "send");
            assertWaitsIn(merger, "shop/merger", "Select", "select");
            assertWaitsIn(looper, "shop/looper", "Selector", "select");
            // What each parks on, as LockSupport.getBlocker and a thread dump show it. Read once:
            // WAITING (forkWaiting) comes only from the untimed park, after its blocker is set.
            assertSame(jobs, LockSupport.getBlocker(worker));
            assertSame(replies, LockSupport.getBlocker(asker));
            assertEquals("Selection[receive from jobs, receive from idle]",
                    String.valueOf(LockSupport.getBlocker(merger)));
            assertEquals("Selection[receive from idle]",
                    String.valueOf(LockSupport.getBlocker(looper)));
            assertFalse(LockSupport.getBlocker(merger) instanceof Selection, "the SPI is not handed out");
            assertStateShown(jobs, "Channel[jobs, buffered(4), open, receivers waiting ["
                    + shown(worker) + ", " + shown(merger) + "], ");
            assertStateShown(replies, "Channel[replies, rendezvous, open, senders waiting ["
                    + shown(asker) + "], ");
            assertStateShown(idle, "Channel[idle, rendezvous, open, receivers waiting ["
                    + shown(merger) + ", " + shown(looper) + "], ");
            assertEquals("TaskScope[shop, FAIL_FAST, 4 running [" + shown(worker)
                    + " waiting on jobs, " + shown(asker) + " waiting on replies, " + shown(merger)
                    + " waiting in Selection[receive from jobs, receive from idle], " + shown(looper)
                    + " waiting in Selection[receive from idle]]]",
                    scope.toString()); // the threads as the channels name them, and their waits

            scope.cancel(); // the waits end by interrupt
            scope.join();
        }
        jobs.close();
        assertStateShown(jobs, "Channel[jobs, buffered(4), closed, ");
    }

    /**
     * A select's send clause on a full buffer waits only for a permit, and is named there (its
     * thread parks on its selection, which shows the send); a select with two clauses on one
     * channel is named once; a select that completed on another channel is no longer named.
     */
    @Test
    void waitingSelects_namedOnceWhileTheyWait() throws InterruptedException {
        Channel<String> full = Channel.buffered("full", 1);
        full.send("first");
        Channel<String> twice = Channel.rendezvous("twice");
        Channel<String> other = Channel.rendezvous("other");
        try (TaskScope scope = TaskScope.open("selects")) {
            Thread sender = forkWaiting(scope, "sender", () -> Select.select(onSend(full, "second", () -> "sent")));
            Thread both = forkWaiting(scope, "both",
                    () -> Select.select(onReceive(twice, e -> e), onReceive(twice, e -> e), onReceive(other, e -> e)));

            assertStateShown(full, "Channel[full, buffered(1), open, senders waiting [" + shown(sender) + "], ");
            assertEquals("Selection[send to full]", String.valueOf(LockSupport.getBlocker(sender)));
            assertEquals("Selection[receive from twice, receive from twice, receive from other]",
                    String.valueOf(LockSupport.getBlocker(both)));
            assertEquals("TaskScope[selects, FAIL_FAST, 2 running [" + shown(sender)
                    + " waiting in Selection[send to full], " + shown(both)
                    + " waiting in Selection[receive from twice, receive from twice, receive from other]]]",
                    scope.toString());
            assertStateShown(twice, "Channel[twice, rendezvous, open, receivers waiting [" + shown(both) + "], ");

            other.send("done"); // the select completes on other, and leaves twice's cells
            assertEquals("first", full.receive());
            scope.join();
            assertFalse(twice.toString().contains("waiting"), twice.toString());
            assertFalse(full.toString().contains("waiting"), full.toString());
        }
    }

    /**
     * A scope that times out says in its exception what each unfinished task waited in then: a
     * channel, or a select with its clauses.
     */
    @Test
    void scopeTimeout_namesTheChannelOrSelectEachUnfinishedTaskWaitedIn() throws InterruptedException {
        Channel<String> jobs = Channel.buffered("jobs", 4);
        Channel<String> idle = Channel.rendezvous("idle");
        TaskScope scope = TaskScope.builder().name("stuck").timeout(Duration.ofMillis(100)).open();
        forkWaiting(scope, "worker", jobs::receive);
        forkWaiting(scope, "merger", () -> Select.select(onReceive(jobs, e -> e), onSend(idle, "x", () -> "")));

        TaskScopeTimeoutException thrown = assertThrows(TaskScopeTimeoutException.class, scope::join);

        assertEquals(List.of("worker", "merger"), thrown.unfinishedTasks());
        assertEquals(List.of("waiting on jobs", "waiting in Selection[receive from jobs, send to idle]"),
                thrown.unfinishedTaskWaits());
        assertEquals("scope 'stuck' did not finish within PT0.1S; unfinished then: [worker waiting on jobs,"
                + " merger waiting in Selection[receive from jobs, send to idle]]; its tasks were cancelled",
                thrown.getMessage());
        scope.close();
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

    /**
     * Forks {@code body} as task {@code name} of {@code scope} and waits, by thread state and
     * without sleeping, until its thread waits, parked with a blocker (a channel or a selection;
     * a wait for another thread's class initialization has none).
     *
     * @return the task's thread
     */
    private static Thread forkWaiting(TaskScope scope, String name, Callable<?> body) {
        AtomicReference<Thread> thread = new AtomicReference<>();
        scope.fork(name, () -> {
            thread.set(Thread.currentThread());
            return body.call();
        });
        long deadline = System.nanoTime() + Async.PATIENCE.toNanos();
        while (thread.get() == null || thread.get().getState() != Thread.State.WAITING
                || LockSupport.getBlocker(thread.get()) == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " not waiting within " + Async.PATIENCE);
            }
            Thread.yield();
        }
        return thread.get();
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
