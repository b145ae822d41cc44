package io.github.csp4j.tasks.internal;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.UncheckedInterruptedException;
import io.github.csp4j.channels.internal.ThreadLabels;
import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskFailedException;
import io.github.csp4j.tasks.TaskScope;
import io.github.csp4j.tasks.TaskScopeTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The one implementation of {@link TaskScope}. */
public final class DefaultTaskScope implements TaskScope {
    /*
     * Implementation notes
     *
     * Threads. Every task gets a thread of its own from the factory (virtual by default), started
     * at fork. With a concurrency limit the thread first takes a permit of a fair Semaphore, so
     * waiting tasks hold an unmounted virtual thread rather than a carrier.
     *
     * State. `cancelled` is set once by cancel(); `closed` only by the owner. Failed tasks are
     * appended to `failed` in the order they end (each tells the scope before its permit goes).
     * Unnamed tasks take their numbers from TaskNumbers, a counter on a cache line of its own:
     * every task reads this object's fields as it starts, and the counter is written on every
     * unnamed fork (why it pays: TaskNumbers).
     *
     * Joining. Every forked task is appended to `tasks` before its thread starts. join() takes the
     * head of that queue, waits for its thread to terminate (Thread.join) and only then removes it,
     * until the queue is empty. A task forked by a task is appended before the forking task's
     * thread terminates, so the owner finds it after joining its parent: an empty queue means every
     * task has ended. There is no shared count of running tasks: one (raised by the owner, lowered
     * by the carriers) cost about 80 ns per task plus its lock in ForkJoinBenchmark, where a task
     * then took 450 ns in all (benchmarks/RESULTS.md, "Quiet spins and the task-scope join (what
     * changed before run 5)"). The order matters there too: a stack of tasks joined newest first
     * was 50 % slower, and joined in fork order no faster than this queue (benchmarks/RESULTS.md,
     * "A stack of forked tasks instead of a queue"). A task on a platform thread (a custom factory)
     * is first awaited on a latch of its own, since Thread.join of a platform thread waits inside
     * synchronized (JDK 21 to 23 pin a virtual owner's carrier there); a virtual thread's join does
     * not.
     *
     * Cancellation. cancel() interrupts every queued task still running and cancels the
     * child scopes (scopes opened by this scope's tasks, registered through CurrentTask). A child
     * cancelled that way makes its join() throw CancellationException once its tasks have ended,
     * so the task blocked in that join ends as cancelled even if the interrupt came too late to
     * wake it; unless the child had failures to report: it attaches them to what its join throws
     * and hands them to the task that opened it (carryingFailures), and a task whose exception
     * carries one of them ends as failed (DefaultTask.endsAsCancelled), so that they reach this
     * scope's report. A task
     * checks `cancelled` after it has its permit and before it calls its body, so a task forked
     * but not started never runs. A task is queued in `tasks` before its thread starts, and
     * cancel() sets `cancelled` before it walks the queue: a task whose check missed the flag was
     * queued before the walk, which interrupts it (ForkJoinBenchmark: a queue costs less per
     * task than registering running tasks in a set).
     *
     * Memory ordering. Thread.start orders fork() before the task body; Thread.join orders the
     * whole task, ended() included, before join() returns. fork() writes a task's thread and
     * first state with plain stores before it queues the task in `tasks`, so cancel(), join(),
     * close() and toString(), which find tasks there, see them (the queue orders an element's
     * insertion before whatever finds it); the forking thread sees them in program order.
     */

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String name;
    private final Thread owner;
    private final Policy policy;
    private final ThreadFactory factory;
    private final Semaphore permits;
    private final Duration timeout;
    private final long deadline;
    private final DefaultTaskScope parent;

    private final TaskNumbers taskNumbers = new TaskNumbers();
    private final Set<DefaultTaskScope> children = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<DefaultTask<?>> failed = new ConcurrentLinkedQueue<>();
    /** The task that opened this scope (on its owner's thread), or null: told what this reports. */
    private final DefaultTask<?> parentTask;

