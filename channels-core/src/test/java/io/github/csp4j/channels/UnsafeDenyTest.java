package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library never touches {@code sun.misc.Unsafe}: a child JVM started with
 * {@code --sun-misc-unsafe-memory-access=deny} (which makes Unsafe's memory access methods throw)
 * or {@code =warn} (which prints a warning on first use) runs {@link UnsafeDenyMain}, pushing
 * {@value UnsafeDenyMain#ELEMENTS} elements through every kind of channel, and exits with status
 * 0 and nothing about {@code sun.misc.Unsafe} on its standard error. The option exists from
 * JDK 23; on older JDKs the test is skipped.
 */
class UnsafeDenyTest {

    @ParameterizedTest(name = "--sun-misc-unsafe-memory-access={0}")
    @ValueSource(strings = {"deny", "warn"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void channels_unsafeMemoryAccessRestricted_runWithoutUnsafe(String mode) throws Exception {
        assumeTrue(Runtime.version().feature() >= 23, "--sun-misc-unsafe-memory-access exists from JDK 23");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path out = Files.createTempFile("unsafe-" + mode, ".out");
        Path err = Files.createTempFile("unsafe-" + mode, ".err");
        try {
            List<String> command = List.of(java, "--sun-misc-unsafe-memory-access=" + mode,
                    "-cp", classPath(), UnsafeDenyMain.class.getName());
            Process child = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!child.waitFor(50, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("the child JVM did not end in 50 s: " + command + "\nstdout:\n"
                        + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            String stderr = Files.readString(err);
            assertEquals(0, child.exitValue(), () -> "exit status of " + command + "\nstdout:\n" + read(out)
                    + "\nstderr:\n" + stderr);
            assertFalse(stderr.contains("sun.misc.Unsafe"), () -> "stderr mentions sun.misc.Unsafe:\n" + stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * {@return a class path for the child}: where this test's classes and the library's classes
     * were loaded from, then the test JVM's class path and module path, which hold the library's
     * runtime dependencies however Surefire laid them out.
     */
    private static String classPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(location(UnsafeDenyMain.class));
        entries.add(location(Channel.class));
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        return String.join(File.pathSeparator, new ArrayList<>(entries));
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
