package io.github.csp4j.channels.internal;

import java.util.Collection;
import java.util.StringJoiner;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * How a channel's and a task scope's {@code toString} show threads: by name and thread id, as
 * thread dumps show them, so that the two can be matched with each other and with a dump; a
 * scope's (and a running task's) also shows what each thread waits in: the channel or select it is
 * parked in, or a scope it joins.
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
        return list(threads, Function.identity(), thread -> "");
    }

    /**
     * {@return {@code items} as {@link #list} shows their threads, each followed by what it
     * waits in, if anything: {@code "[shop/worker #31 waiting on jobs, shop/merger #33 waiting in
     * Selection[receive from jobs, receive from idle]]"}}
     *
     * @param thread the thread of an item
     * @param waits what an item waits in, or {@code ""} (see {@link #waitsIn}); asked only for
     *     the items shown
     */
    public static <T> String list(Collection<T> items, Function<T, Thread> thread, Function<T, String> waits) {
        StringJoiner labels = new StringJoiner(", ", "[", "]");
        int shown = 0;
        for (T item : items) {
            if (shown == SHOWN) {
                labels.add("and " + (items.size() - SHOWN) + " more");
                break;
            }
            String waiting = waits.apply(item);
            String label = label(thread.apply(item));
            labels.add(waiting.isEmpty() ? label : label + " " + waiting);
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
