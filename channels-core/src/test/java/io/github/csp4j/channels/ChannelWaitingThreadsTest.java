package io.github.csp4j.channels;

import static io.github.csp4j.channels.testing.Async.shown;
import static io.github.csp4j.channels.testing.Async.shownAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.ChannelKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel's {@code toString()} names the threads blocked in it (the {@code Channel} javadoc,
 * "Diagnostics"; README, "When a program blocks"): senders and receivers by name and thread id,
 * each once, up to eight per side. Each of those threads parks with the channel as its blocker
 * ({@code LockSupport.getBlocker}): plain and timed receives on every kind, rendezvous sends,
 * plain and timed sends owed a buffer slot, platform threads. Also run with segments of 2 cells,
 * where the waiting threads span several segments and the walk must start at the older of the
 * channel's two pointers.
 */
@Timeout(60)
class ChannelWaitingThreadsTest {

    @ForEachChannelKind
    void newChannel_namesNobody(ChannelKind kind) {
        Channel<String> ch = kind.create("quiet");
        assertNotWaiting(ch);
    }

    /**
     * Before any send: the walk starts at the first segment, which a pointer may not hold yet.
     * The second receive is a timed one.
     */
    @ForEachChannelKind
    void blockedReceivers_namedInTheOrderTheyCame(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create("jobs");
        Async<String> first = Async.startBlocked("first", ch::receive);
        Async<String> second = Async.startBlocked("second", () -> ch.receive(Duration.ofDays(1)));
        assertContains(ch, "jobs, " + kind.shownAs() + ", open, receivers waiting ["
                + shown(first.thread()) + ", " + shown(second.thread()) + "], ");
        assertFalse(ch.toString().contains("senders waiting"), ch.toString());
        assertSame(ch, first.awaitBlocker());
        assertSame(ch, second.awaitBlocker());

        ch.send("a");
        ch.send("b");
        assertEquals("a", first.join());
        assertEquals("b", second.join());
        assertNotWaiting(ch);
    }

    /**
     * After traffic has moved both of the channel's pointers: receivers wait past the senders'
     * pointer, the older one here, and every one of them is named.
     */
    @ForEachChannelKind
    void blockedReceiversAfterTraffic_allNamed(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create("busy");
        exchange(ch, 3);
        List<Async<String>> receivers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            receivers.add(Async.startBlocked("r" + i, ch::receive));
        }
        assertContains(ch, "receivers waiting [" + shownAll(receivers) + "], ");

