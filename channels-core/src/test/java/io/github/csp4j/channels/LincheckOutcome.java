package io.github.csp4j.channels;

/**
 * What a channel operation in a Lincheck test returns, for the channel and for
 * {@link ChannelLincheckSpec} alike: the call's value, or, for a {@link ChannelClosedException},
 * {@code "closed"} or {@code "failed"} (with {@link #CAUSE}), which Lincheck, comparing exceptions
 * by class alone, could not tell apart.
 */
final class LincheckOutcome {
    /** The cause every {@code fail()} operation passes, so that results can name it. */
    static final IllegalStateException CAUSE = new IllegalStateException("failed by the Lincheck test");

    /** What a {@code send} that returned normally returns. */
    static final String SENT = "sent";

    private LincheckOutcome() {}

    /** A channel call. */
    interface Call {
        Object call() throws InterruptedException;
    }

    /** {@return the value of {@code call}, or {@code "closed"} or {@code "failed"}} */
    static Object of(Call call) {
        try {
            return call.call();
        } catch (ChannelClosedException e) {
            if (e.getCause() == null) {
                return "closed";
            }
            return e.getCause() == CAUSE ? "failed" : "failed by " + e.getCause();
        } catch (InterruptedException e) {
            // Nothing interrupts the Lincheck threads; if something did, the result says so.
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
