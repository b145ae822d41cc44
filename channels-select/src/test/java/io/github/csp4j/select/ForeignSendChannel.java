package io.github.csp4j.select;

import io.github.csp4j.channels.SendChannel;
import java.time.Duration;

/** A SendChannel that csp4j did not make, which select must reject. Nothing in it works. */
final class ForeignSendChannel implements SendChannel<String> {
    @Override
    public void send(String element) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean send(String element, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean trySend(String element) {
        return false;
    }

    @Override
    public boolean close() {
        return false;
    }

    @Override
    public boolean fail(Throwable cause) {
        return false;
    }

    @Override
    public boolean isClosedForSend() {
        return false;
    }
}
