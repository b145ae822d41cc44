package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tuning properties: unset gives the default, a bad value fails naming the property and value. */
class TuningTest {
    private static final String NAME = "io.github.csp4j.test.tuning";

    @AfterEach
    void clear() {
        System.clearProperty(NAME);
    }

    @Test
    void unset_givesTheDefault() {
        assertEquals(7, Tuning.intInRange(NAME, 7, 1, 10));
        assertEquals(16, Tuning.powerOfTwo(NAME, 16, 1024));
        assertEquals(0, Tuning.count(NAME, 0));
    }

    @Test
    void set_givesTheValue_withSurroundingSpaceIgnored() {
        System.setProperty(NAME, " 64 ");
        assertEquals(64, Tuning.intInRange(NAME, 7, 1, 100));
        assertEquals(64, Tuning.powerOfTwo(NAME, 16, 1024));
        assertEquals(64, Tuning.count(NAME, 0));
    }

    @Test
    void notANumber_isRejectedNamingPropertyAndValue() {
        System.setProperty(NAME, "lots");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tuning.count(NAME, 0));
        assertTrue(e.getMessage().contains(NAME) && e.getMessage().contains("\"lots\""), e.getMessage());
    }

    @Test
    void outOfRange_isRejectedNamingTheBounds() {
        System.setProperty(NAME, "-1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tuning.count(NAME, 0));
        assertEquals(NAME + " must be from 0 to " + Integer.MAX_VALUE + ", was -1", e.getMessage());
        System.setProperty(NAME, "2048");
        assertThrows(IllegalArgumentException.class, () -> Tuning.powerOfTwo(NAME, 16, 1024));
    }

    @Test
    void powerOfTwo_withAMinimum_rejectsSmallerPowersNamingTheBounds() {
        System.setProperty(NAME, "4");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Tuning.powerOfTwo(NAME, 256, 8, 4096));
        assertEquals(NAME + " must be from 8 to 4096, was 4", e.getMessage());
        System.setProperty(NAME, "8");
        assertEquals(8, Tuning.powerOfTwo(NAME, 256, 8, 4096));
    }

    @Test
    void bothBounds_areInTheRange() {
        System.setProperty(NAME, "10");
        assertEquals(10, Tuning.intInRange(NAME, 7, 1, 10));
        System.setProperty(NAME, "1");
        assertEquals(1, Tuning.intInRange(NAME, 7, 1, 10));
        System.setProperty(NAME, "1024");
        assertEquals(1024, Tuning.powerOfTwo(NAME, 16, 1024));
        System.setProperty(NAME, "11");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Tuning.intInRange(NAME, 7, 1, 10));
        assertEquals(NAME + " must be from 1 to 10, was 11", e.getMessage());
    }

    @Test
    void powerOfTwo_rejectsOtherNumbers() {
        System.setProperty(NAME, "12");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Tuning.powerOfTwo(NAME, 16, 1024));
        assertEquals(NAME + " must be a power of two, was 12", e.getMessage());
    }

    @Test
    void powerOfTwoOrZero_takesZeroAndPowersInRange_andRejectsTheRest() {
        assertEquals(4096, Tuning.powerOfTwoOrZero(NAME, 4096, 2, 1 << 30));
        System.setProperty(NAME, " 0 ");
        assertEquals(0, Tuning.powerOfTwoOrZero(NAME, 4096, 2, 1 << 30));
        System.setProperty(NAME, "2");
        assertEquals(2, Tuning.powerOfTwoOrZero(NAME, 4096, 2, 1 << 30));
        System.setProperty(NAME, "1");
        IllegalArgumentException small =
                assertThrows(IllegalArgumentException.class, () -> Tuning.powerOfTwoOrZero(NAME, 4096, 2, 1 << 30));
        assertEquals(NAME + " must be 0 or a power of two from 2 to " + (1 << 30) + ", was 1", small.getMessage());
        System.setProperty(NAME, "3000");
        IllegalArgumentException other =
                assertThrows(IllegalArgumentException.class, () -> Tuning.powerOfTwoOrZero(NAME, 4096, 2, 1 << 30));
        assertEquals(NAME + " must be 0 or a power of two from 2 to " + (1 << 30) + ", was 3000", other.getMessage());
        System.setProperty(NAME, "-2");
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> Tuning.powerOfTwoOrZero(NAME, 4096, 2, 1 << 30));
        assertEquals(NAME + " must be from 0 to " + (1 << 30) + ", was -2", negative.getMessage());
    }

    @Test
    void flag_unsetGivesTheDefault_setGivesTrueOrFalseInAnyCase() {
        assertTrue(Tuning.flag(NAME, true));
        assertFalse(Tuning.flag(NAME, false));
        System.setProperty(NAME, " FALSE ");
        assertFalse(Tuning.flag(NAME, true));
        System.setProperty(NAME, "True");
        assertTrue(Tuning.flag(NAME, false));
    }

    @Test
    void flag_otherValues_areRejectedNamingPropertyAndValue() {
        System.setProperty(NAME, "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tuning.flag(NAME, true));
        assertEquals(NAME + " must be true or false, was \"yes\"", e.getMessage());
    }
}
