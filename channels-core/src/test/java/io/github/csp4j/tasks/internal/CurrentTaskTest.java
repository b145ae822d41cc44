package io.github.csp4j.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.csp4j.channels.internal.Tuning;
import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskScope;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a task's thread finds its task (CurrentTask), in the way the JVM and the property choose: a
 * ScopedValue binding on JDK 25 and later, a thread-local before or with
 * {@code io.github.csp4j.scopedValueTasks=false} (channels-core's surefire execution
 * {@code thread-local-tasks} runs the task tests that way).
 */
@Timeout(30)
class CurrentTaskTest {
    @Test
    void theWayChosen_followsTheJdkAndTheProperty() {
        boolean threadLocalAsked = !Tuning.flag(CurrentTask.PROPERTY, true);
        assertEquals(!threadLocalAsked && Runtime.version().feature() >= 25, CurrentTask.scoped(),
                "property " + System.getProperty(CurrentTask.PROPERTY) + ", JDK " + Runtime.version());
    }

    @Test
    void aTaskFindsItself_inItsBody_andNoOtherThreadFindsIt() throws Exception {
        AtomicReference<Object> inBody = new AtomicReference<>();
        AtomicReference<Object> inThreadOfBody = new AtomicReference<>("not run");
        Task<String> task;
        try (TaskScope scope = TaskScope.open()) {
            task = scope.fork(() -> {
                inBody.set(CurrentTask.get());
                Thread other = Thread.ofVirtual().start(() -> inThreadOfBody.set(CurrentTask.get()));
                other.join();
                return "done";
            });
            assertNull(CurrentTask.get(), "the owner is no task");
            scope.join();
        }
        assertSame(task, inBody.get());
        assertNull(inThreadOfBody.get(), "a thread the body started is not the task");
        assertNull(CurrentTask.get());
    }

    @Test
    void aCallOnTheTasksOwnThread_findsItInTheBodyOnly_andWhatTheBodyReturnsOrThrowsPassesThrough()
            throws Throwable {
        try (TaskScope scope = TaskScope.open()) {
            DefaultTask<String> self = new DefaultTask<>((DefaultTaskScope) scope, "self", 0, () -> "unused");
            self.attach(Thread.currentThread()); // this thread runs the calls below as the task's
            assertSame(self, CurrentTask.call(self, CurrentTask::get));
            assertNull(CurrentTask.get(), "nothing stays bound after the call");
            IOException thrown = new IOException("checked");
            assertSame(thrown, assertThrows(IOException.class, () -> CurrentTask.call(self, () -> {
                throw thrown;
            })));
            Error error = new AssertionError("an error");
            assertSame(error, assertThrows(AssertionError.class, () -> CurrentTask.call(self, () -> {
                throw error;
            })));
            InterruptedException interrupt = new InterruptedException("an interrupt");
            assertSame(interrupt, assertThrows(InterruptedException.class, () -> CurrentTask.call(self, () -> {
                throw interrupt;
            })));
            assertNull(CurrentTask.get(), "nothing stays bound after a body that threw");
            scope.join();
        }
    }

    @Test
    void aCallBoundToATaskOfAnotherThread_findsNoTask() throws Throwable {
        Task<Integer> task;
        try (TaskScope scope = TaskScope.open()) {
            task = scope.fork(() -> 1);
            scope.join();
        }
        DefaultTask<?> other = (DefaultTask<?>) task; // its thread has ended; this is not it
        assertNull(CurrentTask.call(other, CurrentTask::get));
    }
}
