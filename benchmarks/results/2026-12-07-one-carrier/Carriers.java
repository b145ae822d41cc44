import io.github.csp4j.channels.Channel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Throwaway (not a benchmark): how often each party of a buffered(16) 1P1C stream resumes on
 * another carrier than the one it last ran on, csp4j against ArrayBlockingQueue(16). Each party
 * reads its carrier (VirtualThread.carrierThread, by reflection: --add-opens
 * java.base/java.lang=ALL-UNNAMED) after every operation and counts the changes.
 */
public class Carriers {
    static final VarHandle CARRIER;
    static {
        try {
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            CARRIER = MethodHandles.privateLookupIn(vt, MethodHandles.lookup()).findVarHandle(vt, "carrierThread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    interface Op { void run(int i) throws InterruptedException; }

    static long[] party(Op op, int n) throws InterruptedException {
        long changes = 0;
        Thread last = (Thread) CARRIER.getVolatile(Thread.currentThread());
        for (int i = 0; i < n; i++) {
            op.run(i);
            Thread now = (Thread) CARRIER.getVolatile(Thread.currentThread());
            if (now != last) {
                changes++;
                last = now;
            }
        }
        return new long[] {changes};
    }

    static void measure(String name, Op send, Op receive, int n) throws Exception {
        long[][] out = new long[2][];
        long start = System.nanoTime();
        Thread s = Thread.ofVirtual().start(() -> { try { out[0] = party(send, n); } catch (InterruptedException e) { throw new RuntimeException(e); } });
        Thread r = Thread.ofVirtual().start(() -> { try { out[1] = party(receive, n); } catch (InterruptedException e) { throw new RuntimeException(e); } });
        s.join();
        r.join();
        long ns = System.nanoTime() - start;
        System.out.printf("%-22s %6.1f ns/element; carrier changes per 1,000 elements: sender %6.1f, receiver %6.1f%n",
                name, (double) ns / n, out[0][0] * 1000.0 / n, out[1][0] * 1000.0 / n);
    }

    public static void main(String[] args) throws Exception {
        int n = 2_000_000;
        for (int round = 0; round < 4; round++) {
            Channel<Integer> ch = Channel.buffered(16);
            measure("csp4j buffered(16)", i -> ch.send(i), i -> ch.receive(), n);
            BlockingQueue<Integer> q = new ArrayBlockingQueue<>(16);
            measure("ArrayBlockingQueue(16)", i -> q.put(i), i -> q.take(), n);
        }
    }
}
