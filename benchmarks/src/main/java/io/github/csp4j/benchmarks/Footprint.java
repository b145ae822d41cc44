package io.github.csp4j.benchmarks;

import io.github.csp4j.channels.Channel;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * The memory figures of issue 6, for csp4j beside jox and {@code java.util.concurrent}: the
 * retained size of an empty channel, of a buffered(16) channel after 16 sends (used at capacity)
 * and after 16 sends and 16 receives, measured with JOL's {@link GraphLayout} (every object
 * reachable from the channel, shared constants included); and the heap per virtual thread
 * blocked in a receive, measured as the growth of the used heap after a full GC while
 * {@link #BLOCKED} threads wait on their own empty rendezvous channels: once with the code cold
 * (the first threads park in interpreted frames, which fill larger stack chunks), and once more
 * after {@link #WARM_ROUNDS} rounds of the same, as in a long-running program whose receive path
 * the JIT has compiled. "Cold" is cold for each implementation's own code only: the JDK's park
 * path was warmed by the implementations measured before it (csp4j is measured first).
 *
 * <p>Not a JMH benchmark: sizes are deterministic. Run, from the repository root, with a JDK 21+
 * {@code java}:
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -Djdk.attach.allowAttachSelf=true -cp benchmarks/target/benchmarks.jar io.github.csp4j.benchmarks.Footprint
 * }</pre>
 * It prints a Markdown table for {@code benchmarks/RESULTS.md}.
 */
public final class Footprint {
    /** Virtual threads blocked at once for the heap-per-thread figure. */
    static final int BLOCKED = Integer.getInteger("io.github.csp4j.benchmarks.blocked", 10_000);

    /** Rounds of blocking and waking BLOCKED threads between the cold and the warm figure. */
    static final int WARM_ROUNDS = 5;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Footprint() {}

    /** A channel kind of each implementation, as a factory and its send and receive. */
    private record Kind<C>(String name, Supplier<C> empty, IntFunction<C> buffered, Sender<C> send, Receiver<C> receive) {}

    @FunctionalInterface
    private interface Sender<C> {
        void send(C channel, Integer element) throws InterruptedException;
    }

    @FunctionalInterface
    private interface Receiver<C> {
        Object receive(C channel) throws InterruptedException;
    }

    private static final List<Kind<?>> KINDS = List.of(
            new Kind<Channel<Integer>>("csp4j", Channel::rendezvous, Channel::buffered, Channel::send, Channel::receive),
            new Kind<com.softwaremill.jox.Channel<Integer>>("jox 1.0.1",
                    com.softwaremill.jox.Channel::newRendezvousChannel, com.softwaremill.jox.Channel::newBufferedChannel,
                    com.softwaremill.jox.Channel::send, com.softwaremill.jox.Channel::receive),
            new Kind<java.util.concurrent.BlockingQueue<Integer>>("SynchronousQueue / ArrayBlockingQueue",
                    SynchronousQueue::new, ArrayBlockingQueue::new,
                    java.util.concurrent.BlockingQueue::put, java.util.concurrent.BlockingQueue::take));

    public static void main(String[] args) throws InterruptedException {
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
                + "; " + VM.current().details().lines().findFirst().orElse(""));
        System.out.println();
        System.out.println("| bytes (JOL GraphLayout totalSize) | empty rendezvous | empty buffered(16) | buffered(16), 16 sent | buffered(16), 16 sent and received | heap per blocked virtual thread | the same, warm |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Kind<?> kind : KINDS) {
            System.out.println(row(kind));
        }
    }

    private static <C> String row(Kind<C> kind) throws InterruptedException {
        long rendezvous = GraphLayout.parseInstance(kind.empty().get()).totalSize();
        C buffered = kind.buffered().apply(16);
        long emptyBuffered = GraphLayout.parseInstance(buffered).totalSize();
        Integer[] elements = new Integer[16];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = i + 1000; // not in the Integer cache; their 16 bytes each are counted
        }
        for (Integer e : elements) {
            kind.send().send(buffered, e);
        }
        long full = GraphLayout.parseInstance(buffered).totalSize() - 16L * VM.current().sizeOf(elements[0]);
        for (int i = 0; i < elements.length; i++) {
            kind.receive().receive(buffered);
        }
        long drained = GraphLayout.parseInstance(buffered).totalSize();
        long cold = perBlockedThread(kind);
        for (int i = 0; i < WARM_ROUNDS; i++) {
            perBlockedThread(kind);
        }
        long warm = perBlockedThread(kind);
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %,d | %,d |", kind.name(), rendezvous, emptyBuffered,
                full, drained, cold, warm);
    }

    /** {@return heap bytes per virtual thread blocked in a receive, beside its own channel} */
    private static <C> long perBlockedThread(Kind<C> kind) throws InterruptedException {
        List<C> channels = new ArrayList<>(BLOCKED);
        for (int i = 0; i < BLOCKED; i++) {
            channels.add(kind.empty().get());
        }
        long before = usedAfterGc();
        CountDownLatch started = new CountDownLatch(BLOCKED);
        List<Thread> threads = new ArrayList<>(BLOCKED);
        for (C channel : channels) {
            threads.add(Thread.ofVirtual().start(() -> {
                started.countDown();
                try {
                    kind.receive().receive(channel);
                } catch (InterruptedException e) {
                    // the measurement is over
                }
            }));
        }
        started.await();
        for (Thread thread : threads) {
            awaitWaiting(thread);
        }
        long after = usedAfterGc();
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            if (!thread.join(TIMEOUT)) {
                throw new IllegalStateException(kind.name() + ": " + thread + " did not stop within " + TIMEOUT);
            }
        }
        return (after - before) / BLOCKED;
    }

    private static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(thread + " did not block within " + TIMEOUT + ": " + thread.getState());
            }
            Thread.yield();
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // the least of a few full GCs: finalization and reference processing settle
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
