/**
 * {@link io.github.csp4j.select.Select}: waits on many csp4j channels at once and completes
 * exactly one clause, chosen fairly, with timeouts, a default clause and a priority variant.
 */
package io.github.csp4j.select;
