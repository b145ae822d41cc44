package io.github.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RaceDemoTest {

    /**
     * us answers only once asia has started to fail (a latch, not time), and eu waits until it is
     * cancelled. asia ends FAILED even if us's win interrupts it first: its exception is no
     * cancellation. eu ends CANCELLED whether the cancel finds it waiting or not yet started.
     */
    @RepeatedTest(50)
    void run_firstAnswerWins_othersCancelledOrFailed() throws InterruptedException {
        CountDownLatch asiaFailed = new CountDownLatch(1);
        Map<String, Callable<String>> replicas = new LinkedHashMap<>();
        replicas.put("eu", () -> Channel.<String>rendezvous("never").receive()); // until cancelled
        replicas.put("us", () -> {
            asiaFailed.await();
            return "42 from us";
        });
        replicas.put("asia", () -> {
            asiaFailed.countDown();
            return RaceDemo.down("asia");
        });
        Printed output = new Printed();

        String answer = RaceDemo.run(output.out, replicas);

        assertEquals("42 from us", answer);
        assertEquals("""
                asked eu, us, asia
                  us won: 42 from us
                  eu ended CANCELLED
                  asia ended FAILED: replica asia is down
                """, output.text().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void run_everyReplicaFails_noAnswerWithTheFailure() throws InterruptedException {
        Printed output = new Printed();

        String answer = RaceDemo.run(output.out, Map.of("asia", () -> RaceDemo.down("asia")));

        assertNull(answer);
        assertEquals("""
                asked asia only
                  no answer: scope 'lookup': task asia failed: java.lang.IllegalStateException: \
                replica asia is down
                """, output.text().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void main_printsAWinnerThenNoAnswer() throws InterruptedException {
        String printed = Printed.byMain(() -> RaceDemo.main(new String[0]));

        // Which replica wins depends on the sleeps; that one does, and the down one answers none.
        assertTrue(printed.startsWith("asked eu, us, asia" + System.lineSeparator()), printed);
        assertTrue(printed.contains(" won: 42 from "), printed);
        assertTrue(printed.contains("asked asia only" + System.lineSeparator() + "  no answer: "), printed);
    }
}
