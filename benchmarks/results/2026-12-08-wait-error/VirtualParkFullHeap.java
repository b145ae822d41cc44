import java.util.concurrent.locks.LockSupport;
public class VirtualParkFullHeap {
    static Object[] held;
    public static void main(String[] a) throws Exception {
        Throwable[] outcome = new Throwable[1];
        boolean timed = a.length > 0;
        Runnable body = () -> {
            LockSupport.parkNanos(1_000_000); LockSupport.unpark(Thread.currentThread()); LockSupport.park();
            fill();
            try { if (timed) LockSupport.parkNanos(10_000_000); else { LockSupport.park(); } } catch (Throwable t) { outcome[0] = t; }
            held = null;
        };
        Thread t = Thread.ofVirtual().unstarted(body);
        t.start();
        if (!timed) { while (t.getState() != Thread.State.WAITING || held == null) Thread.onSpinWait(); Thread.sleep(100); LockSupport.unpark(t); }
        t.join();
        System.out.println("outcome " + outcome[0]);
    }
    static void fill() { // arrays halving in size until even a pair does not fit, all held
        held = new Object[] {null, null};
        for (int size = 1 << 20; size > 0; ) { try { held = new Object[] {new long[size], held}; } catch (OutOfMemoryError e) { size >>>= 1; } }
        while (true) { try { held = new Object[] {null, held}; } catch (OutOfMemoryError e) { return; } }
    }
}
