package io.github.csp4j.channels.internal;

import java.util.Collection;
import java.util.StringJoiner;

/**
 * How a channel's and a task scope's {@code toString} show threads: by name and thread id, as
 * thread dumps show them, so that the two can be matched with each other and with a dump. Public
 * for the task scopes' package only; this package is not exported.
 */
public final class ThreadLabels {
    /** Threads shown in one list; the rest are counted. */
    static final int SHOWN = 8;

    private ThreadLabels() {}

    /**
     * {@return {@code threads} as {@code "[shop/worker #31, #32]"}, up to {@value #SHOWN} of them,
     * then {@code "and N more"}}
     */
    public static String list(Collection<Thread> threads) {
        StringJoiner labels = new StringJoiner(", ", "[", "]");
        int shown = 0;
        for (Thread thread : threads) {
            if (shown == SHOWN) {
                labels.add("and " + (threads.size() - SHOWN) + " more");
                break;
            }
            labels.add(label(thread));
            shown++;
        }
        return labels.toString();
    }

    /** {@return the thread's name and id, {@code "shop/worker #31"}, or {@code "#31"} unnamed} */
    static String label(Thread thread) {
        String name = thread.getName();
        return name.isEmpty() ? "#" + thread.threadId() : name + " #" + thread.threadId();
    }
}
