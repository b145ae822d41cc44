package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.select;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.ChannelKind;
import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskFailedException;
import io.github.csp4j.tasks.TaskScope;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults injected into running programs: a task that throws an {@link Error}, a select callback
 * that throws, an interrupt landing on {@code close}, and tasks killed mid-operation by their
 * scope's cancellation. After each, every channel involved is consistent (nothing lost, nothing
 * duplicated) and usable by other threads. Every kind of channel.
 */
@Timeout(120)
class FaultInjectionTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    void taskThrowingError_isReportedAndTheSharedChannelStaysUsable(ChannelKind kind) throws InterruptedException {
        Channel<Integer> shared = kind.create("shared");
        CountDownLatch consumerWaiting = new CountDownLatch(1);
        TaskScope scope = TaskScope.open("errors");
        Task<Integer> consumer = scope.fork("consumer", () -> {
            consumerWaiting.countDown();
            return shared.receive();
        });
        consumerWaiting.await();
        CountDownLatch go = new CountDownLatch(1); // both forked before either fails
        Task<Object> oom = scope.fork("oom", () -> {
            go.await();
            throw new OutOfMemoryError("injected");
        });
        Task<Integer> overflow = scope.fork("overflow", () -> {
            go.await();
            return recurse();
        });
        go.countDown();

        TaskFailedException thrown = assertThrows(TaskFailedException.class, scope::join);
        scope.close();

        List<Throwable> failures = new ArrayList<>(List.of(thrown.getSuppressed()));
        failures.add(thrown.getCause());
        assertTrue(failures.stream().allMatch(t -> t instanceof OutOfMemoryError || t instanceof StackOverflowError),
                failures.toString());
        for (Task<?> faulty : List.of(oom, overflow)) { // whichever failed first cancelled the other
            if (faulty.state() == Task.State.FAILED) {
                assertTrue(failures.contains(faulty.exception()), faulty + " failed, so join reports it");
            } else {
                assertEquals(Task.State.CANCELLED, faulty.state());
            }
        }
        assertEquals(Task.State.CANCELLED, consumer.state());
        assertUsable(shared);
    }

    private static int recurse() {
        return recurse() + 1; // StackOverflowError, unless the first failure cancels it first
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    void selectCallbackThrowing_propagatesConsumesOnlyItsElementAndLeavesChannelsUsable(ChannelKind kind)
            throws InterruptedException {
        Channel<Integer> a = kind.create("a");
        Channel<Integer> b = kind.create("b");
        Async<Void> sender = Async.run(() -> a.send(1));
        IllegalStateException fault = new IllegalStateException("callback fault");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> select(onReceive(a, e -> {
            throw fault;
        }), onReceive(b, e -> {
            throw fault;
        })));

        assertSame(fault, thrown);
        sender.join();
        assertNull(a.tryReceive(), "the select consumed the element its callback got, once");
        assertNull(b.tryReceive(), "the other channel is untouched");
        assertUsable(a);
        assertUsable(b);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    void interruptDuringClose_closeCompletesAndKeepsTheStatus(ChannelKind kind) throws InterruptedException {
        Channel<Integer> channel = kind.create("closing");
        boolean buffers = !kind.isRendezvous();
        if (buffers) {
            channel.send(7);
        }
        Async<Boolean> closer = Async.start(() -> {
            Thread.currentThread().interrupt();
            return channel.close();
        });

        assertTrue(closer.join(), "close never waits, so an interrupt cannot stop it");
        assertTrue(closer.interruptedAtEnd(), "and the interrupt status is left for the caller");
        if (buffers) {
            assertEquals(7, channel.receive(), "buffered elements survive");
        }
        assertThrows(ChannelClosedException.class, channel::receive);
        assertThrows(ChannelClosedException.class, () -> channel.send(1));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    void tasksKilledMidOperationByCancellation_loseAndDuplicateNothing(ChannelKind kind) throws InterruptedException {
        for (long seed = 0; seed < 20; seed++) {
            killMidOperation(kind, seed);
        }
    }

    private static void killMidOperation(ChannelKind kind, long seed) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        Channel<Long> channel = kind.create("ledger");
        ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> received = new ConcurrentLinkedQueue<>();
        int senders = 1 + random.nextInt(4);
        int receivers = 1 + random.nextInt(4);
        int cancelAfter = random.nextInt(2_000);
        CountDownLatch progress = new CountDownLatch(cancelAfter);
        TaskScope scope = TaskScope.open("killed");
        for (int s = 0; s < senders; s++) {
            long base = (long) s << 32;
            scope.fork(() -> {
                for (long i = 0; ; i++) {
                    channel.send(base + i); // an interrupt either stops it before, or lets it finish
                    accepted.add(base + i);
                    progress.countDown();
                }
            });
        }
        for (int r = 0; r < receivers; r++) {
            scope.fork(() -> {
                while (true) {
                    received.add(channel.receive());
                }
            });
        }
        progress.await();

        scope.cancel();
        scope.join();
        scope.close();

        channel.close();
        for (Long element : channel) {
            received.add(element); // what the killed receivers left behind
        }
        List<Long> expected = new ArrayList<>(accepted);
        List<Long> got = new ArrayList<>(received);
        expected.sort(null);
        got.sort(null);
        assertEquals(expected, got, kind + ", seed " + seed + ": exactly the accepted elements, once each");
    }

    /** Another thread can still send through the channel, and receive what it sent. */
    private static void assertUsable(Channel<Integer> channel) throws InterruptedException {
        Async<Integer> receiver = Async.start(channel::receive);
        channel.send(42);
        assertEquals(42, receiver.join());
    }
}
