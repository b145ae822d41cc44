package io.github.csp4j.tasks;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.util.List;
import java.util.Objects;

/**
 * Thrown by {@link TaskScope#join()} when tasks of the scope failed. {@link #getCause()} is the
 * first failure; every later one is attached with {@link #addSuppressed(Throwable)}; the message
 * names the scope and the failing tasks.
 */
public class TaskFailedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String[] failedTasks;

    /**
     * Creates the exception for {@code failures}, in the order their tasks ended.
     *
     * @param scopeName the name of the scope
     * @param failedTasks the names of the failing tasks, in the order of {@code failures}
     * @param failures the exceptions of the failing tasks; at least one
     * @throws NullPointerException if an argument or an element is {@code null}
     * @throws IllegalArgumentException if the lists are empty or of different sizes
     */
    @SuppressWarnings("this-escape") // addSuppressed is final in Throwable
    public TaskFailedException(String scopeName, List<String> failedTasks, List<? extends Throwable> failures) {
        super(message(scopeName, failedTasks, failures), failures.isEmpty() ? null : failures.get(0));
        this.failedTasks = failedTasks.toArray(String[]::new);
        for (int i = 1; i < failures.size(); i++) {
            addSuppressed(failures.get(i));
        }
    }

    private static String message(String scopeName, List<String> failedTasks, List<? extends Throwable> failures) {
        Objects.requireNonNull(scopeName, "scopeName");
        Objects.requireNonNull(failedTasks, "failedTasks");
        Objects.requireNonNull(failures, "failures");
        if (failures.isEmpty() || failures.size() != failedTasks.size()) {
            throw new IllegalArgumentException(
                    "need one task name per failure, got " + failedTasks.size() + " names and " + failures.size() + " failures");
        }
        for (int i = 0; i < failures.size(); i++) {
            Objects.requireNonNull(failedTasks.get(i), "failedTasks[" + i + "]");
            Objects.requireNonNull(failures.get(i), "failures[" + i + "]");
        }
        String first = failedTasks.get(0) + " failed: " + failures.get(0);
        return "scope '" + scopeName + "': " + (failures.size() == 1 ? "task " + first
                : failures.size() + " tasks failed " + failedTasks + "; first, task " + first);
    }

    /**
     * Reads the fields and checks the task names as the constructor does, so that a stream
     * without them, or with a {@code null} among them, is refused. (They are not checked against
     * the failures' count: a thrown instance's suppressed exceptions may include others, added by
     * whoever caught it.)
     *
     * @throws InvalidObjectException naming what is missing
     */
    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (failedTasks == null || failedTasks.length == 0) {
            throw new InvalidObjectException("failedTasks is " + (failedTasks == null ? "null" : "empty"));
        }
        for (int i = 0; i < failedTasks.length; i++) {
            if (failedTasks[i] == null) {
                throw new InvalidObjectException("failedTasks[" + i + "] is null");
            }
        }
    }

    /** {@return the names of the failing tasks, in the order they ended} */
    public List<String> failedTasks() {
        return List.of(failedTasks);
    }
}
