package io.github.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README, "When a program blocks": from JDK 25 a thread dump shows the channel a thread waits on,
 * as the object it parks on: the channel's class and identity hash, the same for every thread
 * waiting on one channel. Taken here as {@code jcmd <pid> Thread.dump_to_file} takes it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadDumpTest {

    /** A thread's entry in a plain-text dump: its header line, then its stack up to a blank line. */
    private static final Pattern ENTRY = Pattern.compile("(?m)^#(\\d+) \"([^\"]*)\".*\\R(?:.+\\R?)*");

    private static final Pattern PARKED_ON = Pattern.compile("- parking to wait for <([^>]+)>");

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
            String dump = dumpThreads(dir.resolve("threads.txt"));

            String jobsShown = shownInDumps(jobs);
            assertEquals(jobsShown, parkedOn(dump, first.thread()));
            assertEquals(jobsShown, parkedOn(dump, second.thread()));
            assertEquals(shownInDumps(replies), parkedOn(dump, asker.thread()));
        } finally {
            for (Async<?> call : List.of(first, second, asker)) {
                call.interrupt();
                assertInstanceOf(InterruptedException.class, call.joinFailure());
            }
        }
    }

    /** {@return how a dump shows {@code channel}: its class and identity hash, as Object.toString} */
    private static String shownInDumps(Channel<?> channel) {
        return channel.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(channel));
    }

    private static String dumpThreads(Path file) throws IOException {
        HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        diagnostics.dumpThreads(file.toAbsolutePath().toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
        return Files.readString(file);
    }

    /** {@return what {@code thread}'s entry in {@code dump} says it parks on} */
    private static String parkedOn(String dump, Thread thread) {
        Matcher entry = ENTRY.matcher(dump);
        while (entry.find()) {
            if (entry.group(1).equals(Long.toString(thread.threadId()))) {
                assertEquals(thread.getName(), entry.group(2));
                Matcher parked = PARKED_ON.matcher(entry.group());
                assertTrue(parked.find(), "no park blocker in:\n" + entry.group());
                return parked.group(1);
            }
        }
        throw new AssertionError("thread #" + thread.threadId() + " not in the dump:\n" + dump);
    }
}
