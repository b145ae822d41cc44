package io.github.csp4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a demo prints, kept for its test. */
final class Printed {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** Where the demo prints; flushed at every line. */
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** {@return what was printed so far} */
    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A demo's {@code main}. */
    @FunctionalInterface
    interface Main {
        void run() throws InterruptedException;
    }

    /** {@return what {@code main} printed to {@code System.out}, which is put back afterwards} */
    static String byMain(Main main) throws InterruptedException {
        Printed printed = new Printed();
        PrintStream standard = System.out;
        System.setOut(printed.out);
        try {
            main.run();
        } finally {
            System.setOut(standard);
        }
        return printed.text();
    }
}