    /**
     * Tasks forked and not yet collected by join() or close(): cancel() interrupts those still
     * running, and join() waits for their threads to terminate, so that none outlives it.
     */
    private final ConcurrentLinkedQueue<DefaultTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicReference<DefaultTask<?>> winner = new AtomicReference<>();

    /** Whether the owner forked a task since the last join. Owner only. */
    private boolean forkedSinceJoin;

    /** The exception join threw for failures, thrown again by later joins. Owner only. */
    private TaskFailedException failure;

    private volatile boolean cancelled;
    private volatile boolean closed;

    /** Set before cancelled when the cancellation came from the parent scope. */
    private volatile boolean cancelledWithParent;

    /** Whether the owner waits in join or close for this scope's tasks; set only with parentTask. */
    private volatile boolean ownerWaits;

    private DefaultTaskScope(Options options) {
        this.name = options.name != null ? options.name : "scope-" + SEQUENCE.incrementAndGet();
        this.owner = Thread.currentThread();
        this.policy = options.policy;
        this.factory = options.factory;
        this.permits = options.limit > 0 ? new Semaphore(options.limit, true) : null;
        this.timeout = options.timeout;
        this.deadline = timeout == null ? 0 : System.nanoTime() + saturatedNanos(timeout);
        DefaultTask<?> current = CurrentTask.get();
        this.parentTask = current;
        this.parent = current != null ? current.scope : null;
        if (parent != null) {
            parent.children.add(this);
            if (parent.cancelled) {
                cancelWithParent(); // the task that opens this scope is being cancelled
            }
        }
    }

    /** {@return a builder of scopes} */
    public static TaskScope.Builder builder() {
        return new Options();
    }

    @Override
    public String name() {
        return name;
    }

    /* ---- fork ---- */

    @Override
    public <T> Task<T> fork(Callable<? extends T> task) {
        return forkNamed(null, task);
    }

    @Override
    public <T> Task<T> fork(String taskName, Callable<? extends T> task) {
        return forkNamed(checkName(taskName, "task name"), task);
    }

