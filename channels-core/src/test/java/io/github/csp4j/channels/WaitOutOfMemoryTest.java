package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.csp4j.channels.testing.ChildJvm;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An {@code OutOfMemoryError} thrown in a blocked operation's wait, after the operation placed
 * itself in its cell, leaves the channel as a timeout would; an operation whose ticket needs a
 * segment that cannot be allocated waits for memory and then completes. {@link
 * WaitOutOfMemoryMain} checks both, on platform and virtual threads, in a child JVM with a heap
 * of 32 MiB and the serial collector, where a thread can fill the heap to its last bytes without
 * starving this JVM's own threads (the implementation notes of {@code CellChannel}, "An Error in
 * a wait"; {@code Segment.findAndMoveForward}; {@code docs/RELIABILITY.md}, "An Error thrown
 * inside a channel operation").
 */
class WaitOutOfMemoryTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void outOfMemory_inAWaitOrForASegment_leavesTheChannelConsistent() throws Exception {
        ChildJvm.Outcome child = ChildJvm.run(WaitOutOfMemoryMain.class,
                List.of("-Xmx32m", "-XX:+UseSerialGC"), 170);
        assertEquals(0, child.exitStatus(), child::describe);
    }
}
