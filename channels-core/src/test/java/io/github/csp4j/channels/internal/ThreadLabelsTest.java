package io.github.csp4j.channels.internal;

import static io.github.csp4j.channels.testing.Async.shown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a task scope's {@code toString} adds to each thread it shows: the channel or select the
 * thread is parked in, read from its park blocker, and nothing for a thread parked on anything
 * else or on nothing.
 */
@Timeout(30)
class ThreadLabelsTest {

    @Test
    void list_withWaitsIn_namesTheChannelEachThreadIsParkedOn() throws InterruptedException {
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
        Async<Void> bare = Async.startBlocked("bare", () -> { // blocked: in its park, its only wait
            while (!Thread.interrupted()) {
                LockSupport.park(); // parked without a blocker
            }
            throw new InterruptedException();
        });
        worker.awaitBlocker();
        asker.awaitBlocker();
        other.awaitBlocker();

        List<Async<?>> calls = List.of(worker, asker, other, bare);
        assertEquals("[" + shown(worker.thread()) + " waiting on jobs, " + shown(asker.thread())
                + " waiting on replies, " + shown(other.thread()) + ", " + shown(bare.thread()) + "]",
                ThreadLabels.list(calls.stream().map(Async::thread).toList(), thread -> thread, ThreadLabels::waitsIn));

        for (Async<?> call : calls) {
            call.interrupt();
            assertInstanceOf(InterruptedException.class, call.joinFailure());
        }
    }
}
