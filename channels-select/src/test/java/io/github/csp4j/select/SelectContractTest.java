package io.github.csp4j.select;

import static io.github.csp4j.channels.testing.Mixed.mix;
import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onReceiveOrClosed;
import static io.github.csp4j.select.Select.onSend;
import static io.github.csp4j.select.Select.onTimeout;
import static io.github.csp4j.select.Select.orElse;
import static io.github.csp4j.select.Select.select;
import static io.github.csp4j.select.Select.selectInOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.testing.ChannelKind;
import io.github.csp4j.channels.testing.UnreadableException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.ReceiveResult;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every documented behaviour of {@link Select}, over every channel kind. A clause is "ready" on a
 * rendezvous channel when a peer is blocked on it, and on a buffered or unbounded channel when an
 * element is buffered (receive) or there is room (send).
 */
@Timeout(60)
class SelectContractTest {

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    @interface EveryKind {}

    /** Makes {@code element} ready to receive from {@code channel}: buffered, or a blocked sender. */
    private static Async<Void> offer(ChannelKind kind, Channel<String> channel, String element) throws InterruptedException {
        if (kind.isRendezvous()) {
            return Async.runBlocked(() -> channel.send(element));
        }
        channel.send(element);
        return null;
    }

    /** {@return a channel of {@code kind} whose buffer holds 0, 1, ... up to its capacity: full} */
    private static Channel<Integer> filled(ChannelKind kind, String name) throws InterruptedException {
        Channel<Integer> channel = kind.create(name);
        for (int i = 0; i < kind.capacity(); i++) {
            channel.send(i);
        }
        return channel;
    }

    /* ---- exactly one clause ---- */

    @EveryKind
    void select_twoReadyReceives_consumesExactlyOneAndLeavesTheOther(ChannelKind kind) throws InterruptedException {
        Channel<String> a = kind.create("a");
        Channel<String> b = kind.create("b");
        Async<Void> senderA = offer(kind, a, "x");
        Async<Void> senderB = offer(kind, b, "y");

        String got = select(onReceive(a, e -> "a:" + e), onReceive(b, e -> "b:" + e));

        Channel<String> other = got.startsWith("a") ? b : a;
        assertEquals(got.startsWith("a") ? "a:x" : "b:y", got);
        assertEquals(got.startsWith("a") ? "y" : "x", other.tryReceive(), "the losing channel still holds its element");
        Channel<String> won = got.startsWith("a") ? a : b;
        assertNull(won.tryReceive(), "the winner's element was taken once");
        if (senderA != null) {
            senderA.join();
            senderB.join();
        }
    }

    @EveryKind
    void select_waiting_takesOnlyTheFirstArrivalAndUnregistersTheRest(ChannelKind kind) throws InterruptedException {
        Channel<String> a = kind.create("a");
        Channel<String> b = kind.create("b");
        Async<String> selecting = Async.startBlocked(() -> select(onReceive(a, e -> "a:" + e), onReceive(b, e -> "b:" + e)));

        a.send("x");

        assertEquals("a:x", selecting.join());
        assertFalse(b.trySend("y") && kind.isRendezvous(), "no receiver may be left registered on b");
        if (!kind.isRendezvous()) {
            assertEquals("y", b.tryReceive(), "b's element is still there for the next receiver");
        }
    }

    @EveryKind
    void select_sendAndReceiveBothReady_completesExactlyOne(ChannelKind kind) throws InterruptedException {
        Channel<String> in = kind.create("in");
        Channel<String> out = kind.create("out");
        Async<Void> sender = offer(kind, in, "x");
        Async<String> receiver = kind.isRendezvous() ? Async.startBlocked(out::receive) : null;

        String got = select(onReceive(in, e -> "received " + e), onSend(out, "y", () -> "sent"));

        if (got.equals("sent")) {
            assertEquals("x", in.tryReceive(), "the receive clause lost: its element stays");
            assertEquals("y", receiver != null ? receiver.join() : out.tryReceive());
            if (sender != null) {
                sender.join();
            }
        } else {
            assertEquals("received x", got);
            assertNull(out.tryReceive(), "the send clause lost: nothing was sent");
            if (receiver != null) {
                out.send("z"); // release the receiver
                assertEquals("z", receiver.join());
                sender.join();
            }
        }
    }

    @EveryKind
    void select_sendClause_deliversTheElementToAReceiver(ChannelKind kind) throws InterruptedException {
        Channel<String> out = kind.create("out");
        Async<String> receiver = Async.startBlocked(out::receive);

        assertEquals("sent", select(onSend(out, "x", () -> "sent")));

        assertEquals("x", receiver.join());
    }