    /** Forks {@code task} named {@code taskName}, or {@code task-N} if that is {@code null}. */
    private <T> Task<T> forkNamed(String taskName, Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        checkForkAllowed();
        int number = taskName != null ? 0 : taskNumbers.next(); // unnamed: task-<number>
        DefaultTask<T> forked = new DefaultTask<>(this, taskName, number, task);
        Thread thread = factory.newThread(forked::run);
        if (thread == null) {
            throw new IllegalStateException("the thread factory of scope '" + name + "' returned no thread");
        }
        if (thread.getState() != Thread.State.NEW) { // before the scope renames a thread not its own
            throw new IllegalThreadStateException("the thread factory of scope '" + name
                    + "' returned a thread already started: " + thread);
        }
        thread.setName(forked.threadName());
        forked.attach(thread);
        tasks.add(forked); // before start: cancel() and join() find every task whose body may run
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            tasks.remove(forked); // never ran: nothing to cancel or join, nor for close to report
            throw e;
        }
        if (Thread.currentThread() == owner && !forkedSinceJoin) {
            // written once per join, not per fork: a store per fork would take this object's line
            // from the tasks, which read its fields as they run (ForkJoinBenchmark)
            forkedSinceJoin = true;
        }
        return forked;
    }

    private void checkForkAllowed() {
        if (Thread.currentThread() != owner) { // the owner's forks need no lookup of a task
            DefaultTask<?> current = CurrentTask.get();
            if (current == null || current.scope != this) {
                throw new WrongThreadException("fork on scope '" + name + "' from " + Thread.currentThread()
                        + ", which is neither its owner " + owner + " nor one of its tasks");
            }
        }
        if (closed) {
            throw new IllegalStateException("scope '" + name + "' is closed");
        }
        if (cancelled) {
            throw new IllegalStateException("scope '" + name + "' is cancelled; it runs no new task", cancellation());
        }
    }

    @Override
    public <T> ReceiveChannel<T> produce(String channelName, int capacity, Producer<T> producer) {
        Objects.requireNonNull(producer, "producer");
        checkName(channelName, "name");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 (rendezvous) or more, was " + capacity);
        }
        Channel<T> channel = capacity == 0 ? Channel.rendezvous(channelName) : Channel.buffered(channelName, capacity);
        fork(channelName, new ProducerBody<>(channel, producer));
        return channel;
    }

    /**
     * The body of a produce task: closes its channel when the producer returns. When the task ends
     * otherwise (the producer threw, or the task never ran), DefaultTask.run fails the channel
     * (failProducer), with the failure or, for a task that ends cancelled, the cancellation.
     */
    final class ProducerBody<T> implements Callable<Void> {
        private final Channel<T> channel;

        private final Producer<T> producer;

        ProducerBody(Channel<T> channel, Producer<T> producer) {
            this.channel = channel;
            this.producer = producer;
        }

        @Override
        public Void call() throws Exception {
            producer.produce(channel);
            channel.close();
            return null;
        }

        /** Fails the channel with {@code failure}, or with the scope's cancellation if it is null. */
        void fail(Throwable failure) {
            channel.fail(failure != null ? failure : cancellation());
        }
    }

    /* ---- tasks ending ---- */

    /** Called once by every task when it has ended, whatever its state. */
    void ended(DefaultTask<?> task) {
        if (task.state() == Task.State.FAILED) {
            failed.add(task);
            if (policy == Policy.FAIL_FAST) {
                cancel();
            }
        } else if (task.state() == Task.State.SUCCEEDED && policy == Policy.RACE && winner.compareAndSet(null, task)) {
            cancel();
        }
    }

    /**
     * {@return whether {@code t}, thrown by a task of a cancelled scope, is due to the cancellation}
     * An interrupt, or an exception csp4j raised because of it: a CancellationException, or one
     * caused by it (a channel failed by a cancelled producer, a fork refused by a cancelled scope),
     * but not a nested scope's TaskFailedException, whose cause is a failure that scope reports, nor
     * Task.get()'s TaskGetException, whose cause is the failure of the task asked: a task that
     * passes either on fails with it. Causes further down are not read: they may be failures that
     * csp4j's exceptions carry (ADR 0007, "Later changes (2026-12-06)").
     */
    static boolean isCancellation(Throwable t) {
        return t instanceof InterruptedException
                || t instanceof UncheckedInterruptedException
                || t instanceof CancellationException
                || (t.getCause() instanceof CancellationException
                        && !(t instanceof TaskFailedException) && !(t instanceof TaskGetException));
    }

    /**
     * {@return {@code exception}, with every task failure attached as suppressed} Also tells the
     * task that opened this scope those it reports (DefaultTask.endsAsCancelled). For what join
     * throws on a cancellation and close on a missing join: only there does what is thrown carry
     * them on, so a task that handles a join's TaskFailedException keeps nothing for its life.
     * Called by the owner, which is that task's thread.
     */
    private <X extends Throwable> X carryingFailures(X exception) {
        List<Throwable> failures = failures();
        failures.forEach(exception::addSuppressed);
        if (parentTask != null && !wonRace()) {
            parentTask.noteChildFailures(failures);
        }
        return exception;
    }

    /** {@return whether this is a race that a task won: join then reports no failure} */
    private boolean wonRace() {
        return policy == Policy.RACE && winner.get() != null;
    }

    Semaphore permits() {
        return permits;
    }

    private CancellationException cancellation() {
        return new CancellationException("scope '" + name + "' was cancelled");
    }

    /* ---- cancel ---- */

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true; // sv: a task that starts after this sees it and does not run its body
        for (DefaultTask<?> task : tasks) {
            task.interrupt(); // the tasks whose body may be running: they were queued before it
        }
        for (DefaultTaskScope child : children) {
            child.cancelWithParent();
        }
    }

    private void cancelWithParent() {
        cancelledWithParent = true;
        cancel();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Task<?> winner() {
        if (policy != Policy.RACE) {
            throw new IllegalStateException("scope '" + name + "' has policy " + policy + ", not RACE");
        }
        DefaultTask<?> first = winner.get();
        if (first == null) {
            throw new IllegalStateException("no task of scope '" + name + "' has succeeded");
        }
        return first;
    }

    /* ---- join and close ---- */

    @Override
    public void join() throws InterruptedException {
        checkOwner("join");
        if (closed) {
            throw new IllegalStateException("scope '" + name + "' is closed");
        }
        forkedSinceJoin = false;
        List<DefaultTask<?>> unfinished = List.of();
        List<String> waits = List.of();
        try {
            while (!awaitAll()) {
                // Before the cancel: the tasks that kept join waiting, and what each waited in.
                // If every one has ended since awaitAll looked, none did, and join collects them
                // after all.
                unfinished = running();
                if (!unfinished.isEmpty()) {
                    Map<DefaultTask<?>, DefaultTaskScope> joined = joinedByTask();
                    waits = unfinished.stream().map(task -> task.waits(task.state(), 0, joined)).toList();
                    break;
                }
            }
        } catch (InterruptedException e) {
            cancel();
            awaitAllUninterruptibly();
            throw carryingFailures(e);
        }
        if (!unfinished.isEmpty()) {
            cancel();
            awaitAllUninterruptibly();
            List<String> names = unfinished.stream().map(DefaultTask::name).toList();
            TaskScopeTimeoutException exception = new TaskScopeTimeoutException(name, timeout, names, waits);
            failures().forEach(exception::addSuppressed);
            throw exception;
        }
        if (cancelledWithParent) {
            throw carryingFailures(new CancellationException(
                    "scope '" + name + "' was cancelled with its parent scope '" + parent.name + "'"));
        }
        throwFailures();
    }

    private void throwFailures() {
        List<Throwable> failures = failures();
        if (failures.isEmpty() || wonRace()) {
            return;
        }
        // Whole if it names every failed task; its suppressed exceptions are no count of them,
        // since whoever caught it may add some (a try-with-resources adds its close's).
        if (failure == null || failure.failedTasks().size() != failures.size()) {
            List<String> names = new ArrayList<>();
            failed.forEach(task -> names.add(task.name()));
            failure = new TaskFailedException(name, names, failures);
        }
        throw failure;
    }

    private List<Throwable> failures() {
        List<Throwable> failures = new ArrayList<>();
        failed.forEach(task -> failures.add(task.exception()));
        return failures;
    }

    /**
     * Waits until every task has ended and its thread has terminated, or the deadline passes
     * while a task is still running (a task that ended by then is not a timeout, however late
     * join() was called).
     * {@return false if the deadline passed first}
     */
    private boolean awaitAll() throws InterruptedException {
        joining(true);
        try {
            for (DefaultTask<?> task = tasks.peek(); task != null; task = tasks.peek()) {
                if (timeout == null) {
                    task.joinThread();
                } else if (!task.joinThread(deadline - System.nanoTime())) { // no wait once past it
                    if (task.state() == Task.State.RUNNING) {
                        return false;
                    }
                    task.joinThread(); // ended: its thread is on its last instructions
                }
                tasks.poll(); // only now: until its thread ends, cancel() must find it
            }
            return true;
        } finally {
            joining(false);
        }
    }

    /**
     * Waits until every task has ended and its thread has terminated, whatever the interrupts;
     * an interrupt meanwhile is kept for the caller.
     */
    private void awaitAllUninterruptibly() {
        boolean interrupted = false;
        joining(true);
        try {
            for (DefaultTask<?> task = tasks.peek(); task != null; task = tasks.peek()) {
                try {
                    task.joinThread();
                    tasks.poll();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            joining(false);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Records whether the owner now waits for this scope's tasks, if a task opened this scope: for
     * that task's toString and its scope's (joinedByTask). Not for a scope opened outside a task,
     * which no task shows.
     */
    private void joining(boolean now) {
        if (parentTask != null) {
            ownerWaits = now;
        }
    }

    /**
     * {@return for each task of this scope that waits in the join or close of a scope it opened,
     * that scope} Read from this scope's children, each of which knows the task that opened it,
     * rather than from a field of every task (one made each task 8 bytes larger, JOL: 56 to 64
     * bytes, for a diagnostic); one pass, made once for all the tasks a toString or a timeout
     * shows.
     */
    Map<DefaultTask<?>, DefaultTaskScope> joinedByTask() {
        Map<DefaultTask<?>, DefaultTaskScope> joined = new IdentityHashMap<>();
        for (DefaultTaskScope child : children) {
            if (child.ownerWaits) {
                joined.put(child.parentTask, child);
            }
        }
        return joined;
    }

    @Override
    public void close() {
        checkOwner("close");
        if (closed) {
            return;
        }
        boolean withoutJoin = forkedSinceJoin;
        if (withoutJoin) {
            cancel();
        }
        awaitAllUninterruptibly();
        if (parent != null) {
            // Before closed is set, so that a parent cancel that begins after close returns does
            // not reach this scope (one already walking the children may still).
            parent.children.remove(this);
        }
        closed = true;
        if (withoutJoin) {
            throw carryingFailures(new IllegalStateException(
                    "scope '" + name + "' closed without join after its last fork; its tasks were cancelled"));
        }
    }

    private void checkOwner(String operation) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException(operation + " on scope '" + name + "' from " + Thread.currentThread()
                    + "; only its owner " + owner + " may " + operation);
        }
    }

    @Override
    public String toString() {
        return describe(1);
    }

    /**
     * {@return this scope as toString shows it, listing its running tasks if {@code levels} is 0
     * or more} Each task is shown with what its thread waits in (DefaultTask.waits): a scope it
     * joins is described with {@code levels - 1}, so that one nested scope's tasks are listed
     * below this one's, and those of scopes nested deeper are counted, not listed. Without that
     * bound a tree of nested scopes would be listed whole.
     */
    String describe(int levels) {
        // Each task found through the queue, which published its thread.
        List<DefaultTask<?>> running = running();
        // The threads as a channel's toString shows them, so that the two can be matched, and
        // what each waits in.
        String shown = "";
        if (!running.isEmpty() && levels >= 0) {
            Map<DefaultTask<?>, DefaultTaskScope> joined = joinedByTask();
            shown = " " + ThreadLabels.list(running, DefaultTask::thread,
                    task -> task.waits(Task.State.RUNNING, levels - 1, joined));
        }
        return "TaskScope[" + name + ", " + policy + (cancelled ? ", cancelled" : "") + (closed ? ", closed" : "")
                + ", " + running.size() + " running" + shown + "]";
    }

    /** {@return the tasks not collected by join that are still running, in fork order} */
    private List<DefaultTask<?>> running() {
        List<DefaultTask<?>> running = new ArrayList<>();
        for (DefaultTask<?> task : tasks) {
            if (task.state() == Task.State.RUNNING) {
                running.add(task);
            }
        }
        return running;
    }

    private static String checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, was \"" + name + "\"");
        }
        return name;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2; // centuries: never reached, and deadline arithmetic cannot overflow
        }
    }

    /** The builder: the options of a scope. */
    private static final class Options implements TaskScope.Builder {
        private String name;
        private Duration timeout;
        private ThreadFactory factory = Thread.ofVirtual().factory();
        private int limit;
        private Policy policy = Policy.FAIL_FAST;

        @Override
        public TaskScope.Builder name(String scopeName) {
            this.name = checkName(scopeName, "name");
            return this;
        }

        @Override
        public TaskScope.Builder timeout(Duration scopeTimeout) {
            Objects.requireNonNull(scopeTimeout, "timeout");
            if (scopeTimeout.isNegative() || scopeTimeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + scopeTimeout);
            }
            this.timeout = scopeTimeout;
            return this;
        }

        @Override
        public TaskScope.Builder threadFactory(ThreadFactory threadFactory) {
            this.factory = Objects.requireNonNull(threadFactory, "factory");
            return this;
        }

        @Override
        public TaskScope.Builder maxConcurrency(int maxConcurrency) {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
            }
            this.limit = maxConcurrency;
            return this;
        }

        @Override
        public TaskScope.Builder policy(Policy scopePolicy) {
            this.policy = Objects.requireNonNull(scopePolicy, "policy");
            return this;
        }

        @Override
        public TaskScope open() {
            return new DefaultTaskScope(this);
        }
    }
}