        for (int i = 0; i < receivers.size(); i++) {
            ch.send("x" + i);
        }
        for (int i = 0; i < receivers.size(); i++) {
            assertEquals("x" + i, receivers.get(i).join());
        }
        assertNotWaiting(ch);
    }

    /** The senders' mirror of the test above: they wait past the receivers' pointer. */
    @Test
    void blockedRendezvousSendersAfterTraffic_allNamed() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("replies");
        exchange(ch, 3);
        List<Async<Void>> senders = blockedSenders(ch, 3);
        assertContains(ch, "replies, rendezvous, open, senders waiting [" + shownAll(senders) + "], ");
        for (Async<Void> sender : senders) {
            assertSame(ch, sender.awaitBlocker());
        }

        receiveFrom(ch, senders);
    }

    /**
     * The state shown: open; closing while a receive may still return an element; closed once
     * none can. A failed channel discards its buffer, so it is closed at once.
     */
    @ForEachChannelKind
    void state_openClosingClosed_aFailedChannelClosedAtOnce(ChannelKind kind) throws InterruptedException {
        Channel<String> graceful = kind.create("graceful");
        assertContains(graceful, "graceful, " + kind.shownAs() + ", open");
        if (!kind.isRendezvous()) {
            graceful.send("left");
            graceful.close();
            assertContains(graceful, "graceful, " + kind.shownAs() + ", closing");
            assertEquals("left", graceful.receive());
        } else {
            graceful.close();
        }
        assertContains(graceful, "graceful, " + kind.shownAs() + ", closed");

        Channel<String> aborted = kind.create("aborted");
        if (!kind.isRendezvous()) {
            aborted.send("discarded");
        }
        aborted.fail(new IllegalStateException("stop"));
        assertContains(aborted, "aborted, " + kind.shownAs() + ", closed");
    }

    /** A timed rendezvous send is named and parks with the channel as its blocker, as a plain one. */
    @Test
    void timedRendezvousSender_namedWithTheChannelAsItsBlocker() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("timed");
        Async<Boolean> sender = Async.startBlocked("timed-sender", () -> ch.send("x", Duration.ofDays(1)));

        assertContains(ch, "timed, rendezvous, open, senders waiting [" + shown(sender.thread()) + "], ");
        assertSame(ch, sender.awaitBlocker());
        assertEquals("x", ch.receive());
        assertTrue(sender.join());
        assertNotWaiting(ch);
    }

    /** Receives by receiveOrClosed, an iterator and a stream wait as a receive does: named, parked on the channel. */
    @ForEachChannelKind
    void receiversByReceiveOrClosedIteratorAndStream_named(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create("forms");
        Async<ReceiveResult<String>> orClosed = Async.startBlocked("or-closed", ch::receiveOrClosed);
        Async<String> iterating = Async.startBlocked("iterating", () -> ch.iterator().next());
        Async<String> streaming = Async.startBlocked("streaming", () -> ch.stream().findFirst().orElseThrow());

        assertContains(ch, "receivers waiting [" + shown(orClosed.thread()) + ", " + shown(iterating.thread()) + ", "
                + shown(streaming.thread()) + "], ");
        assertSame(ch, orClosed.awaitBlocker());
        assertSame(ch, iterating.awaitBlocker());
        assertSame(ch, streaming.awaitBlocker());

        ch.send("a");
        ch.send("b");
        ch.send("c");
        assertEquals(new ReceiveResult.Received<>("a"), orClosed.join());
        assertEquals("b", iterating.join());
        assertEquals("c", streaming.join());
        assertNotWaiting(ch);
    }

    /** The senders' side of the eight named: a rendezvous channel with eleven senders waiting. */
    @Test
    void manySendersWaiting_firstEightNamedAndTheRestCounted() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("fanin");
        List<Async<Void>> senders = blockedSenders(ch, 11);
        assertContains(ch, "senders waiting [" + shownAll(senders.subList(0, 8)) + ", and 3 more], ");

        receiveFrom(ch, senders);
    }

    /** An owed sender waits both in its cell and in the permit queue: named once. */
    @Test
    void sendersOwedASlot_namedOnceEach() throws InterruptedException {
        Channel<String> ch = Channel.buffered("slots", 1);
        exchange(ch, 3);
        ch.send("buffered");
        Async<Void> first = Async.startBlocked("first", () -> {
            ch.send("a");
            return null;
        });
        Async<Boolean> second = Async.startBlocked("second", () -> ch.send("b", Duration.ofDays(1)));
        assertContains(ch, "slots, buffered(1), open, senders waiting ["
                + shown(first.thread()) + ", " + shown(second.thread()) + "], ");
        assertSame(ch, first.awaitBlocker());
        assertSame(ch, second.awaitBlocker());

        assertEquals(List.of("buffered", "a", "b"), List.of(ch.receive(), ch.receive(), ch.receive()));
        first.join();
        assertTrue(second.join());
        assertNotWaiting(ch);
    }

    /** A thread without a name is shown by its id alone, as a thread dump shows it. */
    @Test
    void unnamedThread_shownById() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("anonymous");
        Async<String> receiver = Async.startBlocked(ch::receive);
        assertContains(ch, "receivers waiting [#" + receiver.thread().threadId() + "], ");
        ch.send("x");
        assertEquals("x", receiver.join());
    }

    /** Platform threads wait in the same states, after a spin instead of a yield, on the channel. */
    @Test
    void platformThreads_namedToo() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("platform");
        Async<Void> receiver = Async.runOnPlatformThread(() -> assertEquals("x", ch.receive())).awaitBlocked();
        assertContains(ch, "receivers waiting [" + shown(receiver.thread()) + "], ");
        assertSame(ch, receiver.awaitBlocker());
        ch.send("x");
        receiver.join();

        Async<Void> sender = Async.runOnPlatformThread(() -> ch.send("y")).awaitBlocked();
        assertContains(ch, "senders waiting [" + shown(sender.thread()) + "], ");
        assertSame(ch, sender.awaitBlocker());
        assertEquals("y", ch.receive());
        sender.join();
        assertNotWaiting(ch);
    }

    @Test
    void manyWaiting_firstEightNamedAndTheRestCounted() throws InterruptedException {
        Channel<String> ch = Channel.unbounded("fanout");
        List<Async<String>> receivers = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            receivers.add(Async.startBlocked("r" + i, ch::receive));
        }
        assertContains(ch, "receivers waiting [" + shownAll(receivers.subList(0, 8)) + ", and 3 more], ");

        for (int i = 0; i < receivers.size(); i++) {
            ch.send("x" + i);
        }
        for (int i = 0; i < receivers.size(); i++) {
            assertEquals("x" + i, receivers.get(i).join());
        }
    }

    /**
     * A receiver that left by an interrupt is no longer named (its cell is cancelled, as after a
     * timeout; a test of a timeout that must pass after the thread is seen waiting would race).
     */
    @Test
    void receiverThatLeft_notNamed() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("left");
        Async<String> leaver = Async.startBlocked("leaver", ch::receive);
        Async<String> stayer = Async.startBlocked("stayer", () -> ch.receive(Duration.ofDays(1)));
        assertContains(ch, "receivers waiting [" + shownAll(List.of(leaver, stayer)) + "], ");

        leaver.interrupt();
        assertInstanceOf(InterruptedException.class, leaver.joinFailure());
        assertContains(ch, "receivers waiting [" + shown(stayer.thread()) + "], ");
        ch.send("x");
        assertEquals("x", stayer.join());
    }

    /** After close, the senders it failed are gone from the list. */
    @Test
    void close_endsTheWaitsShown() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("closing");
        Async<Void> sender = Async.startBlocked("sender", () -> {
            ch.send("x");
            return null;
        });
        assertContains(ch, "senders waiting [" + shown(sender.thread()) + "], ");
        ch.close();
        assertInstanceOf(ChannelClosedException.class, sender.joinFailure());
        assertNotWaiting(ch);
    }

    /** {@return {@code count} threads, s0, s1, ..., blocked each in a send of x0, x1, ... to {@code ch}} */
    private static List<Async<Void>> blockedSenders(Channel<String> ch, int count) throws InterruptedException {
        List<Async<Void>> senders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String element = "x" + i;
            senders.add(Async.startBlocked("s" + i, () -> {
                ch.send(element);
                return null;
            }));
        }
        return senders;
    }

    /** Receives the elements of {@link #blockedSenders} in order, each sender ending, then nobody waits. */
    private static void receiveFrom(Channel<String> ch, List<Async<Void>> senders) throws InterruptedException {
        for (int i = 0; i < senders.size(); i++) {
            assertEquals("x" + i, ch.receive());
            senders.get(i).join();
        }
        assertNotWaiting(ch);
    }

    /** Hands {@code count} elements from a sender thread to this one, moving both pointers. */
    private static void exchange(Channel<String> ch, int count) throws InterruptedException {
        Async<Void> sender = Async.run(() -> {
            for (int i = 0; i < count; i++) {
                ch.send("warm" + i);
            }
        });
        for (int i = 0; i < count; i++) {
            assertEquals("warm" + i, ch.receive());
        }
        sender.join();
    }

    private static void assertContains(Channel<String> ch, String expected) {
        String text = ch.toString();
        assertTrue(text.contains(expected), "expected \"" + expected + "\" in " + text);
    }

    private static void assertNotWaiting(Channel<String> ch) {
        assertFalse(ch.toString().contains("waiting"), "nobody waits: " + ch);
    }
}