    @EveryKind
    void select_sendClauseWaitingForRoom_completesWhenAReceiverTakes(ChannelKind kind) throws InterruptedException {
        assumeTrue(!kind.isUnbounded(), "an unbounded channel always has room");
        Channel<Integer> out = filled(kind, "out");
        Async<String> selecting = Async.startBlocked(() -> select(onSend(out, -1, () -> "sent")));

        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(i, out.receive());
        }
        if (kind.isRendezvous()) {
            assertEquals(-1, out.receive());
            assertEquals("sent", selecting.join());
        } else {
            assertEquals("sent", selecting.join());
            assertEquals(-1, out.receive());
        }
    }

    /* ---- both sides select ---- */

    @EveryKind
    void select_selectingSenderMeetsSelectingReceiver(ChannelKind kind) throws InterruptedException {
        Channel<Integer> channel = kind.create("both");
        Channel<Integer> idleForReceiver = kind.create("idle-r");
        Channel<Integer> idleForSender = kind.create("idle-s");
        int count = 2_000;
        Async<Long> receiver = Async.start(() -> {
            long sum = 0;
            for (int i = 0; i < count; i++) {
                sum += select(onReceive(channel, e -> e), onReceive(idleForReceiver, e -> -1_000_000));
            }
            return sum;
        });
        Async<Void> sender = Async.run(() -> {
            for (int i = 0; i < count; i++) {
                int element = i;
                String how = select(onSend(channel, element, () -> "sent"), onReceive(idleForSender, e -> "idle"));
                assertEquals("sent", how);
            }
        });
        sender.join();
        assertEquals((long) count * (count - 1) / 2, receiver.join());
        assertFalse(idleForReceiver.trySend(1) && kind.isRendezvous(), "no select left registered");
    }

    /* ---- closed channels ---- */

    @EveryKind
    void onReceive_closedAndDrained_isSkipped(ChannelKind kind) throws InterruptedException {
        Channel<String> closed = kind.create("closed");
        Channel<String> open = kind.create("open");
        closed.close();
        Async<Void> sender = offer(kind, open, "x");

        assertEquals("open:x", select(onReceive(closed, e -> "closed:" + e), onReceive(open, e -> "open:" + e)));
        if (sender != null) {
            sender.join();
        }
    }

    @EveryKind
    void onReceive_closedWithElementsLeft_stillReceivesThem(ChannelKind kind) throws InterruptedException {
        assumeTrue(!kind.isRendezvous(), "only buffered elements outlive close");
        Channel<String> channel = kind.create("closing");
        channel.send("x");
        channel.close();

        assertEquals("x", select(onReceive(channel, e -> e)));
        assertThrows(ChannelClosedException.class, () -> select(onReceive(channel, e -> e)));
    }

    @EveryKind
    void onReceive_closedWhileWaiting_isSkippedAndTheSelectWaitsOn(ChannelKind kind) throws InterruptedException {
        Channel<String> closing = kind.create("closing");
        Channel<String> open = kind.create("open");
        Async<String> selecting = Async.startBlocked(
                () -> select(onReceive(closing, e -> "closing:" + e), onReceive(open, e -> "open:" + e)));

        closing.close();
        open.send("x");

        assertEquals("open:x", selecting.join());
    }

    @EveryKind
    void select_everyReceiveClauseClosed_throwsEvenWithTimeoutOrDefault(ChannelKind kind) {
        Channel<String> a = kind.create("a");
        Channel<String> b = kind.create("b");
        a.close();
        b.close();

        ChannelClosedException plain = assertThrows(ChannelClosedException.class,
                () -> select(onReceive(a, e -> e), onReceive(b, e -> e)));
        assertThrows(ChannelClosedException.class,
                () -> select(onReceive(a, e -> e), onReceive(b, e -> e), onTimeout(Duration.ofSeconds(10), () -> "t")));
        assertThrows(ChannelClosedException.class,
                () -> select(onReceive(a, e -> e), onReceive(b, e -> e), orElse(() -> "default")));
        assertNull(plain.getCause());
        assertEquals("a, b", plain.channelName(), "the channels' names, joined by \", \"");
        assertTrue(plain.getMessage().contains("a, b"), plain.getMessage());
    }

    @EveryKind
    void select_everyReceiveClauseClosesWhileWaiting_throws(ChannelKind kind) throws InterruptedException {
        Channel<String> a = kind.create("a");
        Channel<String> b = kind.create("b");
        Async<String> selecting = Async.startBlocked(() -> select(
                onReceive(a, e -> e), onReceive(b, e -> e), onTimeout(Duration.ofHours(1), () -> "timeout")));

        a.close();
        b.close();

        ChannelClosedException thrown = assertInstanceOf(ChannelClosedException.class, selecting.joinFailure());
        assertEquals("a, b", thrown.channelName(), "the channels' names, joined by \", \"");
    }

    @EveryKind
    void onReceive_failedChannel_throwsWithCauseNamingTheChannel(ChannelKind kind) {
        Channel<String> failed = kind.create("failed-one");
        Channel<String> open = kind.create("open");
        IllegalStateException cause = new IllegalStateException("boom");
        failed.fail(cause);

        ChannelClosedException thrown = assertThrows(ChannelClosedException.class,
                () -> select(onReceive(failed, e -> e), onReceive(open, e -> e)));

        assertSame(cause, thrown.getCause());
        assertTrue(thrown.getMessage().contains("failed-one"), thrown.getMessage());
    }

    /**
     * A failed channel whose cause's toString() throws: the select throws ChannelClosedException
     * with that cause (found by the select's first poll, before any clause registers;
     * SelectionEdgeCasesTest has the failure found at a registration).
     */
    @EveryKind
    void onReceive_failedChannelWithAnUnreadableCause_throwsClosedWithTheCause(ChannelKind kind) {
        Channel<String> open = kind.create("open");
        Channel<String> failed = kind.create("failed-one");
        Exception cause = new UnreadableException();
        failed.fail(cause);

        ChannelClosedException thrown = assertThrows(ChannelClosedException.class,
                () -> selectInOrder(onReceive(open, e -> e), onReceive(failed, e -> e)));

        assertSame(cause, thrown.getCause());
        assertTrue(thrown.getMessage().contains("failed-one"), thrown.getMessage());
    }

    @EveryKind
    void onReceive_failsWhileWaiting_throwsWithCause(ChannelKind kind) throws InterruptedException {
        Channel<String> failing = kind.create("failing");
        Channel<String> open = kind.create("open");
        Async<String> selecting = Async.startBlocked(() -> select(onReceive(failing, e -> e), onReceive(open, e -> e)));
        IllegalStateException cause = new IllegalStateException("boom");

        failing.fail(cause);

        Throwable thrown = selecting.joinFailure();
        assertInstanceOf(ChannelClosedException.class, thrown);
        assertSame(cause, thrown.getCause());
    }

    @EveryKind
    void onSend_closedChannel_throws(ChannelKind kind) {
        Channel<String> closed = kind.create("closed-out");
        closed.close();

        ChannelClosedException thrown = assertThrows(ChannelClosedException.class,
                () -> select(onSend(closed, "x", () -> "sent")));
        assertTrue(thrown.getMessage().contains("closed-out"), thrown.getMessage());
    }

    @EveryKind
    void onSend_failedChannel_throwsWithCauseNamingTheChannel(ChannelKind kind) {
        Channel<String> failed = kind.create("failed-out");
        IllegalStateException cause = new IllegalStateException("boom");
        failed.fail(cause);

        ChannelClosedException thrown = assertThrows(ChannelClosedException.class,
                () -> select(onSend(failed, "x", () -> "sent"), onReceive(kind.<String>create("idle"), e -> e)));

        assertSame(cause, thrown.getCause());
        assertTrue(thrown.getMessage().contains("failed-out"), thrown.getMessage());
    }

    @EveryKind
    void onSend_failsWhileWaiting_throwsWithCause(ChannelKind kind) throws InterruptedException {
        assumeTrue(!kind.isUnbounded(), "a send to an unbounded channel never waits");
        Channel<Integer> out = filled(kind, "out");
        Channel<Integer> idle = kind.create("idle");
        Async<String> selecting = Async.startBlocked(() -> select(onSend(out, -1, () -> "sent"), onReceive(idle, e -> "idle")));
        IllegalStateException cause = new IllegalStateException("boom");

        out.fail(cause);

        Throwable thrown = selecting.joinFailure();
        assertInstanceOf(ChannelClosedException.class, thrown);
        assertSame(cause, thrown.getCause());
        assertTrue(thrown.getMessage().contains("out"), thrown.getMessage());
        if (kind.isRendezvous()) {
            assertFalse(idle.trySend(1), "no receiver left registered on idle");
        }
    }

    @EveryKind
    void onSend_closedWhileWaiting_throwsAndTheElementIsNotSent(ChannelKind kind) throws InterruptedException {
        assumeTrue(!kind.isUnbounded(), "a send to an unbounded channel never waits");
        Channel<Integer> out = filled(kind, "out");
        Channel<Integer> idle = kind.create("idle");
        Async<String> selecting = Async.startBlocked(() -> select(onSend(out, -1, () -> "sent"), onReceive(idle, e -> "idle")));

        out.close();

        assertInstanceOf(ChannelClosedException.class, selecting.joinFailure());
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(i, out.receive(), "buffered before the close, still delivered");
        }
        assertThrows(ChannelClosedException.class, out::receive, "the select's element was never accepted");
    }

    @EveryKind
    void onReceiveOrClosed_closedFiresWithClosedResult_failedWithCause(ChannelKind kind) throws InterruptedException {
        Channel<String> closed = kind.create("closed");
        Channel<String> failed = kind.create("failed");
        closed.close();
        RuntimeException cause = new RuntimeException("boom");
        failed.fail(cause);

        ReceiveResult<String> plain = select(onReceiveOrClosed(closed, Function.identity()));
        ReceiveResult<String> failure = select(onReceiveOrClosed(failed, Function.identity()));

        assertNull(assertInstanceOf(ReceiveResult.Closed.class, plain).cause());
        assertSame(cause, assertInstanceOf(ReceiveResult.Closed.class, failure).cause());
    }

    @EveryKind
    void onReceiveOrClosed_closesWhileWaiting_fires(ChannelKind kind) throws InterruptedException {
        Channel<String> closing = kind.create("closing");
        Channel<String> idle = kind.create("idle");
        Async<ReceiveResult<String>> selecting = Async.startBlocked(
                () -> select(onReceiveOrClosed(closing, Function.identity()), onReceive(idle, ReceiveResult.Received::new)));

        closing.close();

        assertInstanceOf(ReceiveResult.Closed.class, selecting.join());
    }

    @EveryKind
    void onReceiveOrClosed_element_firesWithReceived(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");
        Async<Void> sender = offer(kind, channel, "x");

        ReceiveResult<String> result = select(onReceiveOrClosed(channel, Function.identity()));

        assertEquals(new ReceiveResult.Received<>("x"), result);
        if (sender != null) {
            sender.join();
        }
    }

    @Test
    void select_mergeLoop_endsWhenEveryChannelIsClosed() throws InterruptedException {
        Channel<String> orders = Channel.buffered("orders", 4);
        Channel<String> refunds = Channel.rendezvous("refunds");
        Async<Void> producer = Async.run(() -> {
            orders.send("1");
            refunds.send("2");
            orders.send("3");
            orders.close();
            refunds.close();
        });

        List<String> log = SelectSnippets.merge(orders, refunds);

        producer.join();
        assertEquals(List.of("order 1", "refund 2", "order 3"), log.stream().sorted(
                (x, y) -> x.substring(x.indexOf(' ')).compareTo(y.substring(y.indexOf(' ')))).toList());
    }

    /* ---- interruption and timeouts ---- */

    /**
     * Through the first poll (a plain receive) and where the plan runs (a timeout, a closed-aware
     * receive), in a select and in a selector.
     */
    @EveryKind
    void select_interruptedOnEntry_throwsAndConsumesNothing(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");
        Async<Void> sender = offer(kind, channel, "x");
        List<Callable<String>> selects = List.of(
                () -> select(onReceive(channel, e -> e)),
                () -> select(onReceive(channel, e -> e), onTimeout(Duration.ofHours(1), () -> "t")),
                () -> select(onReceiveOrClosed(channel, r -> "result")),
                () -> Select.selector(onReceiveOrClosed(channel, r -> "result")).select(),
                () -> Select.selector(onReceive(channel, e -> e), onTimeout(Duration.ofHours(1), () -> "t")).select(),
                () -> selectInOrder(onReceive(channel, e -> e)),
                () -> Select.selector(onReceive(channel, e -> e)).selectInOrder());

        for (Callable<String> selectCall : selects) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, selectCall::call);
            assertFalse(Thread.currentThread().isInterrupted(), "interrupt status cleared");
        }

        assertEquals("x", channel.receive(), "nothing was consumed");
        if (sender != null) {
            sender.join();
        }
    }

    @EveryKind
    void select_clauseCompletedWithTheInterrupt_returnsItsResultWithTheStatusSet(ChannelKind kind) throws InterruptedException {
        Channel<String> idle = kind.create("idle");
        for (int round = 0; round < 3; round++) {
            Channel<String> channel = kind.create("ch");
            Selector<String> selector = Select.selector(onReceive(channel, e -> "got " + e), onReceive(idle, e -> e));
            CountDownLatch interrupted = new CountDownLatch(1);
            int which = round;
            Async<String> selecting = Async.startBlocked(() -> {
                String result = which == 0
                        ? select(onReceive(channel, e -> "got " + e), onReceive(idle, e -> e))
                        : which == 1 ? selector.select() : selector.selectInOrder();
                Async.spinUntil(interrupted);
                return result;
            });

            channel.send("x"); // completes the select's clause
            selecting.interrupt();
            interrupted.countDown();

            assertEquals("got x", selecting.join(), "round " + round);
            assertTrue(selecting.interruptedAtEnd(), "round " + round + ": the interrupt status is still set");
            assertNull(channel.tryReceive(), "round " + round + ": x was taken once");
        }
    }

    @EveryKind
    void select_sendClauseCompletedWithTheInterrupt_returnsItsResultWithTheStatusSet(ChannelKind kind) throws InterruptedException {
        assumeTrue(!kind.isUnbounded(), "a send to an unbounded channel never waits");
        Channel<Integer> out = filled(kind, "out");
        Channel<Integer> idle = kind.create("idle");
        CountDownLatch interrupted = new CountDownLatch(1);
        Async<String> selecting = Async.startBlocked(() -> {
            String result = select(onSend(out, -1, () -> "sent"), onReceive(idle, e -> "idle"));
            Async.spinUntil(interrupted);
            return result;
        });

        List<Integer> received = new ArrayList<>();
        received.add(out.receive()); // makes room, or meets the rendezvous sender
        selecting.interrupt();
        interrupted.countDown();

        assertEquals("sent", selecting.join());
        assertTrue(selecting.interruptedAtEnd(), "the interrupt status is still set");
        for (Integer e = out.tryReceive(); e != null; e = out.tryReceive()) {
            received.add(e);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < kind.capacity(); i++) {
            expected.add(i);
        }
        expected.add(-1);
        assertEquals(expected, received, "every element once, in order, the select's last");
    }

    @EveryKind
    void select_interruptedWhileWaiting_throwsAndLeavesNoRegistration(ChannelKind kind) throws InterruptedException {
        Channel<String> a = kind.create("a");
        Channel<String> b = kind.create("b");
        Async<String> selecting = Async.startBlocked(() -> select(onReceive(a, e -> e), onReceive(b, e -> e)));

        selecting.interrupt();

        assertInstanceOf(InterruptedException.class, selecting.joinFailure());
        assertFalse(selecting.interruptedAtEnd(), "interrupt status cleared");
        if (kind.isRendezvous()) {
            assertFalse(a.trySend("x"), "no receiver left registered on a");
            assertFalse(b.trySend("y"), "no receiver left registered on b");
        } else {
            a.send("x");
            assertEquals("x", a.tryReceive(), "the element went to nobody else");
        }
    }

    @EveryKind
    void selectInOrderAndSelector_interruptedWhileWaiting_throwAndLeaveNoRegistration(ChannelKind kind)
            throws InterruptedException {
        Channel<String> a = kind.create("a");
        Channel<String> b = kind.create("b");
        Selector<String> selector = Select.selector(onReceive(a, e -> e), onReceive(b, e -> e));
        List<Callable<String>> selects = List.of(
                () -> selectInOrder(onReceive(a, e -> e), onReceive(b, e -> e)),
                selector::select,
                selector::selectInOrder);

        for (int i = 0; i < selects.size(); i++) {
            Async<String> selecting = Async.startBlocked(selects.get(i));

            selecting.interrupt();

            assertInstanceOf(InterruptedException.class, selecting.joinFailure(), "select " + i);
            assertFalse(selecting.interruptedAtEnd(), "select " + i + ": interrupt status cleared");
            if (kind.isRendezvous()) {
                assertFalse(a.trySend("x"), "select " + i + ": no receiver left registered on a");
                assertFalse(b.trySend("y"), "select " + i + ": no receiver left registered on b");
            } else {
                a.send("x");
                assertEquals("x", a.tryReceive(), "select " + i + ": the element went to nobody else");
            }
        }
    }

    @EveryKind
    void select_sendInterruptedWhileWaiting_sendsNothing(ChannelKind kind) throws InterruptedException {
        assumeTrue(!kind.isUnbounded(), "a send to an unbounded channel never waits");
        Channel<Integer> out = filled(kind, "out");
        Async<String> selecting = Async.startBlocked(() -> select(onSend(out, -1, () -> "sent")));

        selecting.interrupt();

        assertInstanceOf(InterruptedException.class, selecting.joinFailure());
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(i, out.receive());
        }
        assertNull(out.receive(Duration.ofMillis(1)), "the interrupted select sent nothing");
    }

    @EveryKind
    void onTimeout_nothingArrives_firesAfterAtLeastItsDuration(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");
        Duration after = Duration.ofMillis(20);
        long start = System.nanoTime();

        String got = select(onReceive(channel, e -> e), onTimeout(after, () -> "timeout"));

        assertEquals("timeout", got);
        assertTrue(System.nanoTime() - start >= after.toNanos(), "fired early");
        channel.trySend("x");
        assertEquals(kind.isRendezvous() ? null : "x", channel.tryReceive(), "no receiver left registered");
    }

    @Test
    void onTimeout_several_theEarliestFires() throws InterruptedException {
        Channel<String> channel = Channel.rendezvous();

        String got = select(onTimeout(Duration.ofHours(1), () -> "hour"), onReceive(channel, e -> e),
                onTimeout(Duration.ofMillis(5), () -> "5 ms"), onTimeout(Duration.ofSeconds(30), () -> "30 s"));

        assertEquals("5 ms", got);
    }

    @Test
    void onTimeout_equalDurations_theFirstListedFires() throws InterruptedException {
        Channel<String> channel = Channel.rendezvous();
        Duration after = Duration.ofMillis(2);

        for (int i = 0; i < 20; i++) { // select's random order covers the channel clauses only
            assertEquals("first", select(onTimeout(after, () -> "first"), onTimeout(after, () -> "second")));
            assertEquals("first", select(onReceive(channel, e -> e), onTimeout(after, () -> "first"),
                    onTimeout(after, () -> "second")));
        }
        assertEquals("first", Select.selector(onTimeout(after, () -> "first"), onTimeout(after, () -> "second")).select());
    }

    /**
     * A duration too long for a long of nanoseconds never elapses: here the one a select of
     * timeouts alone waits with, whatever {@link System#nanoTime()} reads (which may be negative).
     */
    @Test
    void onTimeout_tooLongAlone_neverElapses_evenWithANegativeClock() throws InterruptedException {
        long noDeadline = io.github.csp4j.channels.spi.Selection.NO_DEADLINE;
        for (long now : new long[] {-1, -1_000_000_000L, Long.MIN_VALUE, 0, 1, Long.MAX_VALUE - 1}) {
            assertEquals(Long.MAX_VALUE, Plan.remaining(noDeadline, now), "no deadline at nanoTime " + now);
        }
        Async<Void> sleeping = Async.startBlocked(() -> {
            Plan.sleepUntil(noDeadline, () -> -1_000_000_000L); // returns only if it fired
            return null;
        });
        sleeping.interrupt(); // the only way out of a wait that never elapses
        assertInstanceOf(InterruptedException.class, sleeping.joinFailure());
        assertEquals(60, Plan.remaining(100, 40));
        assertEquals(-60, Plan.remaining(40, 100));
        assertEquals(11, Plan.remaining(Long.MIN_VALUE + 5, Long.MAX_VALUE - 5), "a deadline past the wrap");
    }

    @Test
    void onTimeout_alone_waitsThenFires() throws InterruptedException {
        long start = System.nanoTime();

        assertEquals("t", select(onTimeout(Duration.ofMillis(5), () -> "t")));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(5).toNanos());
    }

    @EveryKind
    void onTimeout_zeroOrNegative_firesAtOnceUnlessAClauseIsReady(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");

        assertEquals("t", select(onReceive(channel, e -> e), onTimeout(Duration.ZERO, () -> "t")));
        assertEquals("t", select(onReceive(channel, e -> e), onTimeout(Duration.ofSeconds(-1), () -> "t")));
        Async<Void> sender = offer(kind, channel, "x");
        assertEquals("x", select(onReceive(channel, e -> e), onTimeout(Duration.ZERO, () -> "t")));
        if (sender != null) {
            sender.join();
        }
    }

    @EveryKind
    void orElse_nothingReady_runsTheDefault(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");

        assertEquals("default", select(onReceive(channel, e -> e), orElse(() -> "default")));
        Async<Void> sender = offer(kind, channel, "x");
        assertEquals("x", select(onReceive(channel, e -> e), orElse(() -> "default")));
        if (sender != null) {
            sender.join();
        }
    }

    @EveryKind
    void orElse_ignoresTheInterruptStatus(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");
        Async<Void> sender = offer(kind, channel, "x");
        try {
            Thread.currentThread().interrupt();
            assertEquals("x", select(onReceive(channel, e -> e), orElse(() -> "default")));
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals("default", select(onReceive(channel, e -> e), orElse(() -> "default")));
            assertTrue(Thread.currentThread().isInterrupted(), "status untouched");
        } finally {
            Thread.interrupted();
        }
        if (sender != null) {
            sender.join();
        }
    }

    @EveryKind
    void orElse_inASelector_ignoresTheInterruptStatus(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");
        Selector<String> selector = Select.selector(onReceive(channel, e -> e), orElse(() -> "default"));
        Async<Void> sender = offer(kind, channel, "x");
        try {
            Thread.currentThread().interrupt();
            assertEquals("x", selector.select());
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals("default", selector.selectInOrder());
            assertTrue(Thread.currentThread().isInterrupted(), "status untouched");
        } finally {
            Thread.interrupted();
        }
        if (sender != null) {
            sender.join();
        }
    }

    /* ---- callbacks ---- */

    @EveryKind
    void callback_runsInTheSelectingThreadAfterTheClauseCompleted(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");
        Async<Void> sender = offer(kind, channel, "x");
        AtomicReference<Thread> ran = new AtomicReference<>();

        select(onReceive(channel, e -> {
            ran.set(Thread.currentThread());
            assertNull(channel.tryReceive(), "the element is already taken when the callback runs");
            return e;
        }));

        assertSame(Thread.currentThread(), ran.get());
        if (sender != null) {
            sender.join();
        }
    }

    @EveryKind
    void callback_exceptionPropagatesUnchanged(ChannelKind kind) throws InterruptedException {
        Channel<String> channel = kind.create("ch");
        Async<Void> sender = offer(kind, channel, "x");
        IllegalStateException thrown = new IllegalStateException("from the callback");

        IllegalStateException caught = assertThrows(IllegalStateException.class,
                () -> select(onReceive(channel, e -> {
                    throw thrown;
                })));

        assertSame(thrown, caught);
        assertNull(channel.tryReceive(), "the clause completed before its callback threw");
        if (sender != null) {
            sender.join();
        }
    }

    @EveryKind
    void callback_ofEachOtherClauseKind_runsInTheSelectingThreadAndItsExceptionPropagatesUnchanged(ChannelKind kind)
            throws InterruptedException {
        Thread selecting = Thread.currentThread();
        IllegalStateException thrown = new IllegalStateException("from the callback");
        AtomicReference<Thread> ran = new AtomicReference<>();
        Supplier<String> throwing = () -> {
            ran.set(Thread.currentThread());
            throw thrown;
        };
        Channel<String> out = kind.create("out");
        Async<String> receiver = kind.isRendezvous() ? Async.startBlocked(out::receive) : null;
        Channel<String> closed = kind.create("closed");
        closed.close();
        Channel<String> empty = kind.create("empty");
        List<Callable<String>> selects = List.of(
                () -> select(onSend(out, "x", throwing)),
                () -> select(onReceive(empty, e -> e), onTimeout(Duration.ZERO, throwing)),
                () -> select(onReceive(empty, e -> e), orElse(throwing)),
                () -> select(onReceiveOrClosed(closed, r -> throwing.get())));

        for (int i = 0; i < selects.size(); i++) {
            ran.set(null);
            Callable<String> selectCall = selects.get(i);

            assertSame(thrown, assertThrows(IllegalStateException.class, selectCall::call), "select " + i);
            assertSame(selecting, ran.get(), "select " + i + ": the callback ran in the selecting thread");
        }
        assertEquals("x", receiver != null ? receiver.join() : out.tryReceive(), "the send completed before its callback threw");
    }

    /* ---- memory visibility ---- */

    @EveryKind
    void select_plainWritesBeforeSend_visibleAfterTheReceiveWhicheverSideSelects(ChannelKind kind) throws InterruptedException {
        int n = 6_000;
        long[] plain = new long[n];
        Channel<Integer> channel = kind.create("ch");
        Channel<Integer> idle = kind.create("idle");
        Async<Void> producer = Async.run(() -> {
            for (int i = 0; i < n; i++) {
                plain[i] = mix(i);
                if (i % 2 == 0) {
                    channel.send(i);
                } else {
                    select(onSend(channel, i, () -> "sent"), onReceive(idle, e -> "idle"));
                }
            }
        });

        for (int i = 0; i < n; i++) {
            long seen;
            if (i % 3 == 0) {
                int element = channel.receive();
                assertEquals(i, element);
                seen = plain[element];
            } else {
                seen = select(onReceive(channel, e -> plain[e]), onReceive(idle, e -> -1L));
            }
            assertEquals(mix(i), seen, "element " + i + " (a plain receive every third, a select otherwise)");
        }
        producer.join();
    }

    @EveryKind
    void onReceiveOrClosed_observingTheClosure_seesPlainWritesBeforeClose(ChannelKind kind) throws InterruptedException {
        for (int round = 1; round <= 200; round++) {
            int[] plain = new int[1];
            Channel<String> channel = kind.create("ch");
            Async<Integer> observer = Async.start(() -> select(onReceiveOrClosed(channel,
                    r -> r instanceof ReceiveResult.Closed ? plain[0] : -1)));

            plain[0] = round;
            channel.close();

            assertEquals(round, observer.join(), "round " + round);
        }
    }

    /* ---- priority and reuse ---- */

    /** {@return a buffered channel holding {@code count} elements} */
    private static Channel<Integer> holding(int count) throws InterruptedException {
        Channel<Integer> channel = Channel.buffered(1000);
        for (int i = 0; i < count; i++) {
            channel.send(i);
        }
        return channel;
    }

    @Test
    void selectInOrder_bothReady_theFirstListedWinsEveryTime() throws InterruptedException {
        Channel<Integer> first = holding(500);
        Channel<Integer> second = holding(500);
        for (int i = 0; i < 500; i++) {
            assertEquals("first", selectInOrder(onReceive(first, e -> "first"), onReceive(second, e -> "second")));
        }
        assertEquals("second", selectInOrder(onReceive(first, e -> "first"), onReceive(second, e -> "second")));
    }

    @Test
    void selector_selectInOrder_bothReady_theFirstListedWinsEveryTime() throws InterruptedException {
        Channel<Integer> first = holding(500);
        Channel<Integer> second = holding(500);
        Selector<String> selector = Select.selector(onReceive(first, e -> "first"), onReceive(second, e -> "second"));

        for (int i = 0; i < 500; i++) {
            assertEquals("first", selector.selectInOrder(), "run " + i);
        }
        assertEquals("second", selector.selectInOrder());
    }

    @EveryKind
    void selector_reusedInALoop_receivesEverythingInOrder(ChannelKind kind) throws InterruptedException {
        Channel<Integer> jobs = kind.create("jobs");
        Async<Void> producer = Async.run(() -> {
            for (int i = 0; i < 1000; i++) {
                jobs.send(i);
            }
            jobs.close();
        });
        Selector<Integer> next = Select.selector(onReceiveOrClosed(jobs, r -> r instanceof ReceiveResult.Received<Integer> got
                ? got.element() : -1));

        for (int i = 0; i < 1000; i++) {
            assertEquals(i, next.select());
        }
        assertEquals(-1, next.selectInOrder());
        producer.join();
    }

    @Test
    void selector_drainSnippet_countsUntilClosed() throws InterruptedException {
        Channel<Integer> jobs = Channel.unbounded();
        for (int i = 0; i < 10; i++) {
            jobs.send(i);
        }
        jobs.close();

        assertEquals(10, SelectSnippets.drain(jobs));
    }

    @Test
    void selector_usedByTwoThreadsAtOnce_throwsIllegalState() throws InterruptedException {
        Channel<String> channel = Channel.rendezvous("ch");
        Selector<String> selector = Select.selector(onReceive(channel, e -> e));
        Async<String> first = Async.startBlocked(selector::select);

        IllegalStateException thrown = assertThrows(IllegalStateException.class, selector::select);

        assertTrue(thrown.getMessage().contains("one thread at a time"), thrown.getMessage());
        channel.send("x");
        assertEquals("x", first.join());
    }

    @Test
    void selector_runFromItsOwnCallback_throwsIllegalStateAndStaysUsable() throws InterruptedException {
        Channel<String> channel = Channel.buffered(2);
        channel.send("x");
        channel.send("y");
        AtomicReference<Selector<String>> self = new AtomicReference<>();
        Selector<String> selector = Select.selector(onReceive(channel, e -> {
            if (e.equals("x")) {
                IllegalStateException nested = assertThrows(IllegalStateException.class, () -> self.get().select());
                assertTrue(nested.getMessage().contains(Thread.currentThread().toString()), nested.getMessage());
            }
            return e;
        }));
        self.set(selector);

        assertEquals("x", selector.select());
        assertEquals("y", selector.select(), "usable again once the run returned");
    }

    /* ---- arguments ---- */

    @Test
    void select_badArguments_throwWithAClearMessage() {
        Channel<String> channel = Channel.rendezvous("rdv");
        SelectClause<String> receive = onReceive(channel, e -> e);

        assertEquals("clauses", assertThrows(NullPointerException.class, () -> select((SelectClause<String>[]) null)).getMessage());
        assertEquals("clauses[1]", assertThrows(NullPointerException.class, () -> select(receive, null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> select()).getMessage().contains("at least one"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> select(orElse(() -> "1"), receive, orElse(() -> "2"))).getMessage().contains("clauses[0] and clauses[2]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> select(orElse(() -> "1"), onTimeout(Duration.ZERO, () -> "t"))).getMessage().contains("orElse and onTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> select(receive, onSend(channel, "x", () -> "sent"))).getMessage().contains("'rdv'"));
        assertEquals("channel", assertThrows(NullPointerException.class, () -> onReceive(null, e -> e)).getMessage());
        assertEquals("then", assertThrows(NullPointerException.class, () -> onReceive(channel, null)).getMessage());
        assertEquals("channel", assertThrows(NullPointerException.class, () -> onReceiveOrClosed(null, r -> r)).getMessage());
        assertEquals("then", assertThrows(NullPointerException.class, () -> onReceiveOrClosed(channel, null)).getMessage());
        assertEquals("channel", assertThrows(NullPointerException.class, () -> onSend(null, "x", () -> 1)).getMessage());
        assertEquals("element", assertThrows(NullPointerException.class, () -> onSend(channel, null, () -> 1)).getMessage());
        assertEquals("then", assertThrows(NullPointerException.class, () -> onSend(channel, "x", null)).getMessage());
        assertEquals("after", assertThrows(NullPointerException.class, () -> onTimeout(null, () -> 1)).getMessage());
        assertEquals("then", assertThrows(NullPointerException.class, () -> onTimeout(Duration.ZERO, null)).getMessage());
        assertEquals("then", assertThrows(NullPointerException.class, () -> orElse(null)).getMessage());
        assertEquals("random", assertThrows(NullPointerException.class, () -> Select.selector((java.util.random.RandomGenerator) null, receive)).getMessage());
    }

    @Test
    void selectInOrder_badClauseLists_throwAsSelectDoes() {
        SelectClause<String> receive = onReceive(Channel.<String>rendezvous("rdv"), e -> e);

        assertEquals("clauses", assertThrows(NullPointerException.class,
                () -> selectInOrder((SelectClause<String>[]) null)).getMessage());
        assertEquals("clauses[1]", assertThrows(NullPointerException.class, () -> selectInOrder(receive, null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> selectInOrder()).getMessage().contains("at least one"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> selectInOrder(orElse(() -> "1"), onTimeout(Duration.ZERO, () -> "t"))).getMessage()
                .contains("orElse and onTimeout"));
    }

    @Test
    void selector_seeded_badClauses_throwWhenBuilt() {
        SplittableRandom random = new SplittableRandom(1);
        SelectClause<String> receive = onReceive(Channel.<String>rendezvous("rdv"), e -> e);

        assertEquals("clauses", assertThrows(NullPointerException.class,
                () -> Select.selector(random, (SelectClause<String>[]) null)).getMessage());
        assertEquals("clauses[1]", assertThrows(NullPointerException.class, () -> Select.selector(random, receive, null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Select.selector(random)).getMessage().contains("at least one"));
    }

    @Test
    void selector_badClauses_throwWhenBuilt() {
        Channel<String> channel = Channel.rendezvous("rdv");
        SelectClause<String> receive = onReceive(channel, e -> e);

        assertEquals("clauses", assertThrows(NullPointerException.class,
                () -> Select.selector((SelectClause<String>[]) null)).getMessage());
        assertEquals("clauses[1]", assertThrows(NullPointerException.class, () -> Select.selector(receive, null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Select.selector()).getMessage().contains("at least one"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Select.selector(orElse(() -> "1"), receive, orElse(() -> "2"))).getMessage().contains("clauses[0] and clauses[2]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Select.selector(orElse(() -> "1"), onTimeout(Duration.ZERO, () -> "t"))).getMessage()
                .contains("orElse and onTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Select.selector(receive, onSend(channel, "x", () -> "sent"))).getMessage().contains("'rdv'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Select.selector(onReceive(new ForeignReceiveChannel(), e -> e))).getMessage().contains("not a csp4j channel"));
    }

    @Test
    void select_foreignChannelImplementation_isRejected() {
        ReceiveChannel<String> foreign = new ForeignReceiveChannel();

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> select(onReceive(foreign, e -> e)));

        assertTrue(thrown.getMessage().contains("not a csp4j channel"), thrown.getMessage());
    }

    @Test
    void select_foreignChannelInASendOrClosedAwareClause_isRejected() {
        List<Callable<String>> selects = List.of(
                () -> select(onSend(new ForeignSendChannel(), "x", () -> "sent")),
                () -> select(onReceiveOrClosed(new ForeignReceiveChannel(), r -> "result")),
                () -> Select.selector(onSend(new ForeignSendChannel(), "x", () -> "sent")).select());

        for (Callable<String> selectCall : selects) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, selectCall::call);
            assertTrue(thrown.getMessage().contains("not a csp4j channel"), thrown.getMessage());
        }
    }

    @Test
    void select_sendAndReceiveOnOneBufferedChannel_isAllowed() throws InterruptedException {
        Channel<String> channel = Channel.buffered(1);

        assertEquals("sent", select(onReceive(channel, e -> "received"), onSend(channel, "x", () -> "sent")));
        assertEquals("received", select(onReceive(channel, e -> "received"), onSend(channel, "y", () -> "sent")));
    }
}
