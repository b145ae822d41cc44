package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.ChannelKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel's {@code toString()} names the threads blocked in it (README, "When a program
 * blocks"): senders and receivers by name and thread id, each once, up to eight per side.
 */
@Timeout(60)
class ChannelWaitingThreadsTest {

    @ForEachChannelKind
    void newChannel_namesNobody(ChannelKind kind) {
        Channel<String> ch = kind.create("quiet");
        assertFalse(ch.toString().contains("waiting"), ch.toString());
    }

    @ForEachChannelKind
    void blockedReceivers_namedInTheOrderTheyCame(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create("jobs");
        Thread first = blocked("first", ch::receive);
        Thread second = blocked("second", () -> ch.receive(Duration.ofDays(1))); // timed
        assertContains(ch, "jobs, " + kindName(kind) + ", open, receivers waiting ["
                + label(first) + ", " + label(second) + "], ");
        assertFalse(ch.toString().contains("senders waiting"), ch.toString());

        ch.send("a");
        ch.send("b");
        first.join();
        second.join();
        assertFalse(ch.toString().contains("waiting"), "nobody waits once both received: " + ch);
    }

    @Test
    void blockedRendezvousSender_named() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("replies");
        Thread sender = blocked("asker", () -> ch.send("x"));
        assertContains(ch, "replies, rendezvous, open, senders waiting [" + label(sender) + "], ");

        assertEquals("x", ch.receive());
        sender.join();
        assertFalse(ch.toString().contains("waiting"), ch.toString());
    }

    /** An owed sender waits both in its cell and in the permit queue: listed once. */
    @Test
    void sendersOwedASlot_namedOnceEach() throws InterruptedException {
        Channel<String> ch = Channel.buffered("slots", 1);
        ch.send("buffered");
        Thread first = blocked("first", () -> ch.send("a"));
        Thread second = blocked("second", () -> ch.send("b", Duration.ofDays(1)));
        assertContains(ch, "slots, buffered(1), open, senders waiting [" + label(first) + ", " + label(second) + "], ");

        assertEquals(List.of("buffered", "a", "b"), List.of(ch.receive(), ch.receive(), ch.receive()));
        first.join();
        second.join();
        assertFalse(ch.toString().contains("waiting"), ch.toString());
    }

    /** A thread without a name is shown by its id alone, as a thread dump shows it. */
    @Test
    void unnamedThread_shownById() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("anonymous");
        Async<String> receiver = Async.startBlocked(ch::receive);
        assertContains(ch, "receivers waiting [#" + receiver.thread().threadId() + "], ");
        ch.send("x");
        assertTrue(receiver.awaitDone(Async.PATIENCE));
    }

    @Test
    void manyWaiting_firstEightNamedAndTheRestCounted() throws InterruptedException {
        Channel<String> ch = Channel.unbounded("fanout");
        List<Thread> receivers = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            receivers.add(blocked("r" + i, ch::receive));
        }
        String shown = receivers.subList(0, 8).stream().map(ChannelWaitingThreadsTest::label)
                .collect(Collectors.joining(", "));
        assertContains(ch, "receivers waiting [" + shown + ", and 3 more], ");

        for (int i = 0; i < receivers.size(); i++) {
            ch.send("x" + i);
        }
        for (Thread receiver : receivers) {
            receiver.join();
        }
    }

    /** A receiver that left by its timeout or an interrupt is no longer named. */
    @Test
    void receiverThatLeft_notNamed() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("left");
        Thread leaver = blocked("leaver", ch::receive);
        Thread stayer = blocked("stayer", ch::receive);
        assertContains(ch, "receivers waiting [" + label(leaver) + ", " + label(stayer) + "], ");

        leaver.interrupt();
        leaver.join();
        assertContains(ch, "receivers waiting [" + label(stayer) + "], ");
        ch.send("x");
        stayer.join();
    }

    /** After close, the senders it failed and the receivers it ended are gone from the list. */
    @Test
    void close_endsTheWaitsShown() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("closing");
        Thread sender = blocked("sender", () -> {
            try {
                ch.send("x");
            } catch (ChannelClosedException expected) {
                // ended by close
            }
        });
        assertContains(ch, "senders waiting [" + label(sender) + "], ");
        ch.close();
        sender.join();
        assertFalse(ch.toString().contains("waiting"), ch.toString());
    }

    private interface Blocking {
        void run() throws Exception;
    }

    /** Starts {@code body} in a virtual thread named {@code name} and waits until it is parked. */
    private static Thread blocked(String name, Blocking body) {
        Thread thread = Thread.ofVirtual().name(name).start(() -> {
            try {
                body.run();
            } catch (InterruptedException expected) {
                // a test that interrupts checks the list, not the exception
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        long deadline = System.nanoTime() + Async.PATIENCE.toNanos();
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() - deadline > 0 || !thread.isAlive()) {
                throw new AssertionError(name + " did not block; state " + thread.getState());
            }
            LockSupport.parkNanos(50_000);
        }
        return thread;
    }

    private static String label(Thread thread) {
        return thread.getName() + " #" + thread.threadId();
    }

    private static String kindName(ChannelKind kind) {
        return kind.isRendezvous() ? "rendezvous" : kind.isUnbounded() ? "unbounded" : "buffered(" + kind.capacity() + ")";
    }

    private static void assertContains(Channel<String> ch, String expected) {
        String text = ch.toString();
        assertTrue(text.contains(expected), "expected \"" + expected + "\" in " + text);
    }
}
