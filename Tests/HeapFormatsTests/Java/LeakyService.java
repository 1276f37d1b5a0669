// LeakyService — a small Java program with a known heap, dumped by HeapFormatsTests (jcmd GC.heap_dump)
// and compared against jcmd GC.class_histogram. Prints "ready <pid>" when its heap is built, then waits
// on stdin so the test can dump it; exits when stdin closes.
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class LeakyService {
    /** A static map that grows and is never evicted: the leak. */
    static final Map<Integer, Session> SESSIONS = new HashMap<>();
    /** Listeners captured by lambdas and never removed. */
    static final List<Runnable> LISTENERS = new ArrayList<>();
    /** A cache of softly held values: must not count as retained. */
    static final Map<Integer, SoftReference<Payload>> SOFT_CACHE = new HashMap<>();
    /** A ring of nodes. */
    static RingNode ring;
    /** Strings and arrays. */
    static final String GREETING = "hello, heap";
    static final String WIDE = "h\u00e9ap \u2603 snow";
    static final int[] NUMBERS = new int[1000];
    static final Object[] MIXED = new Object[] {"one", 2L, new double[16], null};

    static final class Session {
        final int id;
        final byte[] buffer;
        final String user;
        Session(int id) { this.id = id; this.buffer = new byte[256]; this.user = "user-" + id; }
    }

    static final class Payload {
        final long[] data = new long[64];
    }

    static final class RingNode {
        RingNode next;
        final int index;
        RingNode(int index) { this.index = index; }
    }

    static final class Listener {
        final String topic;
        final int priority;
        Listener(String topic, int priority) { this.topic = topic; this.priority = priority; }
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        for (int i = 0; i < sessions; i++) SESSIONS.put(i, new Session(i));
        for (int i = 0; i < 50; i++) {
            Listener l = new Listener("topic-" + i, i);
            LISTENERS.add(() -> System.out.print(l.topic));
        }
        for (int i = 0; i < 100; i++) SOFT_CACHE.put(i, new SoftReference<>(new Payload()));
        RingNode first = new RingNode(0);
        RingNode last = first;
        for (int i = 1; i < 10; i++) { RingNode n = new RingNode(i); last.next = n; last = n; }
        last.next = first;
        ring = first;
        Thread worker = new Thread(() -> {
            int[] local = new int[4096];
            local[0] = 1;
            synchronized (LeakyService.class) {
                try { LeakyService.class.wait(); } catch (InterruptedException e) { return; }
            }
            System.out.print(local[0]);
        }, "leaky-worker");
        worker.setDaemon(true);
        worker.start();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() != -1) { }
    }
}
