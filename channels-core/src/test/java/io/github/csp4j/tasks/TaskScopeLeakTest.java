package io.github.csp4j.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Heap;
import java.util.concurrent.ForkJoinWorkerThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10^5 scopes whose tasks fail (one fails, one is cancelled while blocked in a channel, one
 * succeeds; half of them in a nested scope) leave the thread count and the heap where they were;
 * so do 10^5 scopes opened and closed one after another in a task whose own scope stays open.
 */
@Timeout(300)
class TaskScopeLeakTest {
    private static final int SCOPES = 100_000;

    /** Far below what one retained scope with its tasks would take (several hundred bytes). */
    private static final long BYTES_PER_SCOPE = 16;

    @Test
    void scopesWithFailures_manyTimes_leaveThreadsAndHeapFlat() throws InterruptedException {
        runScopes(SCOPES / 10); // warm up: carriers started, classes loaded, JIT
        int threadsBefore = platformThreads();
        long heapBefore = Heap.usedAfterGc();

        runScopes(SCOPES);

        long heapAfter = Heap.usedAfterGc();
        int threadsAfter = platformThreads();
        long growth = heapAfter - heapBefore;
        System.out.printf("%,d failing scopes: threads %d -> %d, heap %,d -> %,d bytes (%+,d; bound %,d)%n",
                SCOPES, threadsBefore, threadsAfter, heapBefore, heapAfter, growth, SCOPES * BYTES_PER_SCOPE);
        assertEquals(threadsBefore, threadsAfter, "platform threads outside fork/join pools");
        assertTrue(growth < SCOPES * BYTES_PER_SCOPE, "heap grew by " + growth + " bytes");
    }

    @Test
    void closedChildScopes_ofAScopeStillOpen_areNotKept() throws InterruptedException {
        try (TaskScope parent = TaskScope.open("long-lived")) {
            Task<Long> growth = parent.fork(() -> {
                openAndCloseChildScopes(SCOPES / 10); // warm up
                long heapBefore = Heap.usedAfterGc();
                openAndCloseChildScopes(SCOPES);
                return Heap.usedAfterGc() - heapBefore; // the parent and this task still live
            });
            parent.join();

            System.out.printf("%,d child scopes closed in an open scope's task: heap %+,d bytes (bound %,d)%n",
                    SCOPES, growth.get(), SCOPES * BYTES_PER_SCOPE);
            assertTrue(growth.get() < SCOPES * BYTES_PER_SCOPE, "heap grew by " + growth.get() + " bytes");
        }
    }

    /**
     * {@return the live platform threads but the fork/join pools' workers} The virtual threads'
     * carriers and the common pool's workers come and go by themselves (a carrier added while a
     * thread is pinned, an idle worker retired), whatever the scopes do.
     */
    private static int platformThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !(thread instanceof ForkJoinWorkerThread))
                .count();
    }

    private static void openAndCloseChildScopes(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            try (TaskScope child = TaskScope.open()) {
                child.fork(() -> 1);
                child.join();
            }
        }
    }

    private static void runScopes(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            boolean nested = i % 2 == 0;
            try (TaskScope scope = TaskScope.open()) {
                if (nested) {
                    scope.fork(TaskScopeLeakTest::failingScope);
                } else {
                    fill(scope);
                }
                assertThrows(TaskFailedException.class, scope::join);
            }
        }
    }

    private static Object failingScope() throws InterruptedException {
        try (TaskScope inner = TaskScope.open()) {
            fill(inner);
            inner.join();
            return null;
        }
    }

    private static void fill(TaskScope scope) {
        scope.fork(() -> Channel.<Integer>rendezvous().receive()); // cancelled by the failure
        scope.fork(() -> 1);
        scope.fork(() -> {
            throw new IllegalStateException("leak test failure");
        });
    }
}
