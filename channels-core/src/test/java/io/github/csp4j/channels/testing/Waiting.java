package io.github.csp4j.channels.testing;

import java.util.List;

/** Reads the lists of waiting threads in a channel's {@code toString()}, for checks on them. */
public final class Waiting {
    private Waiting() {}

    /**
     * {@return the entries of the list after {@code "<side> waiting ["} in {@code text}, as
     * shown ({@code "shop/worker #31"}, then possibly {@code "and 3 more"}), or an empty list if
     * nobody waits on that side}
     *
     * @param side {@code "senders"} or {@code "receivers"}
     */
    public static List<String> named(String text, String side) {
        String label = side + " waiting [";
        int start = text.indexOf(label);
        if (start < 0) {
            return List.of();
        }
        return List.of(text.substring(start + label.length(), text.indexOf(']', start)).split(", "));
    }

    /** {@return whether {@code entry}, from {@link #named}, counts the threads not shown} */
    public static boolean isMore(String entry) {
        return entry.matches("and \\d+ more");
    }
}
