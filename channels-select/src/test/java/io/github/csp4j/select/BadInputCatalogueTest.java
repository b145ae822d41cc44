package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;
import static io.github.csp4j.select.Select.onTimeout;
import static io.github.csp4j.select.Select.orElse;
import static io.github.csp4j.select.Select.select;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.tasks.TaskFailedException;
import io.github.csp4j.tasks.TaskScope;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bad-input catalogue: every public method of channels, select and task scopes with every bad
 * argument or misuse we know of, each checked to throw a clear, documented exception that names
 * the problem, and to leave the object usable, or clearly closed. 62 cases:
 *
 * <ul>
 *   <li>channel factories: 9 (capacity 0 and negative, null and blank names);
 *   <li>channel operations: 25 (null elements, timeouts and causes; Duration overflow both ways;
 *       every operation after close and after fail; iteration past the end);
 *   <li>select: 13 (null and empty clause lists, two orElse, orElse with onTimeout, null
 *       arguments of the clause factories, a foreign channel, both directions on one rendezvous
 *       channel, a selector used by two threads);
 *   <li>task scopes: 15 (null and blank scope and task names, bad builder values, fork, join and close from a
 *       foreign thread, join after a failure and again, fork after cancel and after close, join
 *       after close, a channel used after its scope ended).
 * </ul>
 */
@Timeout(60)
class BadInputCatalogueTest {

    /** Asserts that {@code call} throws {@code type} with a message containing every fragment. */
    private static <T extends Throwable> T fails(Class<T> type, Executable call, String... fragments) {
        T thrown = assertThrows(type, call::run);
        for (String fragment : fragments) {
            assertTrue(String.valueOf(thrown.getMessage()).contains(fragment),
                    () -> "message \"" + thrown.getMessage() + "\" lacks \"" + fragment + "\"");
        }
        return thrown;
    }

    /** A call that may throw anything. */
    @FunctionalInterface
    private interface Executable {
        void run() throws Throwable;
    }

    /* ---- channel factories: 9 ---- */

    @Test
    void factories_badCapacitiesAndNames_throwNamingTheValue() {
        fails(IllegalArgumentException.class, () -> Channel.buffered(0), "was 0", "rendezvous()");
        fails(IllegalArgumentException.class, () -> Channel.buffered(-3), "was -3");
        fails(IllegalArgumentException.class, () -> Channel.buffered("q", 0), "was 0");
        fails(NullPointerException.class, () -> Channel.buffered(null, 1), "name");
        fails(IllegalArgumentException.class, () -> Channel.buffered(" ", 1), "blank");
        fails(NullPointerException.class, () -> Channel.rendezvous(null), "name");
        fails(IllegalArgumentException.class, () -> Channel.rendezvous(""), "blank");
        fails(NullPointerException.class, () -> Channel.unbounded(null), "name");
        fails(IllegalArgumentException.class, () -> Channel.unbounded("\t"), "blank");
    }

    /* ---- channel operations: 22 ---- */

    @Test
    void operations_nullArguments_throwNamingTheArgumentAndChangeNothing() throws InterruptedException {
        Channel<String> channel = Channel.buffered("ch", 2);
        fails(NullPointerException.class, () -> channel.send(null), "element");
        fails(NullPointerException.class, () -> channel.send(null, Duration.ofSeconds(1)), "element");
        fails(NullPointerException.class, () -> channel.trySend(null), "element");
        fails(NullPointerException.class, () -> channel.send("x", null), "timeout");
        fails(NullPointerException.class, () -> channel.receive(null), "timeout");
        fails(NullPointerException.class, () -> channel.fail(null), "cause");

        assertNull(channel.tryReceive(), "nothing entered");
        assertFalse(channel.isClosedForSend(), "still open and usable");
        assertTrue(channel.trySend("ok"));
    }

    @Test
    void operations_durationOverflow_saturates() throws InterruptedException {
        Channel<String> channel = Channel.buffered("ch", 1);
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        Duration never = Duration.ofSeconds(Long.MIN_VALUE);

        assertTrue(channel.send("x", forever), "saturated to no deadline, and there was room");
        assertFalse(channel.send("y", never), "saturated to no wait: full");
        assertEquals("x", channel.receive(forever));
        assertNull(channel.receive(never), "saturated to no wait: empty");
    }

    @Test
    void operations_afterClose_throwNamingTheChannelOrReturnFalse() throws InterruptedException {
        Channel<String> channel = Channel.buffered("closing", 2);
        channel.send("left");
        assertTrue(channel.close());

        fails(ChannelClosedException.class, () -> channel.send("x"), "closing");
        fails(ChannelClosedException.class, () -> channel.trySend("x"), "closing");
        fails(ChannelClosedException.class, () -> channel.send("x", Duration.ofSeconds(1)), "closing");
        assertFalse(channel.close(), "second close");
        assertFalse(channel.fail(new RuntimeException()), "fail after close");
        assertEquals("left", channel.receive(), "buffered elements are still delivered");
        fails(ChannelClosedException.class, channel::receive, "closing");
        fails(ChannelClosedException.class, channel::tryReceive, "closing");
        Iterator<String> iterator = channel.iterator();
        assertFalse(iterator.hasNext());
        fails(NoSuchElementException.class, iterator::next, "closing");
    }

