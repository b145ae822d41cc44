package io.github.csp4j.tasks.internal;

import io.github.csp4j.channels.internal.ThreadLabels;
import io.github.csp4j.tasks.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A task of a {@link DefaultTaskScope}: runs its body on its own thread and records how it ended.
 *
 * @param <T> the type of the result
 */
final class DefaultTask<T> implements Task<T> {
    final DefaultTaskScope scope;

    /** The prefix of an unnamed task's name, before its number. */
    private static final String UNNAMED = "task-";

    /** The name given at fork, or null: then generatedName is used. */
    private final String givenName;

    /** UNNAMED + number, made when first asked for; racy but benign (equal strings). */
    private String generatedName;

    private final int number;
    private final Callable<? extends T> body;

    /**
     * The task's thread; set by fork. Plain, like platformEnd (why that is safe: DefaultTaskScope's
     * memory-ordering note): a volatile store would fence every fork (ForkJoinBenchmark).
     */
    private Thread thread;

    /**
     * RUNNING until the task ends; its final value is written once by the task's thread, after
     * result/exception. Its first value, RUNNING, is a plain store, for the same reason as
     * thread's.
     */
    private volatile State state;

    /** Written by the task's thread before state; read after state. */
    private T result;

    private Throwable exception;

    /**
     * A task named {@code givenName}, or, if that is null, {@code task-<number>} (a string made
     * only if someone asks for it).
     */
    DefaultTask(DefaultTaskScope scope, String givenName, int number, Callable<? extends T> body) {
        this.scope = scope;
        this.givenName = givenName;
        this.number = number;
        this.body = body;
        STATE.set(this, State.RUNNING);
    }

    /**
     * {@return the name of the task's thread: scope/task} Made once, at fork, by the forking
     * thread: set by the task's own thread as it starts instead, ForkJoinBenchmark was 35 % slower
     * (benchmarks/RESULTS.md, "Fork/join cost probes, and the name set by the task's thread"); made
     * in one concatenation from a prefix kept by the scope, 29 bytes less, it was not shown faster in
     * two A/Bs on two machines ("A thread name in one concatenation", after runs 20 and 38).
     */
    String threadName() {
        return scope.name() + "/" + (givenName != null ? givenName : UNNAMED + number);
    }

    /**
     * Counted down when a task on a platform thread has ended, null for a virtual one: the owner
     * waits on it rather than in Thread.join, which on JDK 21 to 23 waits inside synchronized and
     * so pins a virtual owner's carrier for the task's whole run. Written before start.
     */
    private CountDownLatch platformEnd;

    void attach(Thread taskThread) {
        this.thread = taskThread;
        if (!taskThread.isVirtual()) {
            platformEnd = new CountDownLatch(1);
        }
    }

    /** The body of the task's thread. */
    void run() {
        Semaphore permits = scope.permits();
        boolean permitted = false;
        try {
            if (permits != null) {
                try {
                    permits.acquire();
                    permitted = true;
                } catch (InterruptedException e) {
                    if (!scope.isCancelled()) {
                        throw e;
                    }
                    neverRan(); // cancelled while waiting for a permit
                    return;
                }
            }
            if (scope.isCancelled()) {
                neverRan(); // forked, but the scope was cancelled before it ran
                return;
            }
            result = CurrentTask.call(this, body); // the body finds its task (CurrentTask.get)
            state = State.SUCCEEDED;
        } catch (Throwable t) { // the body's, or an outside interrupt of its wait for a permit
            exception = t;
            state = scope.isCancelled() && endsAsCancelledOrFails(t) ? State.CANCELLED : State.FAILED;
            failProducer(state == State.CANCELLED ? null : t);
        } finally {
            childFailures = null;
            try {
                // Before the permit goes: a failure (or a race's win) cancels the scope first, so
                // the task that the permit lets in finds it cancelled and never starts its body.
                scope.ended(this);
            } finally {
                if (permitted) {
                    permits.release();
                }
            }
            if (platformEnd != null) {
                platformEnd.countDown();
            }
        }
    }

    /**
     * {@link #endsAsCancelled}, or false if reading {@code t} throws (a getCause() of the body's
     * own exception class): the task then fails with {@code t}, which keeps what the read threw as
     * a suppressed exception, rather than end with no state and its failure lost.
     */
    private boolean endsAsCancelledOrFails(Throwable t) {
        try {
            return endsAsCancelled(t);
        } catch (Throwable e) { // also one thrown sneakily, or t itself
            if (e != t) {
                t.addSuppressed(e);
            }
            return false;
        }
    }

    /** Ends a task whose body never ran because its scope was cancelled first. */
    private void neverRan() {
        state = State.CANCELLED;
        failProducer(null);
    }

    /**
     * Fails a produce task's channel, the task having ended without returning: with
     * {@code failure}, or with the scope's cancellation if it is null (the task ended cancelled),
     * whether the producer threw or never ran, so that the channel's receivers end either way.
     * Decided here, from the task's own state, for every way the task can end so.
     */
    private void failProducer(Throwable failure) {
        if (body instanceof DefaultTaskScope.ProducerBody<?> producer) {
            producer.fail(failure);
        }
    }

    /**
     * The failures that scopes opened by this task reported (their join threw a cancellation, or
     * they closed without a join), or null. Written and read by this task's thread only: it owns
     * those scopes.
     */
    private List<Throwable> childFailures;

