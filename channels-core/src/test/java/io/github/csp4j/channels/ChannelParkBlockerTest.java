package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.ChannelKind;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread parked in a channel operation parks with the channel as its blocker, so that
 * {@link LockSupport#getBlocker} and thread dumps lead to the channel (the {@code Channel} javadoc,
 * "Diagnostics"): plain and timed receives, rendezvous sends and sends owed a buffer slot, on
 * a platform thread too.
 */
@Timeout(60)
class ChannelParkBlockerTest {

    @ForEachChannelKind
    void blockedReceive_parksOnTheChannel(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create("jobs");
        Async<String> receiver = Async.startBlocked("receiver", ch::receive);

        assertSame(ch, receiver.awaitBlocker());
        ch.send("a");
        assertEquals("a", receiver.join());
    }

    @ForEachChannelKind
    void blockedTimedReceive_parksOnTheChannel(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create("jobs");
        Async<String> receiver = Async.startBlocked("receiver", () -> ch.receive(Duration.ofDays(1)));

        assertSame(ch, receiver.awaitBlocker());
        ch.send("a");
        assertEquals("a", receiver.join());
    }

    /** Rendezvous senders wait in their cell, buffered ones owe a slot; unbounded ones never wait. */
    @ForEachChannelKind
    void blockedSends_parkOnTheChannel(ChannelKind kind) throws InterruptedException {
        if (kind.isUnbounded()) {
            return;
        }
        Channel<String> ch = kind.create("results");
        for (int i = 0; i < kind.capacity(); i++) {
            ch.send("buffered" + i);
        }
        Async<Void> plain = Async.startBlocked("plain", () -> {
            ch.send("plain");
            return null;
        });
        Async<Boolean> timed = Async.startBlocked("timed", () -> ch.send("timed", Duration.ofDays(1)));

        assertSame(ch, plain.awaitBlocker());
        assertSame(ch, timed.awaitBlocker());
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals("buffered" + i, ch.receive());
        }
        assertEquals("plain", ch.receive()); // it blocked first
        assertEquals("timed", ch.receive());
        plain.join();
        assertTrue(timed.join());
    }

    /** A platform thread parks as a virtual one does, after its spin. */
    @Test
    void blockedReceiveOnPlatformThread_parksOnTheChannel() throws InterruptedException {
        Channel<String> ch = Channel.rendezvous("replies");
        Async<Void> receiver = Async.runOnPlatformThread(() -> assertEquals("a", ch.receive()));

        assertSame(ch, receiver.awaitBlocker());
        ch.send("a");
        receiver.join();
    }

    /** Once the operation returns, the thread's blocker is cleared: nothing keeps the channel. */
    @Test
    void afterTheReceive_noBlockerLeft() throws InterruptedException {
        Channel<String> ch = Channel.buffered("jobs", 4);
        Channel<Object> seen = Channel.unbounded("seen");
        Async<Void> receiver = Async.run(() -> {
            assertEquals("a", ch.receive());
            seen.send(String.valueOf(LockSupport.getBlocker(Thread.currentThread())));
            assertEquals("b", ch.receive());
        });
        assertSame(ch, receiver.awaitBlocker());
        ch.send("a");

        assertEquals("null", seen.receive());
        assertSame(ch, receiver.awaitBlocker());
        ch.send("b");
        receiver.join();
        assertNull(LockSupport.getBlocker(receiver.thread()));
        assertFalse(receiver.thread().isAlive());
    }
}
