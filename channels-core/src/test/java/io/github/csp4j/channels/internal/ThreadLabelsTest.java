package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a task scope's {@code toString} adds to each thread it shows: the channel or select the
 * thread is parked in, read from its park blocker, and nothing for a thread parked on anything
 * else or not parked.
 */
@Timeout(30)
class ThreadLabelsTest {

    @Test
    void listWithWaits_namesTheChannelEachThreadIsParkedOn() throws InterruptedException {
        Channel<String> jobs = Channel.buffered("jobs", 2);
        Channel<String> replies = Channel.rendezvous("replies");
        CountDownLatch latch = new CountDownLatch(1);
        Async<String> worker = Async.startBlocked("worker", jobs::receive);
        Async<Void> asker = Async.startBlocked("asker", () -> {
            replies.send("question");
            return null;
        });
        Async<Void> other = Async.startBlocked("other", () -> {
            latch.await(); // parked, but on no channel
            return null;
        });
        worker.awaitBlocker();
        asker.awaitBlocker();
        other.awaitBlocker();

        assertEquals("[worker #" + worker.thread().threadId() + " waiting on jobs, asker #"
                + asker.thread().threadId() + " waiting on replies, other #" + other.thread().threadId() + "]",
                ThreadLabels.listWithWaits(List.of(worker.thread(), asker.thread(), other.thread())));
        assertEquals("", ThreadLabels.waitsIn(Thread.currentThread())); // running: no blocker

        for (Async<?> call : List.of(worker, asker, other)) {
            call.interrupt();
            assertInstanceOf(InterruptedException.class, call.joinFailure());
        }
    }
}
