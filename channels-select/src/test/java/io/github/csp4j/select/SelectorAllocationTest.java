package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import java.lang.reflect.Method;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Selector}'s javadoc: a run that completes without waiting allocates nothing but the result
 * of a closed-aware receive. Counted with the JDK's per-thread allocation counter
 * ({@code com.sun.management.ThreadMXBean}), reached by reflection because this module reads
 * neither {@code java.management} nor {@code jdk.management}; each reading boxes its result, so
 * the bound leaves room for a few objects, far below one byte per select.
 *
 * <p>The channels are unbounded and filled before the count starts: a send allocates the
 * channel's segments, a receive allocates nothing, so what is counted is the selector's own.
 */
@Timeout(120)
class SelectorAllocationTest {
    private static final int WARM_UP = 40_000;
    private static final int MEASURED = 100_000;

    /** A few boxed readings and reflection's own objects; a byte per select would be 100,000. */
    private static final long BOUND = 4_096;

    @Test
    void select_thatCompletesWithoutWaiting_allocatesNothing() throws Exception {
        int total = WARM_UP + MEASURED;
        Channel<Integer> a = Channel.unbounded();
        Channel<Integer> b = Channel.unbounded();
        long expected = 0;
        for (int i = 0; i < total; i++) {
            Integer element = i; // boxed before the count, so that the selects box nothing
            a.send(element);
            b.send(element);
        }
        Selector<Integer> selector =
                Select.selector(onReceive(a, Function.identity()), onReceive(b, Function.identity()));
        AllocationCounter counter = new AllocationCounter();
        long sum = 0;
        for (int i = 0; i < WARM_UP; i++) {
            sum += selector.select(); // compiles the path, as a loop that merges channels does
        }

        long before = counter.allocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            sum += selector.select();
        }
        long allocated = counter.allocatedBytes() - before;

        assertTrue(allocated < BOUND, MEASURED + " selects allocated " + allocated + " bytes");
        assertTrue(sum > 0, "the selects received the elements");
        for (int i = 0; i < total; i++) {
            expected += i;
        }
        long left = 0;
        Integer e;
        while ((e = a.tryReceive()) != null) {
            left += e;
        }
        while ((e = b.tryReceive()) != null) {
            left += e;
        }
        assertEquals(2 * expected, sum + left, "every element received once, by a select or after");
    }

    /** The current thread's allocated bytes, from {@code com.sun.management.ThreadMXBean}. */
    private static final class AllocationCounter {
        private final Object bean;
        private final Method read;

        AllocationCounter() throws ReflectiveOperationException {
            bean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean").invoke(null);
            read = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
            allocatedBytes(); // the first call's own set-up is not counted in a measurement
        }

        long allocatedBytes() throws ReflectiveOperationException {
            long bytes = (long) read.invoke(bean);
            if (bytes < 0) {
                throw new IllegalStateException("this JVM does not count a thread's allocated bytes");
            }
            return bytes;
        }
    }
}
