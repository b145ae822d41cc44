package io.github.csp4j.tasks;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.SendChannel;
import io.github.csp4j.tasks.internal.DefaultTaskScope;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;

/**
 * A block of structured concurrency: tasks forked in it run on their own (virtual) threads, and
 * none outlives it. By default ({@link Policy#FAIL_FAST}) a failing task cancels its siblings at
 * once, and {@link #join()} reports every failure; see {@link Policy} for a race and for
 * supervision.
 *
 * {@snippet class=io.github.csp4j.tasks.TaskSnippets region=fanOut}
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Threads.</b> Each task runs on a new virtual thread by default (or one from the
 *       {@linkplain Builder#threadFactory thread factory}), named {@code scope/task}.
 *   <li><b>Fail-fast</b> (the default {@link Policy#FAIL_FAST}): the first failure cancels the
 *       scope: every unfinished task is interrupted, a task forked but not started never runs, and
 *       no task may be forked any more. {@code join} waits until every task has ended, then throws
 *       {@link TaskFailedException}. After cancellation a task that ends with
 *       {@link InterruptedException}, {@link io.github.csp4j.channels.UncheckedInterruptedException},
 *       {@link java.util.concurrent.CancellationException}, or an exception whose cause is a
 *       {@code CancellationException} (a {@link ChannelClosedException} of a channel failed by a
 *       cancelled {@link #produce producer}, the {@link IllegalStateException} of a fork refused
 *       by the cancelled scope; not a nested scope's {@link TaskFailedException}, whose cause is a
 *       failure that scope reports, nor {@link Task#get()}'s exception for a failed task, whose
 *       cause is that task's failure, nor an exception a body made of an interrupt: each is a
 *       failure), counts as {@linkplain Task.State#CANCELLED cancelled}, unless it carries a
 *       failure that a scope opened in the task reports (that scope's {@code join}, cancelled with
 *       this scope or interrupted, and its {@code close} without a {@code join} attach its failures
 *       as suppressed exceptions; one it reports, any but a won race's losers, makes the task
 *       failed, and the task's exception, with it, is reported; other suppressed exceptions do not
 *       count); anything else it throws is a failure and is reported.
 *   <li><b>No task outlives its scope.</b> When the owner's {@code join} or {@code close} returns
 *       or throws, every task thread has terminated. {@code close} without a {@code join} after
 *       the last fork cancels what still runs, waits for it, and throws
 *       {@link IllegalStateException} with any failures attached as suppressed. Cancellation only
 *       interrupts: a task that ignores its interrupt, or waits where interrupts are ignored,
 *       keeps {@code join} and {@code close} waiting until it ends.
 *   <li><b>Cancellation is transitive.</b> A scope opened in a task is cancelled when that task's
 *       scope is, unless it was closed before (its parent does not keep it once closed). A task
 *       blocked in a csp4j channel operation wakes at once: cancellation interrupts it.
 *   <li><b>Confinement.</b> {@code fork} may be called by the owner (the thread that opened the
 *       scope) and by the scope's own tasks; from another thread it throws
 *       {@link WrongThreadException}; after {@code close} or cancellation,
 *       {@link IllegalStateException}. {@code join} and {@code close} only by the owner.
 *   <li><b>Memory visibility.</b> Actions before {@code fork} happen-before the task body; the task
 *       body happens-before {@code join} returning.
 *   <li><b>Debugging.</b> A scope's {@code toString} names it and its policy, says whether it
 *       was cancelled or closed, and counts its running tasks and names their threads, up to
 *       eight, by name and thread id as a channel's {@code toString} names the threads blocked in
 *       it, each followed by the csp4j channel or select it is parked in, if it is
 *       ({@code "TaskScope[shop, FAIL_FAST, 2 running [shop/worker #31 waiting on jobs,
 *       shop/asker #32 waiting on replies]]"}), or by a scope it opened and waits on, shown the
 *       same way ({@code "waiting in TaskScope[stage, ...]"}, in its {@code join} or {@code close};
 *       the running tasks of a scope nested deeper are counted, not named); a task's names its
 *       scope, itself and its state, and while it runs what it waits in ({@code "Task[shop/worker,
 *       RUNNING, waiting on jobs]"}).
 * </ul>
 */
public interface TaskScope extends AutoCloseable {

    /** What the scope does when a task ends. */
    enum Policy {
        /**
         * The first failure cancels every other task; {@code join} throws a
         * {@link TaskFailedException} whose cause is that failure. The default.
         */
        FAIL_FAST,
        /**
         * The first success cancels every other task ({@link TaskScope#winner()} is that task);
         * {@code join} throws {@link TaskFailedException} only if no task succeeded. Failures of
         * the losers do not make {@code join} throw once a task has won; each stays visible in its
         * task's {@link Task#exception()}.
         */
        RACE,
        /**
         * Failures cancel nothing: every task runs to its end; {@code join} then throws
         * {@link TaskFailedException} with every failure, if there was one.
         */
        SUPERVISE
    }

