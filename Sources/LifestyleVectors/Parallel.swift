import Dispatch

/// Splits 0..<count into contiguous chunks: a few per thread for balance, in order.
func chunkRanges(count: Int, threads: Int, perThread: Int = 2, minimum: Int = 64) -> [Range<Int>] {
    guard count > 0 else { return [] }
    let chunks = max(1, min(threads * perThread, (count + minimum - 1) / minimum))
    let size = (count + chunks - 1) / chunks
    return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
}

/// Maps `items` on up to `threads` threads; results in input order, so output never depends on scheduling.
func parallelMap<T, R>(_ items: [T], threads: Int, _ body: @Sendable (T) -> R) -> [R] where T: Sendable {
    if threads <= 1 || items.count <= 1 { return items.map(body) }
    let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    let box = UnsafeSendableBuffer(results)
    // Worker w takes items w, w+workers, …; each writes its own slot.
    let workers = min(threads, items.count)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        for i in stride(from: w, to: items.count, by: workers) { box.buffer[i] = body(items[i]) }
    }
    return results.map { $0! }
}

/// Lets disjoint slots of one buffer be written from concurrent iterations.
struct UnsafeSendableBuffer<R>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<R?>
    init(_ buffer: UnsafeMutableBufferPointer<R?>) { self.buffer = buffer }
}
