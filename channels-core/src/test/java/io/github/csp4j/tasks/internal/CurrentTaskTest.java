package io.github.csp4j.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        boolean threadLocalAsked = "false".equals(System.getProperty(CurrentTask.PROPERTY));
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
    void whatTheBodyReturnsOrThrows_passesThroughUnchanged_andNothingStaysBound() throws Throwable {
        Task<Integer> task;
        try (TaskScope scope = TaskScope.open()) {
            task = scope.fork(() -> 1);
            scope.join();
        }
        DefaultTask<?> ended = (DefaultTask<?>) task; // bound here on a thread that is not its own
        assertEquals("value", CurrentTask.call(ended, () -> "value"));
        IOException thrown = new IOException("checked");
        assertSame(thrown, assertThrows(IOException.class, () -> CurrentTask.call(ended, () -> {
            throw thrown;
        })));
        Error error = new AssertionError("an error");
        assertSame(error, assertThrows(AssertionError.class, () -> CurrentTask.call(ended, () -> {
            throw error;
        })));
        assertNull(CurrentTask.get(), "nothing is left bound after a call");
    }
}
