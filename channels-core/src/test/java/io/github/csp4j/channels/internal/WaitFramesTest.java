package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A blocked send or receive waits from its ticket loop, not from the method that read and
 * changed its cell (sendToCell, receiveFromCell): that method returns what it placed in the cell
 * and the loop waits on it, so the large frame of the cell step is not on the waiting thread's
 * stack. A parked virtual thread's frames are copied out when it parks and copied back, one
 * frame per return, when it resumes (benchmarks/RESULTS.md, "The frames a waiting thread
 * keeps"). Each test blocks a party, reads its stack, then completes the operation.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WaitFramesTest {

    @Test
    void receive_blockedOnRendezvous_waitsFromTheTicketLoop_notFromTheCellStep() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Async<String> receiver = Async.startBlocked(ch::receive);
        assertWaitsFrom(receiver.thread(), "awaitSender", "receive", "receiveFromCell");
        ch.send("x");
        assertEquals("x", receiver.join());
    }

    @Test
    void receive_blockedOnEmptyBuffer_waitsFromTheTicketLoop_notFromTheCellStep() throws Exception {
        Channel<String> ch = Channel.buffered("b", 4);
        Async<String> receiver = Async.startBlocked(() -> ch.receive(Duration.ofSeconds(30)));
        assertWaitsFrom(receiver.thread(), "awaitSender", "receive", "receiveFromCell");
        ch.send("x");
        assertEquals("x", receiver.join());
    }

    @Test
    void send_blockedOnRendezvous_waitsFromTheTicketLoop_notFromTheCellStep() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Async<Void> sender = Async.runBlocked(() -> ch.send("x"));
        assertWaitsFrom(sender.thread(), "awaitReceiver", "sendWithTickets", "sendToCell");
        assertEquals("x", ch.receive());
        sender.join();
    }

    @Test
    void send_blockedOnRendezvousWithTimeout_waitsFromTheTicketLoop_notFromTheCellStep() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Async<Boolean> sender = Async.startBlocked(() -> ch.send("x", Duration.ofSeconds(30)));
        assertWaitsFrom(sender.thread(), "awaitReceiver", "sendWithTickets", "sendToCell");
        assertEquals("x", ch.receive());
        assertTrue(sender.join());
    }

    /**
     * Asserts that {@code thread} waits in Waiter.await under CellChannel's {@code wait}, which
     * CellChannel's {@code loop} called directly, and that no frame of CellChannel's {@code step}
     * is on its stack.
     */
    private static void assertWaitsFrom(Thread thread, String wait, String loop, String step) {
        List<StackTraceElement> frames = Arrays.asList(thread.getStackTrace());
        assertTrue(frames.stream().anyMatch(f -> is(f, Waiter.class, "await")),
                () -> "the thread does not wait in Waiter.await: " + frames);
        assertTrue(frames.stream().noneMatch(f -> is(f, CellChannel.class, step)),
                () -> step + " is on the waiting thread's stack: " + frames);
        int waitAt = -1;
        for (int i = 0; i < frames.size() && waitAt < 0; i++) {
            if (is(frames.get(i), CellChannel.class, wait)) {
                waitAt = i;
            }
        }
        int found = waitAt;
        assertTrue(found >= 0 && found + 1 < frames.size() && is(frames.get(found + 1), CellChannel.class, loop),
                () -> "CellChannel." + wait + " is not called by CellChannel." + loop + ": " + frames);
    }

    private static boolean is(StackTraceElement frame, Class<?> type, String method) {
        return frame.getClassName().equals(type.getName()) && frame.getMethodName().equals(method);
    }
}