    /** {@return a new fail-fast scope owned by the current thread, with a generated name} */
    static TaskScope open() {
        return builder().open();
    }

    /**
     * {@return a new fail-fast scope owned by the current thread}
     *
     * @param name the scope's name, shown in thread names and exceptions
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    static TaskScope open(String name) {
        return builder().name(name).open();
    }

    /** {@return a builder for a scope with a name, deadline, thread factory, limit or policy} */
    static Builder builder() {
        return DefaultTaskScope.builder();
    }

    /** The options of a scope; {@link #open()} opens it. */
    interface Builder {
        /**
         * Names the scope.
         *
         * @param name shown in thread names ({@code name/task}) and exceptions
         * @return this builder
         * @throws NullPointerException if {@code name} is {@code null}
         * @throws IllegalArgumentException if {@code name} is blank
         */
        Builder name(String name);

        /**
         * Gives the scope a deadline, measured from {@link #open()}: if its tasks have not all ended
         * by then, {@code join} cancels the scope, waits for them, and throws
         * {@link TaskScopeTimeoutException}.
         *
         * @param timeout how long the scope may run; positive
         * @return this builder
         * @throws NullPointerException if {@code timeout} is {@code null}
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        Builder timeout(Duration timeout);

        /**
         * Runs the tasks on threads from {@code factory}, for example platform threads for CPU-bound
         * work. The scope names each thread it gets.
         *
         * @param factory makes one unstarted thread per task, which itself runs the task it is given
         *     (the scope interrupts that thread to cancel the task, and joins it; a task run on
         *     another thread cannot fork, and the scopes it opens are not its children)
         * @return this builder
         * @throws NullPointerException if {@code factory} is {@code null}
         */
        Builder threadFactory(ThreadFactory factory);

        /**
         * Lets at most {@code limit} tasks run at once; the others wait, without a thread of their
         * own being busy, and start in the order their threads asked for a permit (fork order,
         * unless the threads of tasks forked close together ran in another order). A running task
         * that waits for a task queued behind it (one it forked, or a sibling whose failure would
         * cancel it) never ends: keep such tasks out of limited scopes.
         *
         * @param limit at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is less than 1
         */
        Builder maxConcurrency(int limit);

        /**
         * Sets what the scope does when a task ends.
         *
         * @param policy {@link Policy#FAIL_FAST} by default
         * @return this builder
         * @throws NullPointerException if {@code policy} is {@code null}
         */
        Builder policy(Policy policy);

        /**
         * {@return a new scope with these options, owned by the current thread} The builder may be
         * used again.
         */
        TaskScope open();
    }

    /** {@return the scope's name} */
    String name();

    /**
     * Starts {@code task} in a new thread of this scope, as a task named {@code task-N}, where N
     * counts this scope's unnamed forks from 1, whichever thread (the owner or a task) forks (a
     * fork that the thread factory fails, below, uses up its number too); its thread is named
     * {@code scope/task-N}.
     *
     * @param task the task's body
     * @param <T> the type of its result
     * @return the forked task
     * @throws NullPointerException if {@code task} is {@code null}
     * @throws WrongThreadException if called by a thread that is neither the owner nor a task of
     *     this scope
     * @throws IllegalStateException if the scope is closed, or cancelled (then, unless it is also
     *     closed, its cause is a {@link java.util.concurrent.CancellationException}), or if its
     *     thread factory returned no thread
     * @throws IllegalThreadStateException if its thread factory returned a thread already started
     *     (left as it was, not renamed); whatever else the thread's {@code start()} throws
     *     propagates too, and in either case no task was forked
     */
    <T> Task<T> fork(Callable<? extends T> task);

    /**
     * Starts {@code task} in a new thread of this scope, as a task named {@code name}; its thread
     * is named {@code scope/name}.
     *
     * @param name the task's name, shown in its thread's name and in exceptions
     * @param task the task's body
     * @param <T> the type of its result
     * @return the forked task
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws WrongThreadException if called by a thread that is neither the owner nor a task of
     *     this scope
     * @throws IllegalStateException as for {@link #fork(Callable)}
     * @throws IllegalThreadStateException as for {@link #fork(Callable)}
     */
    <T> Task<T> fork(String name, Callable<? extends T> task);

