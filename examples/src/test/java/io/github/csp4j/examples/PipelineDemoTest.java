package io.github.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PipelineDemoTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void run_hundredNumbers_sumsEverySquareOnceAndClosesEachStage() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        long sum = PipelineDemo.run(100, out);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(100L * 101 * 201 / 6, sum);
        assertEquals(100, printed.lines().filter(l -> l.startsWith("consumer: received")).count());
        assertEquals(100, printed.lines().filter(l -> l.startsWith("producer: sent")).count());
        assertTrue(printed.contains("producer: closed numbers"), printed);
        assertTrue(printed.contains("consumer: squares closed after 100 elements"), printed);
        assertEquals(1, printed.lines().filter(l -> l.endsWith("closed squares")).count(), printed);
    }
}
