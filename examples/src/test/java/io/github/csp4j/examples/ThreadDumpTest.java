package io.github.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README, "When a program blocks": from JDK 25 a thread dump shows the channel a thread waits on,
 * as the object it parks on: the channel's class and identity hash, the same for every thread
 * waiting on one channel. Taken here as {@code jcmd <pid> Thread.dump_to_file -format=json}
 * takes it, in the JSON format, whose schema the JDK documents.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadDumpTest {

    /** In a thread's entry of a JSON dump: its name. */
    private static final Pattern NAME = Pattern.compile("\"name\":\\s*\"([^\"]*)\"");

    /** In a thread's entry of a JSON dump: what it parks on, as Objects.toIdentityString shows it. */
    private static final Pattern PARKED_ON =
            Pattern.compile("\"parkBlocker\":\\s*\\{\\s*\"object\":\\s*\"([^\"]+)\"");

    @Test
    void dump_showsEachWaitingThreadParkedOnItsChannel(@TempDir Path dir) throws IOException {
        assumeTrue(Runtime.version().feature() >= 25, "thread dumps show park blockers from JDK 25");
        Channel<String> jobs = Channel.buffered("jobs", 4);
        Channel<String> replies = Channel.rendezvous("replies");
        Async<String> first = Async.startBlocked("first", jobs::receive);
        Async<String> second = Async.startBlocked("second", jobs::receive);
        Async<Void> asker = Async.startBlocked("asker", () -> {
            replies.send("question");
            return null;
        });
        try {
            for (Async<?> call : List.of(first, second, asker)) {
                call.awaitBlocker(); // parked, not just blocked: see Async.awaitBlocker
            }
            String dump = dumpThreads(dir.resolve("threads.json"));

            String jobsShown = Objects.toIdentityString(jobs);
            assertEquals(jobsShown, parkedOn(dump, first.thread()));
            assertEquals(jobsShown, parkedOn(dump, second.thread()));
            assertEquals(Objects.toIdentityString(replies), parkedOn(dump, asker.thread()));
        } finally {
            for (Async<?> call : List.of(first, second, asker)) {
                call.interrupt();
                assertInstanceOf(InterruptedException.class, call.joinFailure());
            }
        }
    }

    private static String dumpThreads(Path file) throws IOException {
        HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        diagnostics.dumpThreads(file.toAbsolutePath().toString(), ThreadDumpFormat.JSON);
        return Files.readString(file);
    }

    /**
     * {@return what {@code thread}'s entry in the JSON {@code dump} says it parks on} The entry
     * runs from its {@code "tid"} to the next thread's.
     */
    private static String parkedOn(String dump, Thread thread) {
        Matcher tid = Pattern.compile("\"tid\":\\s*\"" + thread.threadId() + "\"").matcher(dump);
        assertTrue(tid.find(), "thread #" + thread.threadId() + " not in the dump:\n" + dump);
        int end = dump.indexOf("\"tid\":", tid.end());
        String entry = dump.substring(tid.start(), end < 0 ? dump.length() : end);
        Matcher name = NAME.matcher(entry);
        assertTrue(name.find(), entry);
        assertEquals(thread.getName(), name.group(1));
        Matcher parked = PARKED_ON.matcher(entry);
        assertTrue(parked.find(), "no park blocker in:\n" + entry);
        return parked.group(1);
    }
}
