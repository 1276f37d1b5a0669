// heapscan-swift-bench — the cost of HeapscanSwift's allocation hook: Swift object allocate+free in
// one process, rounds alternating without the hook (the peer) and with it (ours), best of each; the
// free() interposer is linked in for both. Prints one BENCH line.
import Foundation
import HeapscanSwift

final class Payload {
    var a = 0
    var b: Payload?
}

@inline(never) func churn(_ slots: inout [Payload?], rounds: Int) -> Int {
    var sum = 0
    for i in 0..<rounds {
        let object = Payload()
        object.a = i
        slots[i & 1023] = object  // frees the object stored 1024 rounds ago
        sum &+= object.a
    }
    return sum
}

/// Best of `repeats` timings of `rounds` alloc+free pairs, in nanoseconds per pair.
func measure(rounds: Int, repeats: Int) -> Double {
    var slots = [Payload?](repeating: nil, count: 1024)
    var best = Double.infinity
    var sink = 0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        sink &+= churn(&slots, rounds: rounds)
        let end = DispatchTime.now().uptimeNanoseconds
        best = min(best, Double(end - start) / Double(rounds))
    }
    if sink == 42 { print("") }
    slots.removeAll()
    return best
}

let rounds = 1_000_000
do { try SwiftHeap.install() } catch {
    FileHandle.standardError.write(Data("heapscan-swift-bench: \(error)\n".utf8))
    exit(2)
}
_ = measure(rounds: rounds / 10, repeats: 1)  // warm up
var without = Double.infinity, with = Double.infinity
for _ in 0..<7 {
    SwiftHeap._setHookEnabledForBenchmark(false)
    without = min(without, measure(rounds: rounds, repeats: 1))
    SwiftHeap._setHookEnabledForBenchmark(true)
    with = min(with, measure(rounds: rounds, repeats: 1))
}
print(String(format: "BENCH swift-hook-alloc ours=%.1f peer=%.1f ratio=%.2f unit=ns/alloc+free", with, without, with / without))
