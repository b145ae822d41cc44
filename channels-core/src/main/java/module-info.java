/**
 * csp4j channels: typed rendezvous, buffered and unbounded channels for CSP-style programs on
 * virtual threads.
 *
 * <p>The packages exported to everybody are {@link io.github.csp4j.channels} and
 * {@link io.github.csp4j.tasks} (task scopes); the implementations live in packages that are not
 * exported, and {@code io.github.csp4j.channels.spi},
 * what select needs from the channels, is exported to module {@code io.github.csp4j.select} alone.
 */
@SuppressWarnings("module") // io.github.csp4j.select is compiled after this module
module io.github.csp4j.channels {
    exports io.github.csp4j.channels;
    exports io.github.csp4j.tasks;
    exports io.github.csp4j.channels.spi to io.github.csp4j.select;
}
