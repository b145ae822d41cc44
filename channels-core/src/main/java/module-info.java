/**
 * csp4j channels: typed rendezvous, buffered and unbounded channels for CSP-style programs on
 * virtual threads.
 *
 * <p>The only exported package is {@link io.github.csp4j.channels}; the implementation lives in a
 * package that is not exported.
 */
module io.github.csp4j.channels {
    exports io.github.csp4j.channels;
}
