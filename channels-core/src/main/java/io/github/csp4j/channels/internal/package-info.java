/**
 * The implementation of csp4j's channels; not exported.
 *
 * <h2>Access-mode names</h2>
 * Methods and comments that touch shared memory name the access mode with a prefix, after
 * JCTools' convention:
 * <ul>
 *   <li>{@code lv}: load volatile; {@code sv}: store volatile.
 *   <li>{@code lp}: load plain; {@code sp}: store plain. A plain access is safe only where a
 *       volatile or CAS access orders it, and the trailing comment names that edge.
 *   <li>{@code so}: store ordered (release).
 *   <li>{@code cas}: compare-and-set (volatile semantics); {@code xadd}: get-and-add (volatile);
 *       {@code xor}: get-and-bitwise-or (volatile).
 * </ul>
 *
 * <h2>Map</h2>
 * <ul>
 *   <li>{@link io.github.csp4j.channels.internal.CellChannel}: the data cells of every channel,
 *       where its receivers wait, and its senders: a rendezvous channel's, and a buffered
 *       channel's once they owe a buffer slot (an unbounded channel's never wait).
 *   <li>{@link io.github.csp4j.channels.internal.PermitQueue}: the buffer slots of a buffered
 *       channel, a semaphore whose waiting senders are served in order.
 *   <li>{@link io.github.csp4j.channels.internal.Segment}: the linked list of cells both use.
 *   <li>{@link io.github.csp4j.channels.internal.Waiter}: how a thread waits in a cell; a
 *       {@link io.github.csp4j.channels.internal.PublishedWaiter} is settled through its result by
 *       the peer that finds it, a {@link io.github.csp4j.channels.internal.CellWaiter} through its
 *       cell.
 *   <li>{@link io.github.csp4j.channels.internal.DefaultChannel}: the public API on top.
 *   <li>{@link io.github.csp4j.channels.internal.SelectInstance}: the select engine behind the SPI
 *       ({@link io.github.csp4j.channels.spi.Selection}); a waiting select parks on a
 *       {@link io.github.csp4j.channels.internal.SelectRound}, and each clause waits in a cell
 *       through a {@link io.github.csp4j.channels.internal.SelectRound.Registration}.
 * </ul>
 */
package io.github.csp4j.channels.internal;
