package io.github.csp4j.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scope exceptions survive serialization whole, and a stream that breaks what their
 * constructors check is refused with {@link InvalidObjectException} naming the field. Such a
 * stream is made by writing an instance whose field was changed first, through reflection, as a
 * crafted or damaged stream could hold it; a field left {@code null} is also what a stream from
 * before that field was added gives.
 */
@Timeout(10)
class TaskExceptionsSerializationTest {

    @Test
    void timeoutException_roundTrip_keepsTheScopeTheTasksTheirWaitsAndTheMessage() throws Exception {
        TaskScopeTimeoutException sent = new TaskScopeTimeoutException("shop", Duration.ofSeconds(5),
                List.of("worker", "merger"), List.of("waiting on jobs", ""));
        sent.addSuppressed(new IllegalStateException("a failure meanwhile"));

        TaskScopeTimeoutException read = roundTrip(sent);

        assertEquals("shop", read.scopeName());
        assertEquals(List.of("worker", "merger"), read.unfinishedTasks());
        assertEquals(List.of("waiting on jobs", ""), read.unfinishedTaskWaits());
        assertEquals(sent.getMessage(), read.getMessage());
        assertEquals("a failure meanwhile", read.getSuppressed()[0].getMessage());
        assertArrayEquals(sent.getStackTrace(), read.getStackTrace());
    }

    @Test
    void timeoutException_fromAStreamWithoutTheListsOrTheWaits_readsThemAsEmptyOrNone() throws Exception {
        TaskScopeTimeoutException withoutWaits = withField(
                new TaskScopeTimeoutException("shop", Duration.ofSeconds(5), List.of("worker")), "waits", null);
        TaskScopeTimeoutException read = roundTrip(withoutWaits);
        assertEquals(List.of("worker"), read.unfinishedTasks());
        assertEquals(List.of(""), read.unfinishedTaskWaits(), "no task said what it waited in");

        TaskScopeTimeoutException withoutLists = withField(withField(
                new TaskScopeTimeoutException("shop", Duration.ofSeconds(5)), "unfinishedTasks", null), "waits", null);
        TaskScopeTimeoutException bare = roundTrip(withoutLists);
        assertEquals(List.of(), bare.unfinishedTasks());
        assertEquals(List.of(), bare.unfinishedTaskWaits());
    }

    @Test
    void timeoutException_fromABrokenStream_isRefusedNamingTheField() throws Exception {
        assertRefused(withField(twoTasks(), "waits", new String[] {""}), "waits and unfinishedTasks differ in size: 1 and 2");
        assertRefused(withField(twoTasks(), "waits", new String[] {"", null}), "waits[1]");
        assertRefused(withField(twoTasks(), "unfinishedTasks", new String[] {null, "merger"}), "unfinishedTasks[0]");
        assertRefused(withField(twoTasks(), "scopeName", null), "scopeName is null");
        assertRefused(withField(withField(twoTasks(), "unfinishedTasks", null), "waits", new String[] {""}),
                "waits and unfinishedTasks differ in size: 1 and 0");
    }

    private static TaskScopeTimeoutException twoTasks() {
        return new TaskScopeTimeoutException("shop", Duration.ofSeconds(5), List.of("worker", "merger"), List.of("", ""));
    }

    @Test
    void failedException_roundTrip_keepsTheTasksTheFailuresAndTheMessage() throws Exception {
        TaskFailedException sent = new TaskFailedException("shop", List.of("worker", "merger"),
                List.of(new IllegalStateException("first"), new IllegalArgumentException("second")));

        TaskFailedException read = roundTrip(sent);

        assertEquals(List.of("worker", "merger"), read.failedTasks());
        assertEquals(sent.getMessage(), read.getMessage());
        assertInstanceOf(IllegalStateException.class, read.getCause());
        assertEquals("second", read.getSuppressed()[0].getMessage());
    }

    @Test
    void failedException_fromABrokenStream_isRefusedNamingTheField() throws Exception {
        assertRefused(withField(oneTask(), "failedTasks", null), "failedTasks is null");
        assertRefused(withField(oneTask(), "failedTasks", new String[0]), "failedTasks is empty");
        assertRefused(withField(oneTask(), "failedTasks", new String[] {null}), "failedTasks[0] is null");
    }

    private static TaskFailedException oneTask() {
        return new TaskFailedException("shop", List.of("worker"), List.of(new IllegalStateException("first")));
    }

    /** Task.get()'s exception for a failed task is of an internal class; it is read back whole. */
    @Test
    void getOfAFailedTask_roundTrip_keepsTheMessageAndTheTasksException() throws Exception {
        TaskScope scope = TaskScope.builder().name("shop").open();
        Task<Object> worker = scope.fork("worker", () -> {
            throw new IllegalArgumentException("bad input");
        });
        assertThrows(TaskFailedException.class, scope::join);
        scope.close();
        IllegalStateException sent = assertThrows(IllegalStateException.class, worker::get);

        IllegalStateException read = roundTrip(sent);

        assertEquals("TaskGetException", read.getClass().getSimpleName());
        assertEquals("task 'worker' failed", read.getMessage());
        assertEquals("bad input", assertInstanceOf(IllegalArgumentException.class, read.getCause()).getMessage());
    }

    private static void assertRefused(Serializable broken, String message) {
        InvalidObjectException refused = assertThrows(InvalidObjectException.class, () -> roundTrip(broken));
        assertEquals(message, refused.getMessage());
    }

    /** {@return {@code exception}, its private field {@code name} set to {@code value}} */
    private static <T> T withField(T exception, String name, Object value) throws ReflectiveOperationException {
        Field field = exception.getClass().getDeclaredField(name);
        field.setAccessible(true);
        field.set(exception, value);
        return exception;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Serializable> T roundTrip(T object) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
