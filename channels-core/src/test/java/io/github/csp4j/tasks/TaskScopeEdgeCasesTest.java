package io.github.csp4j.tasks;

import static io.github.csp4j.tasks.TaskTesting.awaitFrom;
import static io.github.csp4j.tasks.TaskTesting.awaitIgnoringInterrupts;
import static io.github.csp4j.tasks.TaskTesting.awaitUntil;
import static io.github.csp4j.tasks.TaskTesting.blockUntilCancelled;
import static io.github.csp4j.tasks.TaskTesting.parkedForPermit;
import static io.github.csp4j.tasks.TaskTesting.parkedInJoin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.testing.Async;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Documented task-scope behaviours that the mutation run (PIT, profile {@code pit}) found
 * unchecked by {@link TaskScopeContractTest}: the interrupt status that {@code join} and
 * {@code close} keep, timeouts on platform threads and beyond what nanoseconds hold, a thread
 * factory that returns no thread, a scope opened in a task of a cancelled scope, a closed child
 * scope that its parent's cancel leaves alone, a cycle of suppressed exceptions, an interrupt
 * that is not a cancellation, {@code winner} and {@code exception} at their edges,
 * {@link TaskFailedException}'s message and checks, and what {@code toString} tells; and, added
 * with it rather than found by that run, {@link TaskScopeTimeoutException}'s list of unfinished
 * tasks. Tasks wait on latches or channels, never on sleeps.
 */
@Timeout(60)
class TaskScopeEdgeCasesTest {

    /* ---- the interrupt status that join and close keep ---- */

    /**
     * Forks into {@code scope} a task that counts {@code started} down, then outlives its
     * cancellation until {@code release}, counting {@code interrupted} down at each interrupt.
     */
    private static void forkOutlivingItsCancellation(TaskScope scope, CountDownLatch started, CountDownLatch release,
            CountDownLatch interrupted) {
        scope.fork(() -> {
            started.countDown();
            return awaitIgnoringInterrupts(release, interrupted);
        });
    }

    @Test
    void join_interruptedAgainWhileWaitingForTheCancelledTasks_throwsWithTheStatusSet() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Async<Void> owner = Async.run(() -> {
            try (TaskScope scope = TaskScope.open()) {
                forkOutlivingItsCancellation(scope, started, release, interrupted);
                scope.join();
            }
        });
        try {
            Async.spinUntil(started);
            owner.awaitBlocked(); // in join
            owner.interrupt(); // join cancels the scope, which interrupts the task, and waits for it
            Async.spinUntil(interrupted);
            owner.awaitBlocked(); // waiting for the task to end
            owner.interrupt();
            awaitUntil(() -> !owner.thread().isInterrupted(), "the owner's wait took the second interrupt");
        } finally {
            release.countDown();
        }

