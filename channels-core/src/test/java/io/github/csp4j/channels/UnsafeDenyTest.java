package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.testing.ChildJvm;
import java.util.List;
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
        ChildJvm.Outcome child = ChildJvm.run(UnsafeDenyMain.class,
                List.of("--sun-misc-unsafe-memory-access=" + mode), 50);
        assertEquals(0, child.exitStatus(), child::describe);
        assertFalse(child.stderr().contains("sun.misc.Unsafe"), () -> "stderr mentions sun.misc.Unsafe:\n"
                + child.stderr());
    }
}
