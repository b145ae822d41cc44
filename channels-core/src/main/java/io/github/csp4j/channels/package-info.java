/**
 * Channels for communicating between threads, virtual or platform: rendezvous, buffered and
 * unbounded, made by the factories of {@link io.github.csp4j.channels.Channel}. A sender sees
 * {@link io.github.csp4j.channels.SendChannel}, a receiver
 * {@link io.github.csp4j.channels.ReceiveChannel}; each blocking method states how it blocks,
 * what an interrupt does, what a closed channel does, and what it makes visible to the other side.
 */
package io.github.csp4j.channels;
