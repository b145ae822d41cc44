package io.github.csp4j.channels.testing;

import java.io.Serial;

/**
 * An exception whose {@code toString()} throws, as one computing its text from a missing field
 * would: a channel failed with it must still throw its own exceptions.
 */
public final class UnreadableException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        throw new IllegalStateException("no text");
    }
}
