package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.Async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the javadoc examples of {@link ChannelSnippets} and checks what they produce. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChannelSnippetsTest {

    /* ---- pipeline ---- */

    @Test
    void pipeline_producerSendsThreeLinesAndCloses_consumerReceivesThemInOrder() throws InterruptedException {
        assertEquals(List.of("line 1", "line 2", "line 3"), ChannelSnippets.pipeline());
    }

    /* ---- consumerLoop ---- */

    @Test
    void consumerLoop_closedAfterNumbers_sumsThemAll() throws InterruptedException {
        Channel<Integer> numbers = Channel.unbounded("numbers");
        for (int i = 1; i <= 10; i++) {
            numbers.send(i);
        }
        numbers.close();
        assertEquals(55, ChannelSnippets.consumerLoop(numbers));
    }

    @Test
    void consumerLoop_rendezvousProducer_waitsForEachNumberUntilClosed() {
        Channel<Integer> numbers = Channel.rendezvous("numbers");
        Async<Void> producer = Async.run(() -> {
            for (int i = 1; i <= 100; i++) {
                numbers.send(i);
            }
            numbers.close();
        });
        assertEquals(5050, ChannelSnippets.consumerLoop(numbers));
        producer.join();
    }

    @Test
    void consumerLoop_failedChannel_throwsClosedExceptionWithCause() {
        Channel<Integer> numbers = Channel.buffered("numbers", 4);
        IllegalStateException cause = new IllegalStateException("boom");
        numbers.fail(cause);
        ChannelClosedException e =
                assertThrows(ChannelClosedException.class, () -> ChannelSnippets.consumerLoop(numbers));
        assertSame(cause, e.getCause());
    }

    @Test
    void consumerLoop_emptyClosedChannel_sumsToZero() {
        Channel<Integer> numbers = Channel.buffered("numbers", 4);
        numbers.close();
        assertEquals(0, ChannelSnippets.consumerLoop(numbers));
    }

    /* ---- receiveOrClosed ---- */

    @Test
    void receiveOrClosed_jobsThenClose_runsEachJobThenSaysDone() throws InterruptedException {
        Channel<String> jobs = Channel.buffered("jobs", 4);
        jobs.send("a");
        jobs.send("b");
        jobs.close();
        assertEquals("ran a\nran b\ndone", ChannelSnippets.receiveOrClosed(jobs));
    }

    @Test
    void receiveOrClosed_failedWithBoom_reportsTheCause() throws InterruptedException {
        Channel<String> jobs = Channel.buffered("jobs", 4);
        jobs.send("discarded by the failure");
        jobs.fail(new IllegalStateException("boom"));
        assertEquals("failed: boom", ChannelSnippets.receiveOrClosed(jobs));
    }

    @Test
    void receiveOrClosed_jobTakenThenFailed_runsTheJobThenReportsTheCause() throws InterruptedException {
        Channel<String> jobs = Channel.rendezvous("jobs");
        Async<Void> producer = Async.run(() -> {
            jobs.send("a"); // returns once the loop has taken it
            jobs.fail(new IllegalStateException("boom"));
        });
        assertEquals("ran a\nfailed: boom", ChannelSnippets.receiveOrClosed(jobs));
        producer.join();
    }

    @Test
    void receiveOrClosed_interruptedWhileWaiting_throwsInterruptedException() {
        Channel<String> jobs = Channel.rendezvous("jobs");
        Async<String> loop = Async.startBlocked(() -> ChannelSnippets.receiveOrClosed(jobs));
        loop.interrupt();
        assertInstanceOf(InterruptedException.class, loop.joinFailure());
    }
}
