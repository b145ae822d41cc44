package io.github.csp4j.tasks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counter that numbers a scope's unnamed tasks ({@code task-1}, {@code task-2}, ...), on a
 * cache line of its own.
 *
 * <p>Every unnamed fork adds 1 to it, while the scope's earlier tasks run on other carriers and
 * read the scope's fields ({@code permits} and {@code cancelled} as they start, {@code policy} as
 * they end). As a field initializer's {@code AtomicInteger} it was usually allocated right after
 * the scope object (4 scopes in 5, by JOL), its value 92 bytes after the scope's start: on the
 * line of the scope's last fields, and, for some of the scope's alignments, of {@code permits}
 * and {@code policy}. Then each fork could take that line from the carriers and each task take it
 * back, the cost "A fork without a shared store or a fence" took out for the scope's own mark.
 * On its own line, ForkJoinBenchmark measured 14 and 21 % faster in two A/Bs (benchmarks/RESULTS.md,
 * "The numbers of unnamed tasks on a line of their own").
 *
 * <p>The value sits between two runs of padding in a chain of superclasses, since HotSpot lays out
 * a superclass's fields before its subclass's; it is a long, so that it cannot fill the four bytes
 * after the object header, before the first padding. The padding keeps the value off its
 * neighbours' 64-byte lines, not off the adjacent line that a prefetcher may fetch with it (the
 * JDK's {@code @Contended} pads 128 bytes); whether that would gain more was not measured.
 */
final class TaskNumbers extends TaskNumbersValue {
    /**
     * {@return the next number: 1 for the first call} xadd. Past {@code Integer.MAX_VALUE} calls it
     * wraps as {@code AtomicInteger.incrementAndGet} did.
     */
    int next() {
        return (int) ((long) VALUE.getAndAdd(this, 1L) + 1);
    }

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(TaskNumbersValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 64 bytes after the value: the object after this one starts at least 64 bytes after it. */
    long q0, q1, q2, q3, q4, q5, q6, q7;
}

/** 56 bytes after the header: the value starts at least 64 bytes after the object before it ends. */
abstract class TaskNumbersPad {
    long p0, p1, p2, p3, p4, p5, p6;
}

/** The numbers given so far. xadd. */
abstract class TaskNumbersValue extends TaskNumbersPad {
    volatile long value;
}
