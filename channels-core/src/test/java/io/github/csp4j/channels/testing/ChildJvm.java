package io.github.csp4j.channels.testing;

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

/**
 * Runs a test's workload in a JVM of its own, for what must not happen in the test JVM (a heap
 * filled to the last bytes) or needs options that JVM does not have. The child runs the same
 * {@code java} as the test, on a class path of the test's classes, the library's and the test
 * JVM's class and module paths.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** How a child JVM ended: its exit status and what it printed. */
    public record Outcome(List<String> command, int exitStatus, String stdout, String stderr) {
        /** {@return the command, exit status and output, for an assertion's message} */
        public String describe() {
            return "exit status " + exitStatus + " of " + command + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /**
     * Runs {@code main}'s {@code main} method in a child JVM with {@code options} before the class
     * path. {@return how it ended}
     *
     * @throws AssertionError if it did not end within {@code seconds} (it is then killed)
     */
    public static Outcome run(Class<?> main, List<String> options, long seconds)
            throws IOException, InterruptedException, URISyntaxException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.addAll(List.of("-cp", classPath(main), main.getName()));
        Path out = Files.createTempFile("child-jvm", ".out");
        Path err = Files.createTempFile("child-jvm", ".err");
        try {
            Process child = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!child.waitFor(seconds, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("the child JVM did not end in " + seconds + " s: " + command
                        + "\nstdout:\n" + read(out) + "\nstderr:\n" + read(err));
            }
            return new Outcome(List.copyOf(command), child.exitValue(), read(out), read(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * {@return a class path for the child}: where {@code main} and the library's classes were
     * loaded from, then the test JVM's class path and module path, which hold the library's
     * runtime dependencies however Surefire laid them out.
     */
    private static String classPath(Class<?> main) throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(location(main));
        entries.add(location(io.github.csp4j.channels.Channel.class));
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
