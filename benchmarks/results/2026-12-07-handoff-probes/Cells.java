import io.github.csp4j.channels.Channel;
import java.lang.reflect.*;

public class Cells {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        for (int round = 0; round < 5; round++) {
            Channel<Integer> ch = Channel.rendezvous();
            Thread s = Thread.ofVirtual().start(() -> { try { for (int i = 0; i < n; i++) ch.send(i); } catch (InterruptedException e) {} });
            long t0 = System.nanoTime();
            Thread r = Thread.ofVirtual().start(() -> { try { for (int i = 0; i < n; i++) { int v = ch.receive(); if (v != i) throw new AssertionError(v + " " + i); } } catch (InterruptedException e) {} });
            s.join(); r.join();
            long t = System.nanoTime() - t0;
            Object c = get(ch, "counters");
            Method st = c.getClass().getDeclaredMethod("status"); st.setAccessible(true);
            Method rv = c.getClass().getDeclaredMethod("receivers"); rv.setAccessible(true);
            long S = ((Long) st.invoke(c)) & ((1L << 60) - 1);
            long R = (Long) rv.invoke(c);
            System.out.printf("n=%d S=%d R=%d cells/element=%.3f ns/element=%.1f%n", n, S, R, S / (double) n, t / (double) n);
        }
    }
    static Object get(Object o, String f) throws Exception {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try { Field fd = c.getDeclaredField(f); fd.setAccessible(true); return fd.get(o); } catch (NoSuchFieldException e) {}
        }
        throw new NoSuchFieldException(f);
    }
}
