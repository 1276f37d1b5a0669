// BigHeap — the HPROF bench's heap: a few hundred thousand orders in a static map that grows (each
// order an object with a String, a byte[] and a Long key: five objects per entry), a linked list,
// a soft cache, and object arrays; well over a million objects. Prints "ready <pid>" and waits on stdin.
// Usage: java BigHeap [entries]
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class BigHeap {
    static final Map<Long, Order> ORDERS = new HashMap<>();
    static final List<SoftReference<int[]>> SOFT = new ArrayList<>();
    static Link chain;

    static final class Order {
        final long id;
        final String customer;
        final byte[] payload;
        Order next;
        Order(long id) { this.id = id; this.customer = "customer-" + (id % 9973); this.payload = new byte[24 + (int) (id % 64)]; }
    }

    static final class Link {
        final Link next;
        final Object value;
        Link(Link next, Object value) { this.next = next; this.value = value; }
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 250000;
        Order previous = null;
        for (long i = 0; i < entries; i++) {
            Order o = new Order(i);
            if (i % 7 == 0) o.next = previous;
            ORDERS.put(i, o);
            previous = o;
        }
        for (int i = 0; i < entries / 4; i++) chain = new Link(chain, i % 3 == 0 ? new Object[] {chain, "link"} : null);
        for (int i = 0; i < 1000; i++) SOFT.add(new SoftReference<>(new int[64]));
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() != -1) { }
    }
}
