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
        assertWaitsFrom(receiver.thread(), "receive", "receiveFromCell");
        ch.send("x");
        assertEquals("x", receiver.join());
    }

    @Test
    void receive_blockedOnEmptyBuffer_waitsFromTheTicketLoop_notFromTheCellStep() throws Exception {
        Channel<String> ch = Channel.buffered("b", 4);
        Async<String> receiver = Async.startBlocked(() -> ch.receive(Duration.ofSeconds(30)));
        assertWaitsFrom(receiver.thread(), "receive", "receiveFromCell");
        ch.send("x");
        assertEquals("x", receiver.join());
    }

    @Test
    void send_blockedOnRendezvous_waitsFromTheTicketLoop_notFromTheCellStep() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Async<Void> sender = Async.runBlocked(() -> ch.send("x"));
        assertWaitsFrom(sender.thread(), "sendWithTickets", "sendToCell");
        assertEquals("x", ch.receive());
        sender.join();
    }

    /**
     * Asserts that {@code thread} waits in Waiter.await called from CellChannel's
     * {@code loop}, and that no frame of CellChannel's {@code step} is on its stack.
     */
    private static void assertWaitsFrom(Thread thread, String loop, String step) {
        List<StackTraceElement> frames = Arrays.asList(thread.getStackTrace());
        int await = -1;
        for (int i = 0; i < frames.size(); i++) {
            StackTraceElement frame = frames.get(i);
            boolean cellChannel = frame.getClassName().equals(CellChannel.class.getName());
            assertTrue(!(cellChannel && frame.getMethodName().equals(step)),
                    () -> step + " is on the waiting thread's stack: " + frames);
            if (await < 0 && frame.getClassName().equals(Waiter.class.getName())
                    && frame.getMethodName().equals("await")) {
                await = i;
            }
        }
        assertTrue(await >= 0, () -> "the thread does not wait in Waiter.await: " + frames);
        boolean fromLoop = false;
        for (int i = await + 1; i < frames.size(); i++) {
            StackTraceElement frame = frames.get(i);
            if (frame.getClassName().equals(CellChannel.class.getName()) && frame.getMethodName().equals(loop)) {
                fromLoop = true;
                break;
            }
        }
        assertTrue(fromLoop, () -> "Waiter.await is not called from CellChannel." + loop + ": " + frames);
    }
}
