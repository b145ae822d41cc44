package io.github.csp4j.channels.internal;

import java.util.Collection;
import java.util.StringJoiner;
import java.util.concurrent.locks.LockSupport;

/**
 * How a channel's and a task scope's {@code toString} show threads: by name and thread id, as
 * thread dumps show them, so that the two can be matched with each other and with a dump; a
 * scope's (and a running task's) also shows the channel or select each thread is parked in.
 * Public for the task scopes' package only; this package is not exported.
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
        return list(threads, false);
    }

    /**
     * {@return {@code threads} as {@link #list} shows them, each followed by the csp4j channel or
     * select it is parked in, if it is: {@code "[shop/worker #31 waiting on jobs, shop/merger #33
     * waiting in Selection[receive from jobs, receive from idle]]"}} Read from each thread's park
     * blocker ({@link LockSupport#getBlocker}) as the list is made: a thread that spins or yields
     * before it parks, or parks on anything else, is shown without one.
     */
    public static String listWithWaits(Collection<Thread> threads) {
        return list(threads, true);
    }

    private static String list(Collection<Thread> threads, boolean waits) {
        StringJoiner labels = new StringJoiner(", ", "[", "]");
        int shown = 0;
        for (Thread thread : threads) {
            if (shown == SHOWN) {
                labels.add("and " + (threads.size() - SHOWN) + " more");
                break;
            }
            String parked = waits ? waitsIn(thread) : "";
            labels.add(parked.isEmpty() ? label(thread) : label(thread) + " " + parked);
            shown++;
        }
        return labels.toString();
    }

    /**
     * {@return what {@code thread} is parked in, {@code "waiting on jobs"} for a channel or
     * {@code "waiting in Selection[...]"} for a select, or {@code ""}} The blocker is read once.
     * Also for a task's {@code toString} and a scope's timeout.
     */
    public static String waitsIn(Thread thread) {
        Object blocker = LockSupport.getBlocker(thread);
        if (blocker instanceof CellChannel<?> channel) {
            return "waiting on " + channel.name();
        }
        return blocker instanceof SelectRound round ? "waiting in " + round : "";
    }

    /** {@return the thread's name and id, {@code "shop/worker #31"}, or {@code "#31"} unnamed} */
    static String label(Thread thread) {
        String name = thread.getName();
        return name.isEmpty() ? "#" + thread.threadId() : name + " #" + thread.threadId();
    }
}
