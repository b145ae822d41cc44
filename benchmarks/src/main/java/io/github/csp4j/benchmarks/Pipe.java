package io.github.csp4j.benchmarks;

/**
 * The two blocking operations that every measured implementation offers: the common ground of a
 * channel and a blocking queue. Elements are never null.
 *
 * @param <E> the element type
 */
interface Pipe<E> {

    /** Sends {@code element}, waiting as the implementation's blocking send or put does. */
    void send(E element) throws InterruptedException;

    /** {@return the next element} Waits while there is none. */
    E receive() throws InterruptedException;
}
