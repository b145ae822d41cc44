/**
 * csp4j channels: typed rendezvous, buffered and unbounded channels for CSP-style programs on
 * virtual threads.
 *
 * <p>The only package exported to everybody is {@link io.github.csp4j.channels}; the
 * implementation lives in a package that is not exported, and {@code io.github.csp4j.channels.spi},
 * what select needs from the channels, is exported to module {@code io.github.csp4j.select} alone.
 */
@SuppressWarnings("module") // io.github.csp4j.select is compiled after this module
module io.github.csp4j.channels {
    exports io.github.csp4j.channels;
    exports io.github.csp4j.channels.spi to io.github.csp4j.select;
}