        assertInstanceOf(InterruptedException.class, owner.joinFailure());
        assertTrue(owner.interruptedAtEnd(), "the second interrupt was dropped");
    }

    @Test
    void close_interruptedWhileWaitingForTheCancelledTasks_throwsWithTheStatusSet() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Async<Void> owner = Async.run(() -> {
            try (TaskScope scope = TaskScope.open()) {
                forkOutlivingItsCancellation(scope, started, release, interrupted);
                started.await(); // else the close's cancel keeps the body from ever running
            } // close without join: cancels the task and waits for it
        });
        try {
            Async.spinUntil(interrupted);
            owner.awaitBlocked();
            owner.interrupt();
            awaitUntil(() -> !owner.thread().isInterrupted(), "the owner's wait took the interrupt");
        } finally {
            release.countDown();
        }

        Throwable thrown = owner.joinFailure();
        assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(thrown.getMessage().contains("closed without join"), thrown.getMessage());
        assertTrue(owner.interruptedAtEnd(), "the interrupt that came during close was dropped");
    }

    /* ---- timeouts ---- */

    @Test
    void timeout_passes_onPlatformThreadTasks_joinCancelsAndThrows() throws InterruptedException {
        TaskScope scope = TaskScope.builder().name("platform").timeout(Duration.ofMillis(20))
                .threadFactory(Thread.ofPlatform().factory()).open();
        Task<Object> blocked = scope.fork(TaskTesting::blockUntilCancelled);
        try {
            TaskScopeTimeoutException thrown = assertThrows(TaskScopeTimeoutException.class, scope::join);

            assertEquals("platform", thrown.scopeName());
            assertEquals(Task.State.CANCELLED, blocked.state());
        } finally {
            scope.cancel(); // a platform task left blocked would outlive the test
        }
        scope.close();
    }

    @Test
    void timeout_passes_joinWaitsForTheCancelledTasksAndThrowsWithTheirFailures() {
        RuntimeException late = new RuntimeException("ended after the deadline");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        Async<Void> owner = Async.run(() -> {
            TaskScope scope = TaskScope.builder().timeout(Duration.ofMillis(20)).open();
            scope.fork(() -> {
                taskThread.set(Thread.currentThread());
                started.countDown();
                awaitIgnoringInterrupts(release, interrupted);
                throw late; // a failure: not a cancellation, though the scope was cancelled
            });
            started.await(); // only join cancels the scope: the body runs, however late the deadline
            try {
                scope.join();
            } finally {
                assertEquals(Thread.State.TERMINATED, taskThread.get().getState(), "a task outlived join");
                scope.close();
            }
        });
        try {
            Async.spinUntil(interrupted); // the deadline passed and join cancelled the scope
            owner.awaitBlocked(); // join still waits for the task
        } finally {
            release.countDown();
        }

        Throwable thrown = owner.joinFailure();
        assertInstanceOf(TaskScopeTimeoutException.class, thrown);
        assertEquals(List.of(late), List.of(thrown.getSuppressed()));
    }

    @Test
    void timeout_longerThanNanosecondsHold_isNeverReached() throws InterruptedException {
        for (TaskScope.Builder builder : List.of(TaskScope.builder(),
                TaskScope.builder().threadFactory(Thread.ofPlatform().factory()))) {
            Thread owner = Thread.currentThread();
            CountDownLatch release = new CountDownLatch(1);
            try (TaskScope scope = builder.timeout(Duration.ofSeconds(Long.MAX_VALUE)).open()) {
                Task<Integer> task = scope.fork(() -> {
                    release.await();
                    return 1;
                });
                Async<Void> helper = Async.runOnPlatformThread(() -> {
                    awaitUntil(() -> parkedInJoin(owner), "the owner waits in join");
                    release.countDown();
                });

                scope.join(); // a deadline of "now" would time out at once: the task still runs

                assertEquals(1, task.get());
                assertFalse(scope.isCancelled());
                helper.join();
            }
        }
    }

    /* ---- fork ---- */

    @Test
    void fork_threadFactoryReturnsNoThread_throwsIllegalStateNamingTheScope() throws InterruptedException {
        try (TaskScope scope = TaskScope.builder().name("factoryless").threadFactory(task -> null).open()) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> scope.fork(() -> 1));

            assertTrue(thrown.getMessage().contains("factoryless") && thrown.getMessage().contains("no thread"),
                    thrown.getMessage());
            scope.join(); // nothing was queued: returns at once
        }
    }

    @Test
    void fork_unnamedBetweenNamed_countsOnlyTheUnnamedForks() throws InterruptedException {
        try (TaskScope scope = TaskScope.open("s")) {
            scope.fork("named", () -> 1);
            Task<String> unnamed = scope.fork(() -> Thread.currentThread().getName());
            scope.fork("also named", () -> 2);
            Task<Integer> next = scope.fork(() -> 3);
            scope.join();

            assertEquals("s/task-1", unnamed.get());
            assertEquals("task-2", next.name());
        }
    }

    @Test
    void fork_aNameGivenTwice_orTheNameOfAnUnnamedTask_isAccepted() throws InterruptedException {
        try (TaskScope scope = TaskScope.open("s")) {
            Task<Integer> first = scope.fork("task-1", () -> 1);
            Task<Integer> second = scope.fork("task-1", () -> 2);
            Task<Integer> unnamed = scope.fork(() -> 3);
            scope.join();

            assertEquals(List.of("task-1", "task-1", "task-1"), List.of(first.name(), second.name(), unnamed.name()));
            assertEquals(List.of(1, 2, 3), List.of(first.get(), second.get(), unnamed.get()));
        }
    }

    /**
     * The task's thread is held at its start, before it runs the task, until the scope is
     * cancelled: a gate in the thread factory's threads, not a hold on the carriers, which more
     * carriers than the configured parallelism (added while a thread was pinned) would not hold.
     */
    @Test
    void fork_cancelledBeforeTheTasksThreadRuns_neverRunsTheBody() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();
        CountDownLatch gate = new CountDownLatch(1);
        TaskScope scope = TaskScope.builder().threadFactory(run -> Thread.ofVirtual().unstarted(() -> {
            CountDownLatch interrupted = new CountDownLatch(1);
            awaitIgnoringInterrupts(gate, interrupted);
            if (interrupted.getCount() == 0) {
                Thread.currentThread().interrupt(); // the cancellation's, kept for the task
            }
            run.run();
        })).open();
        Task<Object> task = scope.fork(() -> {
            ran.set(true);
            return null;
        });
        scope.cancel();
        gate.countDown();
        scope.join();

        assertFalse(ran.get(), "the body ran after the cancellation");
        assertEquals(Task.State.CANCELLED, task.state());
        assertNull(task.exception());
        scope.close();
    }

    @Test
    void fork_fromATaskOfAnotherScope_throwsWrongThreadNamingTheScope() throws InterruptedException {
        try (TaskScope other = TaskScope.open(); TaskScope target = TaskScope.open("target")) {
            Task<Throwable> attempt = other.fork(
                    () -> assertThrows(WrongThreadException.class, () -> target.fork(() -> 1)));
            other.join();
            target.join();

            assertTrue(attempt.get().getMessage().contains("target"), attempt.get().getMessage());
        }
    }

    /**
     * Forks into {@code parent} a task that opens a child scope, forks there a task that counts
     * {@code childStarted} down and fails with {@code childFailure} once cancelled, joins the
     * child, and throws what {@code rethrow} makes of the exception that join throws when the
     * parent's cancellation reaches it (which carries {@code childFailure} as suppressed).
     */
    private static Task<Object> forkOpenerOfAFailingChild(TaskScope parent, RuntimeException childFailure,
            CountDownLatch childStarted, Function<Exception, RuntimeException> rethrow) {
        return parent.fork(() -> {
            try (TaskScope child = TaskScope.open()) {
                child.fork(() -> {
                    childStarted.countDown();
                    try {
                        return blockUntilCancelled();
                    } catch (InterruptedException e) {
                        throw childFailure;
                    }
                });
                try {
                    child.join();
                } catch (InterruptedException | CancellationException e) {
                    throw rethrow.apply(e);
                }
            }
            return null;
        });
    }

    @Test
    void cancelled_aTaskThatDropsWhatItsChildScopeReported_endsAsCancelled() throws InterruptedException {
        RuntimeException childFailure = new RuntimeException("child");
        CountDownLatch childStarted = new CountDownLatch(1);
        AtomicReference<Throwable> childJoin = new AtomicReference<>();
        Task<Object> task;
        try (TaskScope parent = TaskScope.open()) {
            task = forkOpenerOfAFailingChild(parent, childFailure, childStarted, e -> {
                childJoin.set(e); // carries childFailure; the task throws something else
                return new CancellationException("dropped what the child scope reported");
            });
            childStarted.await();

            parent.cancel();
            parent.join(); // reports nothing: the task ended as cancelled
        }

        assertEquals(Task.State.CANCELLED, task.state());
        assertEquals(List.of(childFailure), List.of(childJoin.get().getSuppressed()));
    }

    @Test
    void cancelled_aTaskWhoseCancellationHasItsChildScopesReportAsCause_endsAsFailed()
            throws InterruptedException {
        RuntimeException childFailure = new RuntimeException("child");
        CountDownLatch childStarted = new CountDownLatch(1);
        CancellationException wrapper = new CancellationException("the child scope's report as cause");
        Task<Object> task;
        TaskFailedException thrown;
        try (TaskScope parent = TaskScope.open()) {
            task = forkOpenerOfAFailingChild(parent, childFailure, childStarted, e -> {
                wrapper.initCause(e); // e carries childFailure as suppressed
                return wrapper;
            });
            childStarted.await();

            parent.cancel();
            thrown = assertThrows(TaskFailedException.class, parent::join);
        }

        assertEquals(Task.State.FAILED, task.state());
        assertSame(wrapper, thrown.getCause(), "the report reached the parent through the cause");
    }

    /** Without a guard against cycles, the walk for the child scope's report would never end. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cancelled_aTaskWhoseCancellationHasACycleOfSuppressedExceptions_endsAsCancelled()
            throws InterruptedException {
        RuntimeException childFailure = new RuntimeException("child");
        CountDownLatch childStarted = new CountDownLatch(1);
        CancellationException thrown = new CancellationException("one end of a cycle");
        RuntimeException other = new RuntimeException("the other end");
        thrown.addSuppressed(other);
        other.addSuppressed(thrown);
        Task<Object> task;
        try (TaskScope parent = TaskScope.open()) {
            task = forkOpenerOfAFailingChild(parent, childFailure, childStarted, e -> thrown);
            childStarted.await();

            parent.cancel();
            parent.join(); // reports nothing: the cycle does not hold the child scope's report
        }

        assertEquals(Task.State.CANCELLED, task.state());
        assertSame(thrown, task.exception());
    }

    /** The parent's cancel reaches the scopes still open in its tasks, not one already closed. */
    @Test
    void cancel_afterAChildScopeClosed_leavesTheClosedScopeUncancelled() throws InterruptedException {
        AtomicReference<TaskScope> closedChild = new AtomicReference<>();
        CountDownLatch childClosed = new CountDownLatch(1);
        try (TaskScope parent = TaskScope.open()) {
            parent.fork(() -> {
                try (TaskScope child = TaskScope.open("child")) {
                    child.fork(() -> 1);
                    child.join();
                    closedChild.set(child);
                }
                childClosed.countDown();
                return blockUntilCancelled();
            });
            childClosed.await();

            parent.cancel();
            parent.join();
        }

        assertFalse(closedChild.get().isCancelled(), closedChild.get().toString());
    }

    @Test
    void open_inATaskOfACancelledScope_isCancelledAndRefusesForks() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Boolean> childCancelled = new AtomicReference<>();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        try (TaskScope parent = TaskScope.open()) {
            parent.fork(() -> {
                started.countDown();
                awaitUntil(parent::isCancelled, "the parent is cancelled"); // keeps the interrupt
                try (TaskScope child = TaskScope.open()) {
                    childCancelled.set(child.isCancelled());
                    refused.set(assertThrows(IllegalStateException.class, () -> child.fork(() -> 1)));
                }
                return null;
            });
            started.await();

            parent.cancel();
            parent.join();
        }

        assertEquals(Boolean.TRUE, childCancelled.get(), "a scope opened after its parent's cancel");
        assertTrue(refused.get().getMessage().contains("cancelled"), refused.get().getMessage());
    }

    @Test
    void maxConcurrency_aWaitingTaskInterruptedByAnotherThread_failsAndIsReported() throws InterruptedException {
        ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskScope scope = TaskScope.builder().maxConcurrency(1).threadFactory(body -> {
            Thread thread = Thread.ofVirtual().unstarted(body);
            threads.add(thread);
            return thread;
        }).open();
        Task<Object> running = scope.fork("running", () -> {
            started.countDown();
            release.await();
            return null;
        });
        try {
            started.await(); // the first task holds the only permit
            Task<Object> waiting = scope.fork("waiting", () -> 1);
            Thread waitingThread = new ArrayList<>(threads).get(1);
            awaitUntil(() -> parkedForPermit(waitingThread), "the second task waits for its permit");

            waitingThread.interrupt(); // not a cancellation: nobody cancelled the scope

            TaskFailedException thrown = assertThrows(TaskFailedException.class, scope::join);
            assertEquals(List.of("waiting"), thrown.failedTasks());
            assertEquals(Task.State.FAILED, waiting.state());
            assertInstanceOf(InterruptedException.class, waiting.exception());
            assertEquals(Task.State.CANCELLED, running.state(), "the failure cancelled the running task");
        } finally {
            release.countDown();
            scope.cancel(); // whatever failed above, no task outlives the test
        }
        scope.close();
    }

    @Test
    void join_again_afterMoreFailures_throwsANewExceptionWithEveryFailure() throws InterruptedException {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second");
        List<TaskFailedException> joins = joinsAroundASecondFailure(first, second,
                (scope, once) -> assertSame(once, assertThrows(TaskFailedException.class, scope::join)));
        TaskFailedException once = joins.get(0);
        TaskFailedException twice = joins.get(1);

        assertEquals(List.of("a", "b"), twice.failedTasks());
        assertSame(first, twice.getCause());
        assertEquals(List.of(second), List.of(twice.getSuppressed()));
        assertEquals(List.of("a"), once.failedTasks(), "the first exception is not changed");
    }

    /**
     * Whoever catches a join's exception may add suppressed exceptions to it (a try-with-resources
     * adds its close's): a later join after a new failure still throws a new exception with every
     * failure. When join counted the suppressed exceptions to tell whether its last exception was
     * still whole, one added by the caller made it throw that old exception without the new
     * failure (found by review, 2026-12-06).
     */
    @Test
    void join_again_afterTheCallerAddedASuppressedExceptionAndAnotherFailure_throwsEveryFailure()
            throws InterruptedException {
        RuntimeException second = new RuntimeException("second");
        TaskFailedException twice = joinsAroundASecondFailure(new RuntimeException("first"), second,
                (scope, once) -> once.addSuppressed(new IllegalStateException("added by the caller"))).get(1);

        assertEquals(List.of("a", "b"), twice.failedTasks());
        assertEquals(List.of(second), List.of(twice.getSuppressed()));
    }

    /**
     * In a supervising scope task a fails with {@code first} and join throws; {@code between} gets
     * the scope and that exception; then task b fails with {@code second} and join throws again.
     * {@return the two exceptions join threw, in order}
     */
    private static List<TaskFailedException> joinsAroundASecondFailure(RuntimeException first,
            RuntimeException second, BiConsumer<TaskScope, TaskFailedException> between)
            throws InterruptedException {
        try (TaskScope scope = TaskScope.builder().policy(TaskScope.Policy.SUPERVISE).open()) {
            scope.fork("a", () -> {
                throw first;
            });
            TaskFailedException once = assertThrows(TaskFailedException.class, scope::join);
            between.accept(scope, once);
            scope.fork("b", () -> {
                throw second;
            });
            return List.of(once, assertThrows(TaskFailedException.class, scope::join));
        }
    }

    @Test
    void cancel_again_interruptsNoTaskASecondTime() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch cancelledTwice = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.open()) {
            Task<Boolean> task = scope.fork(() -> {
                started.countDown();
                awaitIgnoringInterrupts(release, interrupted); // the first interrupt is taken here
                released.countDown(); // from here on no wait takes an interrupt
                Async.spinUntil(cancelledTwice); // leaves the interrupt status as it finds it
                return Thread.currentThread().isInterrupted();
            });
            try {
                started.await(); // else the cancel keeps the body from ever running
                scope.cancel();
                Async.spinUntil(interrupted);
                release.countDown();
                Async.spinUntil(released);

                scope.cancel(); // idempotent

                cancelledTwice.countDown();
                scope.join();
            } finally {
                release.countDown();
                cancelledTwice.countDown();
            }

            assertEquals(Task.State.SUCCEEDED, task.state());
            assertFalse(task.get(), "the second cancel interrupted the task again");
        }
    }

    @Test
    void produce_scopeCancelled_failsTheChannelWithACancellation() throws InterruptedException {
        CountDownLatch producing = new CountDownLatch(1);
        ReceiveChannel<Integer> numbers;
        try (TaskScope scope = TaskScope.open("s")) {
            numbers = scope.produce("numbers", 0, out -> {
                producing.countDown();
                out.send(1); // nobody receives: waits until the cancellation interrupts it
            });
            producing.await();

            scope.cancel();
            scope.join();
        }

        ChannelClosedException seen = assertThrows(ChannelClosedException.class, numbers::tryReceive);
        assertInstanceOf(CancellationException.class, seen.getCause(), "a consumer outside the scope");
    }

    /* ---- winner and exception ---- */

    @Test
    void winner_ofAScopeThatIsNotARace_throwsIllegalStateNamingThePolicy() throws InterruptedException {
        for (TaskScope.Policy policy : List.of(TaskScope.Policy.FAIL_FAST, TaskScope.Policy.SUPERVISE)) {
            try (TaskScope scope = TaskScope.builder().name("plain").policy(policy).open()) {
                scope.fork(() -> 1);
                scope.join();

                IllegalStateException thrown = assertThrows(IllegalStateException.class, scope::winner);
                assertTrue(thrown.getMessage().contains(policy.toString()), thrown.getMessage());
            }
        }
    }

    @Test
    void exception_ofATaskCancelledWhileRunning_isWhatItEndedWith_ofOneNeverRun_isNull()
            throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.builder().maxConcurrency(1).open()) {
            Task<Object> running = scope.fork(() -> {
                started.countDown();
                return blockUntilCancelled();
            });
            started.await(); // before the second fork, whose thread could else take the permit first
            Task<Object> neverRun = scope.fork(() -> 1);

            scope.cancel();
            scope.join();

            assertEquals(Task.State.CANCELLED, running.state());
            assertInstanceOf(InterruptedException.class, running.exception());
            assertEquals(Task.State.CANCELLED, neverRun.state());
            assertNull(neverRun.exception());
        }
    }

    /* ---- TaskFailedException ---- */

    @Test
    void taskFailedException_message_namesTheScopeTheTasksAndTheFirstFailure() { // its class javadoc
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new IllegalArgumentException("second");

        TaskFailedException one = new TaskFailedException("s", List.of("a"), List.of(first));
        TaskFailedException two = new TaskFailedException("s", List.of("a", "b"), List.of(first, second));

        for (String message : List.of(one.getMessage(), two.getMessage())) {
            assertTrue(message.contains("'s'") && message.contains("task a failed: " + first), message);
        }
        assertTrue(two.getMessage().contains("2 tasks failed [a, b]"), two.getMessage());
        assertFalse(one.getMessage().contains("tasks failed"), one.getMessage());
        assertSame(first, two.getCause());
        assertEquals(List.of(second), List.of(two.getSuppressed()));
        assertEquals(List.of("a", "b"), two.failedTasks());
    }

    @Test
    void taskFailedException_noFailureOrOneNamePerFailureMissing_throwsIllegalArgumentNamingTheCounts() {
        RuntimeException failure = new RuntimeException("x");

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new TaskFailedException("s", List.of(), List.of()));
        IllegalArgumentException unmatched = assertThrows(IllegalArgumentException.class,
                () -> new TaskFailedException("s", List.of("a", "b"), List.of(failure)));

        assertTrue(none.getMessage().contains("0 names and 0 failures"), none.getMessage());
        assertTrue(unmatched.getMessage().contains("2 names and 1 failures"), unmatched.getMessage());
    }

    @Test
    void taskFailedException_aNullNameOrFailure_throwsNullPointerNamingTheElement() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        List<RuntimeException> failures = new ArrayList<>(List.of(new RuntimeException("x"), new RuntimeException("y")));
        names.set(1, null);
        NullPointerException nullName = assertThrows(NullPointerException.class,
                () -> new TaskFailedException("s", names, failures));
        names.set(1, "b");
        failures.set(0, null);
        NullPointerException nullFailure = assertThrows(NullPointerException.class,
                () -> new TaskFailedException("s", names, failures));
        NullPointerException nullList = assertThrows(NullPointerException.class,
                () -> new TaskFailedException("s", null, List.of(new RuntimeException("z"))));

        assertEquals("failedTasks[1]", nullName.getMessage());
        assertEquals("failures[0]", nullFailure.getMessage());
        assertEquals("failedTasks", nullList.getMessage());
        List<String> one = List.of("a");
        List<RuntimeException> oneFailure = List.of(new RuntimeException("x"));
        assertEquals("scopeName", assertThrows(NullPointerException.class,
                () -> new TaskFailedException(null, one, oneFailure)).getMessage());
        assertEquals("failures", assertThrows(NullPointerException.class,
                () -> new TaskFailedException("s", one, null)).getMessage());
    }

    /** Added with the list (2026-12-06), not found by the mutation run. */
    @Test
    void taskScopeTimeoutException_unfinishedTasks_checkedCopiedOptionalAndShortInTheMessage() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        TaskScopeTimeoutException named = new TaskScopeTimeoutException("s", Duration.ofSeconds(1), names);
        names.add("c");
        TaskScopeTimeoutException none = new TaskScopeTimeoutException("s", Duration.ofSeconds(1));
        List<String> ten = List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9");
        TaskScopeTimeoutException many = new TaskScopeTimeoutException("s", Duration.ofSeconds(1), ten);

        assertEquals(List.of("a", "b"), named.unfinishedTasks()); // a copy
        assertEquals(List.of(), none.unfinishedTasks());
        assertEquals("scope 's' did not finish within PT1S; its tasks were cancelled", none.getMessage());
        assertEquals(ten, many.unfinishedTasks());
        assertEquals("scope 's' did not finish within PT1S; unfinished then: [t0, t1, t2, t3, t4, t5, t6, t7]"
                + " and 2 more; its tasks were cancelled", many.getMessage());
        Duration second = Duration.ofSeconds(1);
        assertEquals("unfinishedTasks", assertThrows(NullPointerException.class,
                () -> new TaskScopeTimeoutException("s", second, null)).getMessage());
        assertEquals("unfinishedTasks[1]", assertThrows(NullPointerException.class,
                () -> new TaskScopeTimeoutException("s", second, Arrays.asList("a", null))).getMessage());
        assertEquals("scopeName", assertThrows(NullPointerException.class,
                () -> new TaskScopeTimeoutException(null, second)).getMessage());
        assertEquals("timeout", assertThrows(NullPointerException.class,
                () -> new TaskScopeTimeoutException("s", null)).getMessage());
    }

    /** Added with the waits (2026-12-06); the case of eight tasks from a PIT run. */
    @Test
    void taskScopeTimeoutException_waits_checkedCopiedEmptyWithoutThemAndInTheMessage() {
        Duration second = Duration.ofSeconds(1);
        List<String> waits = new ArrayList<>(List.of("waiting on jobs", ""));
        TaskScopeTimeoutException waited = new TaskScopeTimeoutException("s", second, List.of("a", "b"), waits);
        waits.set(1, "waiting on results");
        List<String> ten = List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9");
        List<String> tenWaits = List.of("", "waiting on c1", "", "", "", "", "", "waiting on c7", "waiting on c8", "");
        TaskScopeTimeoutException many = new TaskScopeTimeoutException("s", second, ten, tenWaits);

        assertEquals(List.of("waiting on jobs", ""), waited.unfinishedTaskWaits()); // a copy
        assertEquals("scope 's' did not finish within PT1S; unfinished then: [a waiting on jobs, b];"
                + " its tasks were cancelled", waited.getMessage());
        assertEquals(tenWaits, many.unfinishedTaskWaits());
        assertEquals("scope 's' did not finish within PT1S; unfinished then: [t0, t1 waiting on c1, t2, t3, t4,"
                + " t5, t6, t7 waiting on c7] and 2 more; its tasks were cancelled", many.getMessage());
        List<String> eight = ten.subList(0, 8);
        assertEquals("scope 's' did not finish within PT1S; unfinished then: [t0, t1 waiting on c1, t2, t3, t4,"
                + " t5, t6, t7 waiting on c7]; its tasks were cancelled",
                new TaskScopeTimeoutException("s", second, eight, tenWaits.subList(0, 8)).getMessage()); // all named
        assertEquals(List.of("", ""), new TaskScopeTimeoutException("s", second, List.of("a", "b"))
                .unfinishedTaskWaits());
        assertEquals(List.of(), new TaskScopeTimeoutException("s", second).unfinishedTaskWaits());
        List<String> two = List.of("a", "b");
        assertEquals("waits", assertThrows(NullPointerException.class,
                () -> new TaskScopeTimeoutException("s", second, two, null)).getMessage());
        assertEquals("unfinishedTasks", assertThrows(NullPointerException.class,
                () -> new TaskScopeTimeoutException("s", second, null, List.of())).getMessage());
        assertEquals("waits[0]", assertThrows(NullPointerException.class,
                () -> new TaskScopeTimeoutException("s", second, two, Arrays.asList(null, ""))).getMessage());
        assertEquals("waits and unfinishedTasks differ in size: 1 and 2",
                assertThrows(IllegalArgumentException.class,
                        () -> new TaskScopeTimeoutException("s", second, two, List.of("waiting on jobs")))
                        .getMessage());
    }

    /* ---- toString ---- */

    @Test
    void toString_namesScopeAndTask_policyStateAndRunningTasks() throws InterruptedException {
        TaskScope scope = TaskScope.builder().name("shown").policy(TaskScope.Policy.SUPERVISE).open();
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        Task<Object> waiting = scope.fork("waiter", () -> {
            waiterThread.set(Thread.currentThread());
            return blockUntilCancelled();
        });
        Task<Integer> done = scope.fork("done", () -> 1);
        try {
            awaitUntil(() -> done.state() == Task.State.SUCCEEDED
                    && scope.toString().endsWith(" waiting on never]]"),
                    "the second task ended, the first parked in its receive");

            String threadId = "#" + waiterThread.get().threadId(); // the running task's thread
            assertEquals("TaskScope[shown, SUPERVISE, 1 running [shown/waiter " + threadId
                    + " waiting on never]]", scope.toString());
            assertEquals("Task[shown/waiter, RUNNING, waiting on never]", waiting.toString());
            assertEquals("Task[shown/done, SUCCEEDED]", done.toString());
        } finally {
            scope.cancel();
        }
        assertTrue(scope.toString().startsWith("TaskScope[shown, SUPERVISE, cancelled, "), scope.toString());
        scope.join();
        scope.close();
        assertEquals("TaskScope[shown, SUPERVISE, cancelled, closed, 0 running]", scope.toString());
        assertEquals("Task[shown/waiter, CANCELLED]", waiting.toString());
    }

    /** Of more than eight running tasks, eight are named, in fork order, and the rest counted. */
    @Test
    void toString_nineRunningTasks_namesEightAndCountsTheRest() throws InterruptedException {
        TaskScope scope = TaskScope.open("many");
        List<Task<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            tasks.add(scope.fork("t" + i, TaskTesting::blockUntilCancelled));
        }
        try {
            awaitUntil(() -> tasks.stream().allMatch(task -> task.toString().endsWith(" waiting on never]")),
                    "every task parked in its receive");

            String shown = scope.toString();
            StringBuilder eight = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                eight.append("many/t").append(i).append(" #\\d+ waiting on never, "); // in fork order
            }
            assertTrue(shown.matches("TaskScope\\[many, FAIL_FAST, 9 running \\[" + eight + "and 1 more\\]\\]"), shown);
            assertFalse(shown.contains("many/t8"), shown);
        } finally {
            scope.cancel();
            scope.join();
            scope.close();
        }
    }

    /**
     * A task is shown waiting in a scope it opened while it waits in that scope's join, or in its
     * close without a join (for a cancelled task that ignores its interrupt), and no longer once
     * the join or the close returns.
     */
    @Test
    void toString_aTaskWaitingInTheJoinOrTheCloseOfAScopeItOpened_isShownThereUntilItReturns()
            throws InterruptedException {
        CountDownLatch afterJoin = new CountDownLatch(1);
        CountDownLatch next = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch afterClose = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.builder().name("outer").open()) {
            Task<Object> owner = scope.fork("owner", () -> {
                try (TaskScope joined = TaskScope.builder().name("joined").open()) {
                    joined.fork("quick", () -> 1);
                    joined.join();
                    afterJoin.countDown();
                    next.await();
                }
                TaskScope unjoined = TaskScope.builder().name("unjoined").open();
                unjoined.fork("stubborn", () -> {
                    started.countDown();
                    return awaitIgnoringInterrupts(release, interrupted);
                });
                started.await(); // else the close may cancel it before it starts, and not wait
                assertThrows(IllegalStateException.class, unjoined::close, "closed without a join");
                afterClose.countDown();
                done.await();
                return null;
            });

            try {
                awaitFrom(owner, afterJoin);
                assertEquals("Task[outer/owner, RUNNING]", owner.toString(), "the join returned");
                next.countDown();
                awaitFrom(owner, interrupted); // the close cancelled the stubborn task; it waits on
                awaitUntil(() -> owner.toString().matches("Task\\[outer/owner, RUNNING, waiting in TaskScope\\[unjoined,"
                        + " FAIL_FAST, cancelled, 1 running \\[unjoined/stubborn #\\d+\\]\\]\\]"), "the owner in the close");
                release.countDown();
                awaitFrom(owner, afterClose);
                assertEquals("Task[outer/owner, RUNNING]", owner.toString(), "the close returned");
            } finally { // so that a failure above does not leave the owner waiting in a close
                next.countDown();
                release.countDown();
                done.countDown();
            }
            scope.join();
            assertEquals(Task.State.SUCCEEDED, owner.state());
        }
    }

    /**
     * A task whose nested scope's join timed out is no longer shown waiting in that scope, though
     * the scope stays open until the task closes it: the join cancelled the scope's tasks and
     * waited for them before it threw.
     */
    @Test
    void toString_aTaskWhoseNestedJoinTimedOut_isNoLongerShownWaitingInThatScope() throws InterruptedException {
        CountDownLatch timedOut = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.builder().name("outer").open()) {
            Task<Object> owner = scope.fork("owner", () -> {
                try (TaskScope nested = TaskScope.builder().name("nested").timeout(Duration.ofMillis(50)).open()) {
                    nested.fork("slow", TaskTesting::blockUntilCancelled);
                    assertThrows(TaskScopeTimeoutException.class, nested::join);
                    timedOut.countDown();
                    done.await(); // the nested scope still open
                }
                return null;
            });
            try {
                awaitFrom(owner, timedOut);
                assertEquals("Task[outer/owner, RUNNING]", owner.toString());
            } finally {
                done.countDown();
            }
            scope.join();
            assertEquals(Task.State.SUCCEEDED, owner.state());
        }
    }
}