    /**
     * Forks a producer that sends into a new channel, and returns the channel's receiving end: the
     * channel is closed when the producer returns, and failed with its exception when it throws
     * (with a {@link java.util.concurrent.CancellationException} when it ends because the scope was
     * cancelled, as a task counts as cancelled, and when it never ran because the scope was
     * cancelled before it started; with the {@link InterruptedException} of an interrupt from
     * outside the scope that ended its wait for a {@linkplain Builder#maxConcurrency permit}), so
     * a pipeline's consumers end cleanly either way.
     *
     * {@snippet class=io.github.csp4j.tasks.TaskSnippets region=produce}
     *
     * @param name the name of the task and of the channel
     * @param capacity the channel's buffer: 0 for a rendezvous channel
     * @param producer sends the elements
     * @param <T> the element type
     * @return the channel, to receive from
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is negative
     * @throws WrongThreadException as for {@link #fork(String, Callable)}
     * @throws IllegalStateException as for {@link #fork(String, Callable)}
     * @throws IllegalThreadStateException as for {@link #fork(String, Callable)}
     */
    <T> ReceiveChannel<T> produce(String name, int capacity, Producer<T> producer);

    /** The body of a {@link #produce produce} task. */
    @FunctionalInterface
    interface Producer<T> {
        /**
         * Sends elements to {@code out}; the scope closes {@code out} afterwards.
         *
         * @param out the channel to send to
         * @throws Exception to fail the channel and the task
         */
        void produce(SendChannel<T> out) throws Exception;
    }

    /**
     * Waits until every task forked so far (also by tasks) has ended.
     *
     * <p><b>Blocking.</b> Until every task has ended, or the deadline passed (then the scope is
     * cancelled and {@code join} waits for the tasks to end). May be called again after more forks.
     *
     * <p><b>Interruption.</b> If the owner is interrupted while waiting, the scope is cancelled,
     * {@code join} waits for every task to end, and throws {@code InterruptedException} with any
     * task failures attached as suppressed; the interrupt status is cleared (an interrupt that
     * arrives while {@code join} then waits for the tasks is kept: the status is set again). A
     * {@code join} that finds every task's thread terminated does not wait, and leaves an
     * interrupt status that was set before it as it was.
     *
     * <p><b>Closed channel.</b> Not applicable; a task's {@link ChannelClosedException} is a
     * failure like any other, unless the scope was cancelled and the exception's cause is a
     * {@link java.util.concurrent.CancellationException} (as a channel failed by a cancelled
     * {@link #produce producer} has): then the task counts as cancelled (see "Fail-fast" above).
     *
     * <p><b>Memory visibility.</b> Every task body happens-before {@code join} returns or throws.
     *
     * @throws InterruptedException if interrupted while waiting, see above
     * @throws TaskFailedException if tasks failed (per the policy); a later {@code join} throws
     *     the same instance again while no task has failed since it was made
     * @throws TaskScopeTimeoutException if the deadline passed first; it names the tasks not yet
     *     ended when {@code join} found it passed ({@link TaskScopeTimeoutException#unfinishedTasks()})
     *     and the channel, select or nested scope each waited in then, if any
     *     ({@link TaskScopeTimeoutException#unfinishedTaskWaits()}); also if this scope was
     *     cancelled with its parent, when a task was still running at the deadline
     * @throws java.util.concurrent.CancellationException if this scope was opened in a task whose
     *     scope was cancelled (after every task of this scope ended), so that the task ends as
     *     cancelled; with this scope's failures attached as suppressed, so that the task ends as
     *     failed instead if this scope reports one (a won race's losers it does not)
     * @throws WrongThreadException if not called by the owner
     * @throws IllegalStateException if the scope is closed
     */
    void join() throws InterruptedException;

    /**
     * Cancels the scope: interrupts every unfinished task, keeps forked tasks that have not started
     * from running, cancels the scopes opened in its tasks that are not closed, and refuses new
     * forks. Returns at once; {@code join} or {@code close} waits for the tasks. May be called by
     * any thread; idempotent.
     */
    void cancel();

    /** {@return whether the scope was cancelled} */
    boolean isCancelled();

    /**
     * {@return the task whose success ended a {@link Policy#RACE} scope}
     *
     * @throws IllegalStateException if the policy is not {@code RACE} or no task has succeeded
     */
    Task<?> winner();

    /**
     * Closes the scope. If tasks were forked since the last {@code join}, cancels those still
     * running, waits for them, and throws {@link IllegalStateException} ("closed without join")
     * with every task failure attached as suppressed: a failure is never dropped. Idempotent.
     *
     * <p><b>Blocking.</b> Only in that case, until the tasks have ended.
     *
     * <p><b>Interruption.</b> The wait cannot be interrupted: an interrupt that arrives meanwhile
     * is kept as the interrupt status, and {@code close} still waits for every task.
     *
     * <p><b>Closed channel.</b> Not applicable, as for {@link #join()}.
     *
     * <p><b>Memory visibility.</b> Every task body happens-before {@code close} returns or throws.
     *
     * @throws IllegalStateException if tasks were forked since the last {@code join}
     * @throws WrongThreadException if not called by the owner
     */
    @Override
    void close();
}
