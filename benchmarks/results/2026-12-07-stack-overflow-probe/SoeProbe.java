import io.github.csp4j.channels.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Throwaway (not a test): a StackOverflowError at every depth of a channel operation, then the
 * channel's state. A platform thread with a 512 KiB stack recurses until the stack overflows; as
 * the recursion unwinds, each frame tries a timed receive (or a timed send on a full channel) of
 * 1 ms once, until one returns without an overflow. Every depth between "overflows before the
 * ticket" and "returns" is tried, so an overflow after any step the operation commits is reached.
 * Then the probe checks what a correct channel would show: no receiver left, so a rendezvous
 * trySend refuses and a buffered element stays for tryReceive; no send that threw delivered.
 */
public class SoeProbe {
    static Channel<Integer> ch;
    static boolean done;
    static int soes;
    static boolean send;

    static void descend(int depth) {
        try {
            descend(depth + 1);
        } catch (StackOverflowError e) {
            // unwinding: try the operation at this depth
        }
        if (!done) attempt();
    }

    static void attempt() {
        try {
            if (send) {
                boolean sent = ch.send(7, Duration.ofMillis(1));
                if (sent) { System.out.println("  sent?!"); }
            } else {
                Integer got = ch.receive(Duration.ofMillis(1));
                if (got != null) { System.out.println("  received " + got); }
            }
            done = true;
        } catch (StackOverflowError e) {
            soes++;
            // nothing more here: a call this deep can overflow again (recording where did)
        } catch (Throwable t) {
            System.out.println("  other: " + t);
            done = true;
        }
    }

    public static void main(String[] args) throws Exception {
        for (String kind : List.of("rendezvous", "buffered1", "unbounded")) {
            for (boolean s : new boolean[] {false, true}) {
                if (s && kind.equals("unbounded")) continue;
                send = s;
                ch = kind.equals("rendezvous") ? Channel.rendezvous(kind) : kind.equals("unbounded") ? Channel.unbounded(kind) : Channel.buffered(kind, 1);
                if (send && kind.equals("buffered1")) ch.trySend(0); // full
                // warm up class loading on another channel
                Channel<Integer> warm = kind.equals("rendezvous") ? Channel.rendezvous() : Channel.buffered(1);
                for (int i = 0; i < 3; i++) { warm.receive(Duration.ofMillis(1)); warm.trySend(1); warm.send(2, Duration.ofMillis(1)); warm.tryReceive(); warm.tryReceive(); }
                done = false; soes = 0;
                Thread t = new Thread(null, () -> descend(0), "deep", 512 * 1024);
                t.start();
                t.join();
                System.out.println(kind + (send ? " send" : " receive") + ": " + soes + " overflows caught");
                System.out.println("  channel after: " + ch);
                if (!send) {
                    boolean taken = kind.equals("rendezvous") ? ch.trySend(42) : false;
                    if (!kind.equals("rendezvous")) { ch.trySend(42); Integer back = ch.tryReceive(); System.out.println("  buffered 42, tryReceive -> " + back); }
                    else System.out.println("  trySend(42) on rendezvous with nobody waiting -> " + taken + (taken ? "  LOST" : ""));
                } else {
                    Integer a = ch.tryReceive(); Integer b = ch.tryReceive();
                    System.out.println("  tryReceive x2 -> " + a + ", " + b);
                }
            }
        }
    }
}
