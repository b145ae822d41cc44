package io.github.csp4j.tasks.internal;

import io.github.csp4j.channels.internal.Tuning;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;

/**
 * The task whose body the current thread runs: how a fork from a task is allowed, and how a scope
 * opened in a task finds its parent.
 *
 * <p>On JDK 25 and later the body runs under a {@code java.lang.ScopedValue} binding, final there;
 * before, under a thread-local. The thread-local's first set makes the thread's map of
 * thread-locals (143 bytes), which a task's new thread never has. With the binding,
 * ForkJoinBenchmark read 4 and 7 % faster in two A/Bs, in 9 of 10 rounds each, at 625 bytes per
 * task against 709 (benchmarks/RESULTS.md, "A task's thread-local, and a scoped value in its
 * place"); that is for a task that never looks itself up: the first lookup that finds the binding
 * fills ScopedValue's per-thread cache (an Object[32], 144 bytes with compressed oops), so a task
 * that forks takes about 64 bytes more than with the thread-local (one fork of a benchmark of
 * nested forks, where such a task and a child that does not took about 20 less together), and by
 * the code so does one that opens a scope, which makes the same first lookup. The library
 * compiles with {@code --release 21}, where {@code ScopedValue} is a preview API, so the binding
 * is reached through method handles, looked up once. System property
 * {@code io.github.csp4j.scopedValueTasks=false} keeps the thread-local on any JDK (the tests run
 * the task suite both ways); a value other than {@code true} or {@code false} fails this class's
 * initialization (Tuning.flag).
 *
 * <p>A binding, unlike the thread-local, is inherited by the threads of a
 * {@code java.util.concurrent.StructuredTaskScope} opened in the body, which are not the task;
 * {@link #get} answers only on the task's own thread, both ways. A body that leaves such a scope
 * open ends, on JDK 25 and later, with the StructureViolationException its binding throws (with
 * the body's own exception, if it threw one, in its place and the violation suppressed); with the
 * thread-local the JDK closes that scope when the thread exits.
 */
final class CurrentTask {
    /** The property that keeps the thread-local on JDK 25 and later when false. */
    static final String PROPERTY = "io.github.csp4j.scopedValueTasks";

    /** The binding's key, or null where the thread-local is used. */
    private static final Object KEY;

    /** ScopedValue.where(key, value), as (Object, Object) Object; unused where KEY is null. */
    private static final MethodHandle WHERE;

    /** Carrier.run(Runnable), as (Object, Runnable) void; unused where KEY is null. */
    private static final MethodHandle RUN;

    /** ScopedValue.orElse(other), as (Object, Object) Object; unused where KEY is null. */
    private static final MethodHandle OR_ELSE;

    /** What orElse returns where nothing is bound: orElse takes no null. */
    private static final Object UNBOUND = new Object();

    /** Used where KEY is null. */
    private static final ThreadLocal<DefaultTask<?>> LOCAL = new ThreadLocal<>();

    static {
        Object key = null;
        MethodHandle where = null;
        MethodHandle run = null;
        MethodHandle orElse = null;
        if (Tuning.flag(PROPERTY, true) && Runtime.version().feature() >= 25) {
            try {
                Class<?> scopedValue = Class.forName("java.lang.ScopedValue");
                Class<?> carrier = Class.forName("java.lang.ScopedValue$Carrier");
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                where = lookup.findStatic(scopedValue, "where", MethodType.methodType(carrier, scopedValue, Object.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Object.class));
                run = lookup.findVirtual(carrier, "run", MethodType.methodType(void.class, Runnable.class))
                        .asType(MethodType.methodType(void.class, Object.class, Runnable.class));
                orElse = lookup.findVirtual(scopedValue, "orElse", MethodType.methodType(Object.class, Object.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Object.class));
                key = lookup.findStatic(scopedValue, "newInstance", MethodType.methodType(scopedValue)).invoke();
            } catch (Throwable e) { // not the API looked for: key, made last, stays null (the thread-local)
            }
        }
        KEY = key;
        WHERE = where;
        RUN = run;
        OR_ELSE = orElse;
    }

    /** {@return whether the task's body runs under a scoped value binding rather than a thread-local} */
    static boolean scoped() {
        return KEY != null;
    }

    /** {@return the task whose body the current thread runs, or null} */
    static DefaultTask<?> get() {
        DefaultTask<?> task = bound();
        // not a thread that inherited the binding (the threads of a StructuredTaskScope opened in
        // the body), nor one that runs the task's Runnable for another thread
        return task != null && task.thread() == Thread.currentThread() ? task : null;
    }

    /**
     * {@return the task bound to the current thread, or null} Whether or not the thread is the
     * task's: get() checks that (CurrentTaskStructuredScopeTest reads both).
     */
    static DefaultTask<?> bound() {
        if (KEY == null) {
            return LOCAL.get();
        }
        Object bound;
        try {
            bound = (Object) OR_ELSE.invokeExact(KEY, UNBOUND);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("ScopedValue.orElse threw a checked exception", e);
        }
        return bound == UNBOUND ? null : (DefaultTask<?>) bound;
    }

    /**
     * {@return what {@code body} returns, called on the current thread as {@code task}'s body}
     * Throws what {@code body} throws.
     */
    static <T> T call(DefaultTask<?> task, Callable<? extends T> body) throws Throwable {
        if (KEY == null) {
            LOCAL.set(task);
            try {
                return body.call();
            } finally {
                LOCAL.remove();
            }
        }
        BoundCall<T> bound = new BoundCall<>(body);
        try {
            RUN.invokeExact((Object) WHERE.invokeExact(KEY, (Object) task), (Runnable) bound);
        } catch (Throwable afterBody) { // what Carrier.run throws after the body: a StructureViolationException
            // (the body left a StructuredTaskScope open) or a VirtualMachineError
            if (bound.thrown != null && bound.thrown != afterBody) {
                bound.thrown.addSuppressed(afterBody); // the body's own exception is what the task ends with
                throw bound.thrown;
            }
            throw afterBody;
        }
        if (bound.thrown != null) {
            throw bound.thrown;
        }
        return bound.result;
    }

    /** A body as the Runnable a binding runs: what it returned or threw, for call to pass on. */
    private static final class BoundCall<T> implements Runnable {
        private final Callable<? extends T> body;
        private T result;
        private Throwable thrown;

        BoundCall(Callable<? extends T> body) {
            this.body = body;
        }

        @Override
        public void run() {
            try {
                result = body.call();
            } catch (Throwable t) {
                thrown = t;
            }
        }
    }

    private CurrentTask() {
    }
}