    /** Called by a scope this task opened, on this task's thread: the failures it reports. */
    void noteChildFailures(List<Throwable> failures) {
        if (!failures.isEmpty()) {
            if (childFailures == null) {
                childFailures = new ArrayList<>();
            }
            childFailures.addAll(failures);
        }
    }

    /**
     * {@return whether this task, having thrown {@code t}, ends as cancelled once its scope is
     * cancelled} A cancellation (DefaultTaskScope.isCancellation) that carries, as a suppressed
     * exception or a cause at any depth, none of the failures that scopes it opened reported. A
     * scope whose join was cancelled with its parent or interrupted, or that closed without a
     * join, attaches its failures to what it throws; a task that lets that propagate has failed
     * with them, so that they reach its own scope's report. Matched by identity: the task's other
     * suppressed exceptions (the one of a scope closed without join after it reported nothing)
     * do not count, nor do a won race's losers, which a race does not report.
     */
    private boolean endsAsCancelled(Throwable t) {
        if (!DefaultTaskScope.isCancellation(t)) {
            return false;
        }
        if (childFailures == null) {
            return true;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> next = new ArrayDeque<>();
        next.push(t);
        while (!next.isEmpty()) {
            Throwable e = next.pop();
            if (!seen.add(e)) {
                continue; // a shared or cyclic graph of suppressed exceptions
            }
            for (Throwable reported : childFailures) {
                if (reported == e) {
                    return false;
                }
            }
            for (Throwable suppressed : e.getSuppressed()) {
                next.push(suppressed);
            }
            if (e.getCause() != null) {
                next.push(e.getCause());
            }
        }
        return true;
    }

    /**
     * {@return the task's thread} For a thread that found this task through its scope's queue, and
     * for CurrentTask.get on the task's own thread (ordered by Thread.start) or on a thread of a
     * StructuredTaskScope opened in its body (one that inherits the binding).
     */
    Thread thread() {
        return thread;
    }

    /** Interrupts the task's thread, unless the task has ended. */
    void interrupt() {
        if (state == State.RUNNING) {
            thread.interrupt();
        }
    }

    /** Waits for the task's thread to terminate. */
    void joinThread() throws InterruptedException {
        // An ended task's latch is not awaited: await checks the interrupt even then, and a join of
        // a thread that has terminated does not (one still alive waits, and checks it).
        if (platformEnd != null && platformEnd.getCount() != 0) {
            platformEnd.await(); // then the join below waits only for the thread's last instructions
        }
        thread.join();
    }

    /**
     * {@return whether the task's thread terminated within {@code nanos}} Does not wait if
     * {@code nanos} is zero or less.
     */
    boolean joinThread(long nanos) throws InterruptedException {
        if (platformEnd != null && platformEnd.getCount() != 0) { // as joinThread()
            long deadline = System.nanoTime() + nanos;
            if (!platformEnd.await(nanos, TimeUnit.NANOSECONDS)) {
                return false;
            }
            return thread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return thread.join(Duration.ofNanos(nanos));
    }

    @Override
    public String name() {
        if (givenName != null) {
            return givenName;
        }
        String known = generatedName;
        if (known == null) {
            known = UNNAMED + number; // racy but benign: every thread makes an equal string
            generatedName = known;
        }
        return known;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public T get() {
        State now = state;
        return switch (now) {
            case SUCCEEDED -> result;
            case FAILED -> throw new TaskGetException("task '" + name() + "' failed", exception);
            case CANCELLED -> throw new IllegalStateException("task '" + name() + "' was cancelled");
            case RUNNING -> throw new IllegalStateException("task '" + name() + "' has not ended; join its scope first");
        };
    }

    @Override
    public Throwable exception() {
        State now = state; // lv, then the plain field written before it
        return now == State.FAILED || now == State.CANCELLED ? exception : null;
    }

    /**
     * {@return the scope, the task and its state, and while it runs what its thread waits in, if
     * anything (waits): {@code "Task[shop/worker, RUNNING, waiting on jobs]"}}
     * The thread is read plain: a caller that did not fork the task may not see it yet, and then
     * shows no wait.
     */
    @Override
    public String toString() {
        State now = state;
        String waits = waits(now);
        return "Task[" + scope.name() + "/" + name() + ", " + now + (waits.isEmpty() ? "" : ", " + waits) + "]";
    }

    /**
     * {@return what the task's thread waits in, if the task is {@code now} running: {@code "waiting
     * on jobs"}, {@code "waiting in Selection[...]"}, {@code "waiting in TaskScope[...]"} for a
     * scope it opened and waits on (join or close), with that scope's running tasks, or {@code ""}}
     * The thread is read once, plain, as toString reads it.
     */
    String waits(State now) {
        return waits(now, 0, scope.joinedByTask());
    }

    /**
     * {@return what waits(now) returns, a scope the task waits on being described with {@code
     * levels}} (DefaultTaskScope.describe: its tasks are listed if levels is 0 or more)
     *
     * @param joined the scopes the tasks of this task's scope wait on (DefaultTaskScope.joinedByTask)
     */
    String waits(State now, int levels, Map<DefaultTask<?>, DefaultTaskScope> joined) {
        Thread running = thread;
        if (now != State.RUNNING || running == null) {
            return "";
        }
        String parked = ThreadLabels.waitsIn(running);
        DefaultTaskScope nested = parked.isEmpty() ? joined.get(this) : null;
        return nested != null ? "waiting in " + nested.describe(levels) : parked;
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DefaultTask.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
