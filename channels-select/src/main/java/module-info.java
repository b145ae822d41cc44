/**
 * csp4j select: waits on many channels at once and completes exactly one clause, chosen fairly.
 *
 * <p>Exports {@link io.github.csp4j.select}; reaches the channels' internals only through the
 * SPI package that {@code io.github.csp4j.channels} exports to this module alone.
 */
module io.github.csp4j.select {
    requires transitive io.github.csp4j.channels;

    exports io.github.csp4j.select;
}
