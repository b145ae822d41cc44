package io.github.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.tasks.TaskFailedException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipelineDemoTest {

    @Test
    void run_hundredNumbers_sumsEverySquareOnceAndClosesEachStage() throws InterruptedException {
        Printed output = new Printed();

        long sum = PipelineDemo.run(100, n -> (long) n * n, output.out);

        String printed = output.text();
        assertEquals(100L * 101 * 201 / 6, sum);
        assertEquals(100, printed.lines().filter(l -> l.startsWith("consumer: received")).count());
        assertEquals(100, printed.lines().filter(l -> l.startsWith("producer: sent")).count());
        assertTrue(printed.contains("producer: done, numbers closes"), printed);
        assertTrue(printed.contains("consumer: squares closed after 100 elements"), printed);
        assertEquals(1, printed.lines().filter(l -> l.endsWith("closed squares")).count(), printed);
    }

    /**
     * A worker that throws ends the pipeline: run throws the failure, named after the worker, once
     * every stage has ended, where threads started by hand would leave the producer blocked on its
     * full buffer for good.
     */
    @Test
    void run_aWorkerFails_throwsItsFailureOnceEveryStageHasEnded() {
        Printed output = new Printed();

        TaskFailedException thrown = assertThrows(TaskFailedException.class,
                () -> PipelineDemo.run(100, PipelineDemo::squareExceptSeven, output.out));

        ArithmeticException cause = assertInstanceOf(ArithmeticException.class, thrown.getCause());
        assertEquals("cannot square 7", cause.getMessage());
        assertEquals(1, thrown.failedTasks().size(), thrown.failedTasks().toString());
        assertTrue(List.of("worker-1", "worker-2").contains(thrown.failedTasks().get(0)), thrown.failedTasks().toString());
        String printed = output.text();
        assertFalse(printed.contains("squares closed"), "no stage ended as if the input had ended");
    }

    @Test
    void main_runsBothPipelines() throws InterruptedException {
        String printed = Printed.byMain(() -> PipelineDemo.main(new String[0]));
        assertTrue(printed.contains("pipeline finished: sum of squares = 385"), printed);
        assertTrue(printed.contains("pipeline failed: ") && printed.contains("cannot square 7"), printed);
    }
}
