package io.github.csp4j.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskFailedException;
import io.github.csp4j.tasks.TaskScope;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CurrentTask beside a {@code java.util.concurrent.StructuredTaskScope} opened in a task's body,
 * as its javadoc describes: the scope's threads inherit a ScopedValue binding but are not the task,
 * and a body that leaves the scope open ends with the binding's StructureViolationException (its
 * own exception first, if it threw one), or, with the thread-local, ends as it returned or threw
 * (the JDK closes the scope as the thread exits; not checked here).
 *
 * <p>{@code StructuredTaskScope} is a preview API (JEP 505 on JDK 25), reached by reflection: the
 * tests compile with {@code --release 21}, where its API differs. JDK 25 does not refuse it at run
 * time without {@code --enable-preview}, so the default executions run it, one way each. On JDK 25
 * the class fails if it cannot open a scope; on other JDKs, whose API may differ, it is skipped
 * then. Each test runs on a thread of its own, so that a hang is reported: the JDK's close of a
 * scope left open waits for its subtasks and ignores interrupts, and a cancelled owner's join
 * waits for its tasks to end.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CurrentTaskStructuredScopeTest {
    private static Method open;
    private static Method fork;
    private static Method join;
    private static Method close;

    @BeforeAll
    static void findStructuredTaskScope() {
        String unusable;
        try {
            Class<?> scope = Class.forName("java.util.concurrent.StructuredTaskScope");
            open = scope.getMethod("open");
            fork = scope.getMethod("fork", Callable.class);
            join = scope.getMethod("join");
            close = scope.getMethod("close");
            invoke(close, invoke(open, null));
            return;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unusable = e.toString();
        }
        assertFalse(Runtime.version().feature() == 25, "StructuredTaskScope could not be opened: " + unusable);
        assumeTrue(false, "no StructuredTaskScope of JDK 25's API here: " + unusable);
    }

    @Test
    void theThreadsOfAStructuredTaskScopeOpenedInATask_areNotTheTask() throws Exception {
        AtomicReference<Object> inBody = new AtomicReference<>();
        AtomicReference<Object> inSubtask = new AtomicReference<>("not run");
        AtomicReference<Object> boundInSubtask = new AtomicReference<>("not run");
        AtomicReference<Throwable> forkFromSubtask = new AtomicReference<>();
        Task<String> task;
        try (TaskScope scope = TaskScope.open()) {
            task = scope.fork(() -> {
                inBody.set(CurrentTask.get());
                Object structured = invoke(open, null);
                try {
                    invoke(fork, structured, (Callable<Object>) () -> {
                        inSubtask.set(CurrentTask.get());
                        boundInSubtask.set(CurrentTask.bound());
                        try {
                            scope.fork(() -> "from a subtask");
                        } catch (Throwable t) {
                            forkFromSubtask.set(t);
                        }
                        return null;
                    });
                    invoke(join, structured);
                } finally {
                    invoke(close, structured);
                }
                return "done";
            });
            scope.join();
        }
        assertEquals("done", task.get());
        assertSame(task, inBody.get());
        // a binding is inherited, a thread-local is not: get() answers null either way
        assertSame(CurrentTask.scoped() ? task : null, boundInSubtask.get(),
                "scoped: " + CurrentTask.scoped());
        assertNull(inSubtask.get(), "a subtask's thread is not the task (scoped: " + CurrentTask.scoped() + ")");
        assertInstanceOf(WrongThreadException.class, forkFromSubtask.get(),
                "a fork from a subtask's thread is neither the owner's nor a task's");
    }

    @Test
    void aBodyThatLeavesAStructuredTaskScopeOpen_failsWithTheBinding_andReturnsWithTheThreadLocal()
            throws Exception {
        CountDownLatch subtaskWaits = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task;
        try (TaskScope scope = TaskScope.open()) {
            task = scope.fork(() -> {
                Object structured = invoke(open, null);
                invoke(fork, structured, (Callable<Object>) () -> {
                    subtaskWaits.countDown();
                    release.await(); // let go before the owner joins: the JDK's close of the scope
                    // left open waits for its subtasks and ignores interrupts
                    return null;
                });
                subtaskWaits.await();
                return "returned with the scope open";
            });
            try {
                assertTrue(subtaskWaits.await(20, TimeUnit.SECONDS), "the subtask started");
            } finally {
                release.countDown(); // a subtask that starts late must not hold the scope's close
            }
            if (CurrentTask.scoped()) {
                assertThrows(TaskFailedException.class, scope::join);
            } else {
                scope.join();
            }
        }
        if (CurrentTask.scoped()) {
            assertEquals(Task.State.FAILED, task.state());
            assertEquals("java.util.concurrent.StructureViolationException", task.exception().getClass().getName());
        } else {
            assertEquals(Task.State.SUCCEEDED, task.state());
            assertEquals("returned with the scope open", task.get());
        }
    }

    @Test
    void aBodyThatThrowsAndLeavesAStructuredTaskScopeOpen_failsWithItsOwnException() throws Exception {
        IllegalStateException thrown = new IllegalStateException("the body's own failure");
        Task<String> task;
        try (TaskScope scope = TaskScope.open()) {
            task = scope.fork(() -> {
                Object structured = invoke(open, null);
                invoke(fork, structured, (Callable<Object>) () -> null);
                throw thrown;
            });
            assertThrows(TaskFailedException.class, scope::join);
        }
        assertEquals(Task.State.FAILED, task.state());
        assertSame(thrown, task.exception());
        Throwable[] suppressed = thrown.getSuppressed();
        if (CurrentTask.scoped()) {
            assertEquals(1, suppressed.length, "the violation, suppressed");
            assertEquals("java.util.concurrent.StructureViolationException", suppressed[0].getClass().getName());
        } else {
            assertEquals(0, suppressed.length);
        }
    }

    /** {@return what {@code method} returns} Throws what it throws, unwrapped. */
    private static Object invoke(Method method, Object target, Object... arguments) throws ReflectiveOperationException {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
