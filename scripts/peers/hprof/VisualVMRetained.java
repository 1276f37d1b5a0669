// VisualVMRetained — the HPROF bench's peer: opens a dump with VisualVM's heap library
// (org.graalvm.visualvm.lib.jfluid.heap, Debian's visualvm package), headless, and asks for every
// instance's retained size. Prints timings and the 100 largest retainers (id, retained bytes) so
// scripts/bench-hprof can compare them with heapscan's.
// Usage: java -cp <jfluid-heap.jar>:. VisualVMRetained <dump.hprof> [top-out.txt]   (no output file: read only)
import java.io.File;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import org.graalvm.visualvm.lib.jfluid.heap.Heap;
import org.graalvm.visualvm.lib.jfluid.heap.HeapFactory;
import org.graalvm.visualvm.lib.jfluid.heap.Instance;

public class VisualVMRetained {
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Heap heap = HeapFactory.createHeap(new File(args[0]));
        long objects = 0;
        long shallow = 0;
        for (Iterator<Instance> it = heap.getAllInstancesIterator(); it.hasNext(); ) {
            shallow += it.next().getSize();
            objects++;
        }
        long read = System.nanoTime();
        long analyzed = read;
        if (args.length > 1) {
            // The 100 largest retained sizes: VisualVM computes its dominator tree for the whole heap.
            List<Instance> top = heap.getBiggestObjectsByRetainedSize(100);
            analyzed = System.nanoTime();
            try (PrintWriter out = new PrintWriter(args[1])) {
                for (Instance i : top) out.println(i.getInstanceId() + " " + i.getRetainedSize());
            }
        }
        System.out.println("objects " + objects + " shallow " + shallow);
        System.out.printf("read %.3f s, analysis %.3f s%n", (read - start) / 1e9, (analyzed - read) / 1e9);
    }
}
