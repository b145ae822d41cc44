package io.github.csp4j.select;

import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.ReceiveResult;
import java.time.Duration;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.stream.Stream;

/** A ReceiveChannel that csp4j did not make, which select must reject. Nothing in it works. */
final class ForeignReceiveChannel implements ReceiveChannel<String> {
    @Override
    public String receive() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String receive(Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String tryReceive() {
        return null;
    }

    @Override
    public ReceiveResult<String> receiveOrClosed() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isClosedForReceive() {
        return false;
    }

    @Override
    public Iterator<String> iterator() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Stream<String> stream() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Spliterator<String> spliterator() {
        throw new UnsupportedOperationException();
    }
}
