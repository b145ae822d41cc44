import io.github.csp4j.channels.Channel;
import java.util.*;
import java.util.concurrent.*;

public class Phase {
    interface P { void send(Integer e) throws InterruptedException; Integer receive() throws InterruptedException; }
    static P make(String impl) {
        if (impl.equals("csp4j")) { Channel<Integer> c = Channel.buffered("p", 16); return new P() {
            public void send(Integer e) throws InterruptedException { c.send(e); }
            public Integer receive() throws InterruptedException { return c.receive(); } }; }
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(16); return new P() {
            public void send(Integer e) throws InterruptedException { q.put(e); }
            public Integer receive() throws InterruptedException { return q.take(); } };
    }
    static final int STRIDE = 16;
    public static void main(String[] a) throws Exception {
        String impl = a[0]; int pairs = Integer.parseInt(a[1]); int per = Integer.parseInt(a[2]); int runs = Integer.parseInt(a[3]);
        Integer[] els = new Integer[1024]; for (int i = 0; i < 1024; i++) els[i] = i;
        for (int r = 0; r < runs; r++) {
            long[] progress = new long[pairs * STRIDE];
            long total = (long) pairs * per;
            List<long[]> samples = new ArrayList<>();
            Thread starter = Thread.ofVirtual().unstarted(() -> {
                List<Thread> ts = new ArrayList<>();
                for (int p = 0; p < pairs; p++) {
                    P pipe = make(impl); int idx = p * STRIDE;
                    ts.add(Thread.ofVirtual().start(() -> { try { for (int i = 0; i < per; i++) pipe.send(els[i & 1023]); } catch (InterruptedException e) {} }));
                    ts.add(Thread.ofVirtual().start(() -> { try { for (int i = 0; i < per; i++) { pipe.receive(); progress[idx] = i + 1; } } catch (InterruptedException e) {} }));
                }
                for (Thread t : ts) { try { t.join(); } catch (InterruptedException e) {} }
            });
            long t0 = System.nanoTime();
            starter.start();
            while (starter.isAlive()) {
                long sum = 0; for (int p = 0; p < pairs; p++) sum += progress[p * STRIDE];
                samples.add(new long[]{System.nanoTime() - t0, sum});
                Thread.sleep(1);
            }
            long T = System.nanoTime() - t0;
            samples.add(new long[]{T, total});
            long t25 = -1, t75 = -1;
            for (long[] s : samples) { if (t25 < 0 && s[1] >= total / 4) t25 = s[0]; if (t75 < 0 && s[1] >= total * 3 / 4) t75 = s[0]; }
            double mid = (t75 - t25) / (double) (total / 2);
            System.out.printf("%s pairs=%d per=%d run %d: %.1f ns/el overall, middle half %.1f ns/el, first quarter %.0f%% of time, last quarter %.0f%%%n",
                impl, pairs, per, r, T / (double) total, mid, 100.0 * t25 / T, 100.0 * (T - t75) / T);
        }
    }
}
