package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onReceiveOrClosed;
import static io.github.csp4j.select.Select.onSend;
import static io.github.csp4j.select.Select.onTimeout;
import static io.github.csp4j.select.Select.select;
import static io.github.csp4j.select.Select.selectInOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.ChannelKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Edge cases of select that the contract suite reaches only in small numbers: selects with more
 * clauses than the engine first makes room for, many selects that gave up on one channel (more
 * than a segment of its cells), and waits on a buffered send clause behind a segment of owed
 * senders; a closed clause that counts as ready, and the check against both ways on one
 * rendezvous channel. Found as gaps by the PIT mutation run (root pom, profile pit).
 * Deterministic: waits are observed by thread state, and every wait that must time out has no
 * possible partner.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelectEdgeCasesTest {
    private static final int MANY = 11;

    @SuppressWarnings("unchecked")
    private static SelectClause<String>[] receives(List<Channel<String>> channels) {
        SelectClause<String>[] clauses = (SelectClause<String>[]) new SelectClause<?>[channels.size()];
        for (int i = 0; i < channels.size(); i++) {
            int index = i;
            clauses[i] = onReceive(channels.get(i), e -> index + ":" + e);
        }
        return clauses;
    }

    private static List<Channel<String>> channels(ChannelKind kind, int count) {
        List<Channel<String>> channels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            channels.add(kind.create("c" + i));
        }
        return channels;
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void select_manyClausesOnlyTheLastReady_takesIt(ChannelKind kind) throws Exception {
        List<Channel<String>> channels = channels(kind, MANY);
        Channel<String> last = channels.get(MANY - 1);
        if (kind.isRendezvous()) {
            Async<Void> sender = Async.runBlocked(() -> last.send("x"));
            assertEquals((MANY - 1) + ":x", select(receives(channels)));
            sender.join();
        } else {
            assertTrue(last.trySend("x"));
            assertEquals((MANY - 1) + ":x", select(receives(channels)));
        }
        for (Channel<String> channel : channels) {
            assertNull(channel.tryReceive());
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void select_manyClausesWaiting_eachLaterArrivalIsTakenOnceByItsClause(ChannelKind kind) throws Exception {
        List<Channel<String>> channels = channels(kind, MANY);
        for (int target : new int[] {MANY - 1, 0, MANY / 2}) {
            Async<String> selecting = Async.startBlocked(() -> select(receives(channels)));
            Channel<String> chosen = channels.get(target);
            assertTrue(chosen.send("v" + target, Async.PATIENCE));
            assertEquals(target + ":v" + target, selecting.join());
        }
        for (Channel<String> channel : channels) {
            assertNull(channel.tryReceive()); // every losing registration was removed
        }
        // The channels still work one by one after those registrations left them.
        for (int i = 0; i < MANY; i++) {
            Channel<String> channel = channels.get(i);
            Async<String> receiver = Async.startBlocked(channel::receive);
            assertTrue(channel.send("after" + i, Async.PATIENCE));
            assertEquals("after" + i, receiver.join());
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void select_manyClausesAllClosed_throwsNamingEveryChannel(ChannelKind kind) {
        List<Channel<String>> channels = channels(kind, MANY);
        channels.forEach(Channel::close);
        ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> select(receives(channels)));
        for (int i = 0; i < MANY; i++) {
            assertTrue(e.getMessage().contains("c" + i), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void select_manyClausesClosingOneByOneWhileWaiting_throwsOnlyAfterTheLast(ChannelKind kind) throws Exception {
        List<Channel<String>> channels = channels(kind, MANY);
        Async<String> selecting = Async.startBlocked(() -> select(receives(channels)));
        for (int i = 0; i < MANY - 1; i++) {
            channels.get(i).close();
        }
        selecting.awaitBlocked();
        assertFalse(selecting.isDone(), "a select with one open channel ended");
        channels.get(MANY - 1).close();
        assertInstanceOf(ChannelClosedException.class, selecting.joinFailure());
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void select_afterManyTimedOutSelects_channelStillDeliversInOrder(ChannelKind kind) throws Exception {
        Channel<String> ch = kind.create("timed");
        for (int i = 0; i < 100; i++) { // more than three segments of cancelled registrations
            assertEquals("t", select(onReceive(ch, e -> e), onTimeout(Duration.ofNanos(50_000), () -> "t")));
        }
        Async<Void> sender = Async.run(() -> {
            ch.send("a");
            ch.send("b");
        });
        assertEquals("a", select(onReceive(ch, e -> e)));
        assertEquals("b", ch.receive());
        sender.join();
        assertNull(ch.tryReceive());
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void onSend_afterManyTimedOutSendSelects_nothingOfTheirsIsDeliveredAndSendsStillWork(ChannelKind kind)
            throws Exception {
        Channel<String> ch = kind.create("full");
        int capacity = kind.isUnbounded() ? 0 : kind.capacity();
        if (kind.isUnbounded() || capacity > 16) {
            return; // a send clause on these never waits within a test's reach
        }
        for (int i = 0; i < capacity; i++) {
            assertTrue(ch.trySend("b" + i));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("t", select(onSend(ch, "lost", () -> "s"), onTimeout(Duration.ofNanos(50_000), () -> "t")));
        }
        Async<String> selecting = Async.startBlocked(() -> select(onSend(ch, "late", () -> "sent")));
        for (int i = 0; i < capacity; i++) {
            assertEquals("b" + i, ch.receive());
        }
        if (capacity == 0) {
            assertEquals("late", ch.receive());
            assertEquals("sent", selecting.join());
        } else {
            assertEquals("sent", selecting.join());
            assertEquals("late", ch.receive());
        }
        assertNull(ch.tryReceive());
        // The buffer's slots are all free again: exactly capacity elements fit.
        for (int i = 0; i < capacity; i++) {
            assertTrue(ch.trySend("again" + i));
        }
        assertFalse(ch.trySend("extra"));
    }

    @Test
    void onSend_bufferedFullWhileWaitingThenClosed_throwsAndTheElementIsNotDelivered() throws Exception {
        Channel<String> ch = Channel.buffered("one", 1);
        assertTrue(ch.trySend("first"));
        List<Async<String>> selecting = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // more than a segment of waiting send clauses
            int index = i;
            selecting.add(Async.startBlocked(() -> select(onSend(ch, "s" + index, () -> "sent"))));
        }
        assertTrue(ch.close());
        for (Async<String> select : selecting) {
            assertInstanceOf(ChannelClosedException.class, select.joinFailure());
        }
        assertEquals("first", ch.receive());
        assertTrue(ch.isClosedForReceive());
    }

    @Test
    void selector_seededRandom_sameSeedSameChoices() throws Exception {
        List<String> first = choices(new SplittableRandom(42));
        List<String> second = choices(new SplittableRandom(42));
        assertEquals(first, second);
        assertTrue(first.stream().distinct().count() > 1, "the choices never varied: " + first);
    }

    private static List<String> choices(SplittableRandom random) throws InterruptedException {
        List<Channel<String>> channels = channels(ChannelKind.UNBOUNDED, 6);
        Selector<String> selector = Select.selector(random, receives(channels));
        List<String> taken = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            for (Channel<String> channel : channels) {
                assertTrue(channel.trySend("r" + round));
            }
            taken.add(selector.select());
            for (Channel<String> channel : channels) {
                channel.tryReceive(); // drop the elements the select did not take
            }
        }
        return taken;
    }

    @Test
    void selectInOrder_manyClausesEveryOneReady_theFirstListedWins() throws Exception {
        List<Channel<String>> channels = channels(ChannelKind.UNBOUNDED, MANY);
        for (Channel<String> channel : channels) {
            assertTrue(channel.trySend("x"));
        }
        for (int i = 0; i < MANY; i++) {
            assertEquals(i + ":x", selectInOrder(receives(channels)));
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void onReceiveOrClosed_manyClausesOneFailsWhileWaiting_firesWithItsCause(ChannelKind kind) throws Exception {
        List<Channel<String>> channels = channels(kind, MANY);
        RuntimeException cause = new RuntimeException("gone");
        @SuppressWarnings("unchecked")
        SelectClause<Object>[] clauses = (SelectClause<Object>[]) new SelectClause<?>[MANY];
        for (int i = 0; i < MANY; i++) {
            int index = i;
            clauses[i] = onReceiveOrClosed(channels.get(i), (ReceiveResult<String> r) -> index + ":"
                    + (r instanceof ReceiveResult.Closed<String> closed ? closed.cause().getMessage() : "received"));
        }
        Async<Object> selecting = Async.startBlocked(() -> select(clauses));
        channels.get(MANY - 2).fail(cause);
        String outcome = (String) selecting.join();
        assertEquals((MANY - 2) + ":gone", outcome);
    }

    /**
     * A select's send clause waiting in a rendezvous cell is a sender's content at R for a
     * tryReceive on that channel, which takes the element without reading S
     * (CellChannel.tryReceiveNow): the select completes with the send's callback.
     */
    @Test
    void selectSendWaitingOnARendezvousChannel_aTryReceiveTakesItsElement() throws InterruptedException {
        Channel<String> out = Channel.rendezvous("out");
        Channel<String> idle = Channel.rendezvous("idle");
        Async<String> selecting = Async.startBlocked(
                () -> select(onSend(out, "x", () -> "sent"), onReceive(idle, e -> "received " + e)));

        assertEquals("x", out.tryReceive());

        assertEquals("sent", selecting.join());
        assertNull(out.tryReceive(), "taken once");
        assertFalse(idle.trySend("late"), "the receive clause was withdrawn");
    }

    /**
     * A timeout too long or too negative for a long of nanoseconds: documented to never elapse,
     * and (a negative duration) to fire at once if nothing else is ready.
     */
    @Test
    void timeoutBeyondNanoseconds_negativeFiresAtOnce_positiveNeverElapses() throws InterruptedException {
        Channel<String> idle = Channel.rendezvous("idle");
        Duration never = Duration.ofSeconds(Long.MIN_VALUE);
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);

        Async<String> atOnce = Async.start(() -> select(onReceive(idle, e -> e), onTimeout(never, () -> "timed out")));
        try {
            assertTrue(atOnce.awaitDone(Async.PATIENCE), "a negative timeout beyond nanoseconds did not fire");
        } finally {
            idle.close(); // wakes a select that waits, if the timeout did not fire
        }
        assertEquals("timed out", atOnce.join());

        Channel<String> later = Channel.rendezvous("later");
        Async<String> selecting = Async.startBlocked(
                () -> select(onReceive(later, e -> "received " + e), onTimeout(forever, () -> "timed out")));
        later.send("x");
        assertEquals("received x", selecting.join());
    }

    /** A timeout clause saturates at the edges of a long of nanoseconds, as its toString shows. */
    @Test
    void timeoutAtTheEdgesOfNanoseconds_saturates() {
        Duration longest = Duration.ofNanos(Long.MAX_VALUE);
        Duration shortest = Duration.ofNanos(Long.MIN_VALUE);
        String max = "onTimeout(" + Long.MAX_VALUE + " ns)";
        String min = "onTimeout(" + Long.MIN_VALUE + " ns)";

        assertEquals(max, onTimeout(longest, () -> 0).toString());
        assertEquals(max, onTimeout(longest.plusNanos(1), () -> 0).toString());
        assertEquals(min, onTimeout(shortest, () -> 0).toString());
        assertEquals(min, onTimeout(shortest.minusNanos(1), () -> 0).toString());
        assertEquals("onTimeout(-1 ns)", onTimeout(Duration.ofNanos(-1), () -> 0).toString());
    }

    @Test
    void twoDefaultClauses_throwIllegalArgumentNamingBoth() {
        Channel<String> channel = Channel.rendezvous("c");

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> select(Select.orElse(() -> "a"), onReceive(channel, e -> e), Select.orElse(() -> "b")));

        assertTrue(thrown.getMessage().contains("clauses[0] and clauses[2]"), thrown.getMessage());
    }

    /**
     * What a Selector says of itself, for a thread dump or a log (Selector.toString): its channel
     * clauses in order, then the timeout that would fire, then the default clause.
     */
    @Test
    void selectorToString_listsChannelClausesInOrderThenTheEarliestTimeoutAndTheDefault() {
        Channel<String> in = Channel.rendezvous("in");
        Channel<String> out = Channel.buffered("out", 1);

        Selector<String> waiting = Select.selector(onTimeout(Duration.ofMillis(10), () -> "later"),
                onReceive(in, e -> e), onSend(out, "x", () -> "sent"), onTimeout(Duration.ofMillis(5), () -> "late"),
                onReceiveOrClosed(in, r -> "either"));
        Selector<String> polling = Select.selector(Select.orElse(() -> "none"), onReceive(in, e -> e));

        assertEquals("Selector[select(onReceive(" + in + "), onSend(" + out + ", x), onReceiveOrClosed(" + in
                + "), onTimeout(5000000 ns))]", waiting.toString());
        assertEquals("Selector[select(onReceive(" + in + "), orElse)]", polling.toString());
    }

    /**
     * A send clause on a closed channel, or a receive clause on a failed one, counts as ready: the
     * default clause does not run past it, and in selectInOrder a ready clause listed after it
     * is left untouched (an element taken there and then dropped by the throw would be lost).
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void closedClauseCountsAsReady_beforeTheDefaultAndBeforeALaterReadyClause(ChannelKind kind)
            throws InterruptedException {
        Channel<String> closed = kind.create("closed");
        closed.close();
        IllegalStateException cause = new IllegalStateException("broken");
        Channel<String> failed = kind.create("failed");
        failed.fail(cause);
        Channel<String> ready = Channel.buffered("ready", 1);
        assertTrue(ready.trySend("a"));

        assertThrows(ChannelClosedException.class,
                () -> select(onSend(closed, "s", () -> "sent"), Select.orElse(() -> "default")));
        ChannelClosedException failedThrown = assertThrows(ChannelClosedException.class,
                () -> select(onReceive(failed, e -> e), Select.orElse(() -> "default")));
        assertEquals(cause, failedThrown.getCause());
        assertThrows(ChannelClosedException.class,
                () -> selectInOrder(onSend(closed, "s", () -> "sent"), onReceive(ready, e -> e)));
        assertThrows(ChannelClosedException.class,
                () -> selectInOrder(onReceive(failed, e -> e), onReceive(ready, e -> e)));

        assertEquals("a", ready.tryReceive(), "the ready clause after the closed one took nothing");
    }

    /**
     * The check against both ways on one rendezvous channel holds whichever clause comes first,
     * and a select that both sends to and receives from one buffered channel is allowed also when
     * its plan runs (with a timeout clause, which the first poll does not take, so the plan and
     * its check run).
     */
    @Test
    void bothWaysOnOneChannel_rejectedOnRendezvousInEitherOrder_allowedOnBufferedThroughThePlan()
            throws InterruptedException {
        Channel<String> rendezvous = Channel.rendezvous("rv");
        Duration brief = Duration.ofMillis(1); // what a select that was not rejected would wait
        Duration wait = Duration.ofSeconds(10);

        assertThrows(IllegalArgumentException.class, () -> select(onSend(rendezvous, "x", () -> "sent"),
                onReceive(rendezvous, e -> e), onTimeout(brief, () -> "timed out")));
        assertThrows(IllegalArgumentException.class, () -> select(onReceive(rendezvous, e -> e),
                onSend(rendezvous, "x", () -> "sent"), onTimeout(brief, () -> "timed out")));

        Channel<String> buffered = Channel.buffered("buffered", 1);
        assertEquals("sent", select(onReceive(buffered, e -> "received " + e),
                onSend(buffered, "x", () -> "sent"), onTimeout(wait, () -> "timed out")));
        assertEquals("x", buffered.tryReceive());
    }
}
