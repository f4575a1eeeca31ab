import LifestyleCore
import Dispatch
import Synchronization

/// Rows per work unit. Fixed (never derived from the thread count) so chunk boundaries, and with
/// them every floating-point reduction order, are the same for 1 or N threads.
let rowsPerChunk = 256

/// Fixed chunks of `0..<count`, each `size` long (the last may be shorter).
@inline(__always)
func fixedChunks(count: Int, size: Int = rowsPerChunk) -> Int { (count + size - 1) / size }

/// Runs `body(chunk, worker)` for every chunk on up to `threads` workers. Each worker takes the
/// next chunk from a shared counter (a core slowed by other work on the machine simply takes fewer),
/// `worker` is unique among the workers running at once so per-worker scratch can be indexed by it,
/// and results that must be reduced are written per chunk and reduced by the caller in chunk order:
/// nothing depends on which worker ran which chunk.
func forEachChunk(_ chunks: Int, threads: Int, _ body: (_ chunk: Int, _ worker: Int) -> Void) {
    let workers = max(1, min(threads, chunks))
    if workers == 1 {
        for c in 0..<chunks { body(c, 0) }
        return
    }
    let next = Atomic<Int>(0)
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendable(body)
        withUnsafePointer(to: next) { counter in
            let shared = UncheckedSendable(counter)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                while true {
                    let c = shared.value.pointee.wrappingAdd(1, ordering: .relaxed).oldValue
                    if c >= chunks { break }
                    box.value(c, w)
                }
            }
        }
    }
}

/// Number of workers `forEachChunk` will use.
@inline(__always)
func workerCount(chunks: Int, threads: Int) -> Int { max(1, min(threads, chunks)) }

/// A raw pointer that concurrent chunks write disjoint parts of.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    @inline(__always) subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}
