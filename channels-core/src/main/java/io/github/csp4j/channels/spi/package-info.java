/**
 * What csp4j's select needs from its channels, exported to module {@code io.github.csp4j.select}
 * alone: {@link io.github.csp4j.channels.spi.Selection}, the engine that registers a select's
 * clauses in the channels and waits for the first to complete. Not an API for users: it may change
 * in any release.
 */
package io.github.csp4j.channels.spi;
