package io.github.csp4j.benchmarks;

import io.github.csp4j.channels.Channel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * The implementations that the benchmarks measure side by side, selected by the {@code impl}
 * parameter, each created for a capacity of {@link Workload} (each benchmark class lists those
 * its workload suits: only {@link RingBenchmark} lists {@link #SLOT}, {@link UncontendedBenchmark}
 * leaves out {@link #LTQ}, and SelectBenchmark and ForkJoinBenchmark use none of them).
 */
enum Impl {
    /** csp4j: {@code Channel.rendezvous()}, {@code Channel.buffered(n)}, {@code Channel.unbounded()}. */
    CSP4J("csp4j") {
        @Override
        <E> Pipe<E> create(int capacity) {
            Channel<E> channel = capacity == Workload.RENDEZVOUS ? Channel.rendezvous()
                    : capacity == Workload.UNBOUNDED ? Channel.unbounded()
                    : Channel.buffered(capacity);
            return new Pipe<>() {
                @Override
                public void send(E element) throws InterruptedException {
                    channel.send(element);
                }

                @Override
                public E receive() throws InterruptedException {
                    return channel.receive();
                }
            };
        }
    },

    /**
     * The java.util.concurrent queue with the channel's blocking semantics: {@code SynchronousQueue}
     * for rendezvous, {@code ArrayBlockingQueue(n)} for buffered, {@code LinkedBlockingQueue} for
     * unbounded; {@code put} and {@code take}.
     */
    JUC("juc") {
        @Override
        <E> Pipe<E> create(int capacity) {
            BlockingQueue<E> queue = capacity == Workload.RENDEZVOUS ? new SynchronousQueue<>()
                    : capacity == Workload.UNBOUNDED ? new LinkedBlockingQueue<>()
                    : new ArrayBlockingQueue<>(capacity);
            return new QueuePipe<>(queue);
        }
    },

    /**
     * {@code LinkedTransferQueue}: {@code transfer} and {@code take} for rendezvous; otherwise
     * {@code put}, which never blocks (the queue is unbounded whatever the workload's capacity).
     */
    LTQ("ltq") {
        @Override
        <E> Pipe<E> create(int capacity) {
            LinkedTransferQueue<E> queue = new LinkedTransferQueue<>();
            if (capacity != Workload.RENDEZVOUS) {
                return new QueuePipe<>(queue);
            }
            return new Pipe<>() {
                @Override
                public void send(E element) throws InterruptedException {
                    queue.transfer(element);
                }

                @Override
                public E receive() throws InterruptedException {
                    return queue.take();
                }
            };
        }
    },

    /**
     * jox 1.0.1: {@code newRendezvousChannel()}, {@code newBufferedChannel(n)},
     * {@code newUnlimitedChannel()}; {@code send} and {@code receive}.
     */
    JOX("jox") {
        @Override
        <E> Pipe<E> create(int capacity) {
            com.softwaremill.jox.Channel<E> channel = capacity == Workload.RENDEZVOUS
                    ? com.softwaremill.jox.Channel.newRendezvousChannel()
                    : capacity == Workload.UNBOUNDED ? com.softwaremill.jox.Channel.newUnlimitedChannel()
                    : com.softwaremill.jox.Channel.newBufferedChannel(capacity);
            return new Pipe<>() {
                @Override
                public void send(E element) throws InterruptedException {
                    channel.send(element);
                }

                @Override
                public E receive() throws InterruptedException {
                    return channel.receive();
                }
            };
        }
    },

    /**
     * The "no channel semantics" floor: {@link ParkingMpmcQueue}, a JCTools
     * {@code MpmcAtomicArrayQueue} with the simplest blocking. JCTools' smallest capacity is 2, so
     * a rendezvous workload runs on a queue of capacity 2 (a sender does not wait for its
     * receiver); capacities are rounded up to a power of two. No unbounded variant.
     */
    JCTOOLS("jctools") {
        @Override
        <E> Pipe<E> create(int capacity) {
            if (capacity == Workload.UNBOUNDED) {
                throw new UnsupportedOperationException("the JCTools floor has no unbounded variant");
            }
            return new ParkingMpmcQueue<>(Math.max(2, capacity));
        }
    },

    /**
     * The virtual-thread floor of a hop: {@link ParkingSlot}, one element between one sender and
     * one receiver, with bare park/unpark. Only {@link RingBenchmark} lists it: a ring carries a
     * single token, so a slot of one element does what a rendezvous does there.
     */
    SLOT("slot") {
        @Override
        <E> Pipe<E> create(int capacity) {
            if (capacity != Workload.RENDEZVOUS) {
                String asked = capacity == Workload.UNBOUNDED ? "an unbounded one" : "a buffer of " + capacity;
                throw new UnsupportedOperationException(
                        "the park/unpark floor stands in for a rendezvous channel only, not " + asked);
            }
            return new ParkingSlot<>();
        }

        @Override
        <E> Pipe<E> create(Workload shape) {
            if (shape.senders() > 1 || shape.receivers() > 1) {
                throw new UnsupportedOperationException("the park/unpark floor serves one sender and one"
                        + " receiver, not " + shape.senders() + " and " + shape.receivers());
            }
            return create(shape.capacity());
        }
    };

    private final String id;

    Impl(String id) {
        this.id = id;
    }

    /** {@return a new, empty pipe of this implementation} {@code capacity} as in {@link Workload}. */
    abstract <E> Pipe<E> create(int capacity);

    /** {@return a new, empty pipe of this implementation for {@code shape}'s capacity and parties} */
    <E> Pipe<E> create(Workload shape) {
        return create(shape.capacity());
    }

    /**
     * {@return the implementation that the parameter value {@code id} names}
     *
     * @throws IllegalArgumentException if none does
     */
    static Impl of(String id) {
        for (Impl impl : values()) {
            if (impl.id.equals(id)) {
                return impl;
            }
        }
        List<String> known = Arrays.stream(values()).map(impl -> impl.id).toList();
        throw new IllegalArgumentException("unknown impl \"" + id + "\"; known: " + String.join(", ", known));
    }

    /** A blocking queue's {@code put} and {@code take}. */
    private record QueuePipe<E>(BlockingQueue<E> queue) implements Pipe<E> {
        @Override
        public void send(E element) throws InterruptedException {
            queue.put(element);
        }

        @Override
        public E receive() throws InterruptedException {
            return queue.take();
        }
    }
}