    @Test
    void operations_afterFail_throwWithTheCause() {
        Channel<String> channel = Channel.unbounded("failing");
        channel.trySend("discarded");
        IllegalStateException cause = new IllegalStateException("upstream broke");
        assertTrue(channel.fail(cause));

        assertSame(cause, fails(ChannelClosedException.class, () -> channel.send("x"), "failing").getCause());
        assertSame(cause, fails(ChannelClosedException.class, channel::receive, "failing").getCause());
        assertSame(cause, fails(ChannelClosedException.class, channel::tryReceive, "failing").getCause());
        assertSame(cause, fails(ChannelClosedException.class, () -> channel.iterator().hasNext(), "failing").getCause());
        assertTrue(channel.isClosedForReceive(), "clearly closed");
    }

    /* ---- select: 14 ---- */

    @Test
    @SuppressWarnings("unchecked")
    void select_badClauseLists_throwNamingTheProblem() {
        Channel<String> channel = Channel.rendezvous("rdv");
        SelectClause<String> receive = onReceive(channel, e -> e);
        fails(NullPointerException.class, () -> select((SelectClause<String>[]) null), "clauses");
        fails(NullPointerException.class, () -> select(receive, null), "clauses[1]");
        fails(IllegalArgumentException.class, () -> select(), "at least one");
        fails(IllegalArgumentException.class, () -> select(orElse(() -> "a"), orElse(() -> "b")), "two");
        fails(IllegalArgumentException.class, () -> select(orElse(() -> "a"), onTimeout(Duration.ZERO, () -> "t")), "orElse and onTimeout");
        fails(IllegalArgumentException.class, () -> select(receive, onSend(channel, "x", () -> "s")), "'rdv'", "both send");
        fails(IllegalArgumentException.class, () -> select(onReceive(new ForeignReceiveChannel(), e -> e)), "not a csp4j channel");
        assertTrue(channel.trySend("x") == false, "the channel is untouched: nobody waits on it");
    }

    @Test
    void select_nullClauseArguments_throwNamingTheArgument() {
        Channel<String> channel = Channel.rendezvous();
        fails(NullPointerException.class, () -> onReceive(null, e -> e), "channel");
        fails(NullPointerException.class, () -> onReceive(channel, null), "then");
        fails(NullPointerException.class, () -> onSend(channel, null, () -> 1), "element");
        fails(NullPointerException.class, () -> onTimeout(null, () -> 1), "after");
        fails(NullPointerException.class, () -> orElse(null), "then");
    }

    @Test
    void selector_usedByTwoThreads_throwsAndStaysUsable() throws InterruptedException {
        Channel<String> channel = Channel.rendezvous("ch");
        Selector<String> selector = Select.selector(onReceive(channel, e -> e));
        Async<String> first = Async.startBlocked(selector::select);

        fails(IllegalStateException.class, selector::select, "one thread at a time");

        channel.send("x");
        assertEquals("x", first.join());
        Async<String> again = Async.startBlocked(selector::selectInOrder); // the same selector, in turn
        channel.send("y");
        assertEquals("y", again.join());
        assertEquals("default", Select.selector(onReceive(channel, e -> e), orElse(() -> "default")).select());
    }

    /* ---- task scopes: 13 ---- */

    @Test
    void scopes_badNamesAndOptions_throwNamingTheValue() {
        fails(NullPointerException.class, () -> TaskScope.open(null), "name");
        fails(IllegalArgumentException.class, () -> TaskScope.open(" "), "blank");
        fails(IllegalArgumentException.class, () -> TaskScope.builder().timeout(Duration.ofSeconds(-1)), "PT-1S");
        fails(IllegalArgumentException.class, () -> TaskScope.builder().maxConcurrency(-2), "was -2");
        fails(NullPointerException.class, () -> TaskScope.builder().policy(null), "policy");
    }

    @Test
    void scopes_misuse_throwsTheDocumentedExceptionNamingTheScope() throws InterruptedException {
        TaskScope scope = TaskScope.open("catalogue");
        fromAnotherThread(() -> scope.fork(() -> 1), "fork", "catalogue");
        fromAnotherThread(scope::join, "join", "catalogue");
        fromAnotherThread(scope::close, "close", "catalogue");
        scope.fork(() -> {
            throw new IllegalStateException("task failure");
        });
        fails(NullPointerException.class, () -> scope.fork(null, () -> 1), "task name");
        TaskFailedException first = fails(TaskFailedException.class, scope::join, "catalogue");
        assertSame(first, assertThrows(TaskFailedException.class, scope::join), "join twice: the same exception");
        fails(IllegalStateException.class, () -> scope.fork(() -> 1), "cancelled");
        scope.close();
        fails(IllegalStateException.class, () -> scope.fork(() -> 1), "closed");
        fails(IllegalStateException.class, scope::join, "closed");
    }

    @Test
    void channelOfAProducer_usedAfterItsScopeEnded_deliversWhatWasSentThenReportsClosed() throws InterruptedException {
        ReceiveChannel<Integer> numbers;
        try (TaskScope scope = TaskScope.open("short-lived")) {
            numbers = scope.produce("numbers", 4, out -> {
                out.send(1);
                out.send(2);
            });
            scope.join();
        }

        assertEquals(1, numbers.receive());
        assertEquals(2, numbers.receive());
        fails(ChannelClosedException.class, numbers::receive, "numbers");
    }

    private static void fromAnotherThread(Async.ThrowingRunnable call, String... fragments) {
        Throwable thrown = Async.run(call).joinFailure();
        assertTrue(thrown instanceof WrongThreadException, () -> "expected WrongThreadException, got " + thrown);
        for (String fragment : fragments) {
            assertTrue(thrown.getMessage().contains(fragment), thrown.getMessage());
        }
    }
}
