package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The segment size comes from {@code io.github.csp4j.segmentSize}: 32 unless set, and what the
 * small-segments execution of the build sets (2) when it runs the channel tests again, so that a
 * property that stopped reaching Segment would fail here rather than leave those tests at 32.
 */
class SegmentSizeTest {
    @Test
    void segmentSize_isThePropertyOr32() {
        String property = System.getProperty("io.github.csp4j.segmentSize");
        int expected = property == null ? 32 : Integer.parseInt(property.strip());
        assertEquals(expected, Segment.SIZE);
        assertEquals(Segment.SIZE, 1 << Segment.SHIFT);
        assertEquals(Segment.SIZE - 1, Segment.MASK);
    }
}
