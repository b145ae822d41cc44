package io.github.csp4j.tasks;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Thrown by {@link TaskScope#join()} when the scope's deadline passed before its tasks ended: the
 * scope was cancelled, and every task has ended by the time this is thrown. Failures of tasks, if
 * any, are attached with {@link #addSuppressed(Throwable)}. The message names the scope and the
 * tasks that had not ended when {@code join} found the deadline passed
 * ({@link #unfinishedTasks()}): the ones that kept it waiting. Each is followed by the csp4j
 * channel or select its thread was parked in then, or the scope it opened and waited on, if any
 * ({@link #unfinishedTaskWaits()}):
 * {@code "scope 'shop' did not finish within PT5S; unfinished then: [reader waiting on jobs,
 * merger waiting in Selection[receive from jobs, receive from idle], writer]; its tasks were
 * cancelled"}.
 */
public class TaskScopeTimeoutException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Unfinished tasks named in the message; the rest are counted. */
    private static final int NAMED = 8;

    private final String scopeName;

    /** Null in an instance read from a stream written before this field. */
    private final String[] unfinishedTasks;

    /** What each unfinished task waited in, or "", at its index; null if from an older stream. */
    private final String[] waits;

    /**
     * Creates the exception for the scope {@code scopeName} with deadline {@code timeout}, naming
     * no unfinished task.
     *
     * @param scopeName the scope's name
     * @param timeout the scope's timeout
     * @throws NullPointerException if an argument is {@code null}
     */
    public TaskScopeTimeoutException(String scopeName, Duration timeout) {
        this(scopeName, timeout, List.of(), List.of());
    }

    /**
     * Creates the exception for the scope {@code scopeName} with deadline {@code timeout}, whose
     * tasks {@code unfinishedTasks} had not ended when the deadline was found passed, saying of
     * none what it waited in.
     *
     * @param scopeName the scope's name
     * @param timeout the scope's timeout
     * @param unfinishedTasks the names of the tasks not yet ended (running, or waiting to start)
     *     then, in fork order; copied
     * @throws NullPointerException if an argument or an element is {@code null}
     */
    public TaskScopeTimeoutException(String scopeName, Duration timeout, List<String> unfinishedTasks) {
        this(scopeName, timeout, unfinishedTasks,
                Collections.nCopies(Objects.requireNonNull(unfinishedTasks, "unfinishedTasks").size(), ""));
    }

    /**
     * Creates the exception for the scope {@code scopeName} with deadline {@code timeout}, whose
     * tasks {@code unfinishedTasks} had not ended when the deadline was found passed, each waiting
     * then as {@code waits} says at the same index.
     *
     * @param scopeName the scope's name
     * @param timeout the scope's timeout
     * @param unfinishedTasks the names of the tasks not yet ended (running, or waiting to start)
     *     then, in fork order; copied
     * @param waits for each of {@code unfinishedTasks}, what its thread waited in then, as a
     *     running {@link Task}'s {@code toString()} shows it
     *     ({@code "waiting on jobs"}), or {@code ""} for none; copied
     * @throws NullPointerException if an argument or an element is {@code null}
     * @throws IllegalArgumentException if the two lists differ in size
     */
    public TaskScopeTimeoutException(String scopeName, Duration timeout, List<String> unfinishedTasks,
            List<String> waits) {
        this(scopeName, timeout, Objects.requireNonNull(unfinishedTasks, "unfinishedTasks").toArray(String[]::new),
                Objects.requireNonNull(waits, "waits").toArray(String[]::new));
    }

    private TaskScopeTimeoutException(String scopeName, Duration timeout, String[] unfinishedTasks, String[] waits) {
        super(message(scopeName, timeout, unfinishedTasks, waits));
        this.scopeName = scopeName;
        this.unfinishedTasks = unfinishedTasks;
        this.waits = waits;
    }

    /** Checks the arguments, the copies of the lists included, and says what timed out. */
    private static String message(String scopeName, Duration timeout, String[] unfinishedTasks, String[] waits) {
        Objects.requireNonNull(scopeName, "scopeName");
        Objects.requireNonNull(timeout, "timeout");
        check(unfinishedTasks, "unfinishedTasks");
        check(waits, "waits");
        checkSizes(waits, unfinishedTasks.length);
        String running = "";
        if (unfinishedTasks.length > 0) {
            StringJoiner named = new StringJoiner(", ", "[", "]");
            for (int i = 0; i < Math.min(NAMED, unfinishedTasks.length); i++) {
                named.add(waits[i].isEmpty() ? unfinishedTasks[i] : unfinishedTasks[i] + " " + waits[i]);
            }
            String more = unfinishedTasks.length > NAMED ? " and " + (unfinishedTasks.length - NAMED) + " more" : "";
            running = "; unfinished then: " + named + more;
        }
        return "scope '" + scopeName + "' did not finish within " + timeout + running + "; its tasks were cancelled";
    }

    /**
     * Reads the fields and checks them as the constructors do, so that a stream whose lists hold
     * a {@code null} or differ in size is refused. A list that the stream's writer did not have
     * (a stream from before it was added) is left {@code null}.
     *
     * @throws InvalidObjectException naming the field that is wrong
     */
    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        try {
            Objects.requireNonNull(scopeName, "scopeName is null");
            if (unfinishedTasks != null) {
                check(unfinishedTasks, "unfinishedTasks");
            }
            if (waits != null) {
                check(waits, "waits");
                checkSizes(waits, unfinishedTasks == null ? 0 : unfinishedTasks.length);
            }
        } catch (NullPointerException | IllegalArgumentException e) {
            InvalidObjectException invalid = new InvalidObjectException(e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }

    private static void check(String[] elements, String list) {
        for (int i = 0; i < elements.length; i++) {
            Objects.requireNonNull(elements[i], list + "[" + i + "]");
        }
    }

    private static void checkSizes(String[] waits, int unfinishedTasks) {
        if (waits.length != unfinishedTasks) {
            throw new IllegalArgumentException("waits and unfinishedTasks differ in size: " + waits.length
                    + " and " + unfinishedTasks);
        }
    }

    /** {@return the name of the scope that timed out} */
    public String scopeName() {
        return scopeName;
    }

    /**
     * {@return the names of the tasks that had not ended (running, or waiting to start) when
     * {@code join} found the deadline passed, in fork order}
     */
    public List<String> unfinishedTasks() {
        return unfinishedTasks == null ? List.of() : List.of(unfinishedTasks);
    }

    /**
     * {@return for each of {@link #unfinishedTasks()}, at the same index, what its thread waited
     * in when {@code join} found the deadline passed, as a running {@link Task}'s
     * {@code toString()} shows it: {@code "waiting on jobs"}, {@code "waiting in
     * Selection[receive from jobs, receive from idle]"}, {@code "waiting in TaskScope[stage,
     * FAIL_FAST, 1 running [stage/parser #41 waiting on lines]]"} for a scope it opened and waited on,
     * or {@code ""} if none of these (still starting, computing, spinning before a park, blocked in
     * something else, or ended just after {@code join} found it running)} The strings are for
     * reading, like the {@code toString} they come from: their format may change.
     */
    public List<String> unfinishedTaskWaits() {
        return waits != null ? List.of(waits) : Collections.nCopies(unfinishedTasks().size(), "");
    }
}
