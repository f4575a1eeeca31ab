import LifestyleCore
import LifestyleText

/// Document frequencies merged over chunk counters, in chunk order (so term numbering, and with it
/// every tie-break, is the same for any thread count).
final class MergedCounts: @unchecked Sendable {
    @exclusivity(unchecked) var table = TermTable(capacity: 1 << 16)
    let hashing: Bool
    @exclusivity(unchecked) var df = RawBuffer<Int32>()
    @exclusivity(unchecked) var total = RawBuffer<Int64>()
    /// For hashed keys, the term's code points (`arena[nameStart[g]]` is the length); -1 for packed keys.
    @exclusivity(unchecked) var nameStart = RawBuffer<Int32>()
    @exclusivity(unchecked) var arena = RawBuffer<UInt32>()
    var documents = 0
    var tokens = 0
    var pruned = 0
    /// Terms below the final min_df that the last merge did not store.
    var droppedOnMerge = 0
    var normalization = NormalizationCounts()
    /// For each merged chunk: local term index → global index.
    var remaps: [ContiguousArray<Int32>] = []
    /// Set by `makeModel`: global index → column (-1 when dropped).
    var columnOfGlobal = ContiguousArray<Int32>()

    init(hashingBits: Int?) {
        hashing = hashingBits != nil
        if let b = hashingBits {
            df = RawBuffer(repeating: 0, count: 1 << b)
            total = RawBuffer(repeating: 0, count: 1 << b)
        }
    }

    deinit {
        df.free()
        total.free()
        nameStart.free()
        arena.free()
    }

    var termCount: Int { hashing ? df.count : table.count }

    /// Adds one chunk's counts (chunks must be merged in chunk order for stable numbering).
    /// - Parameter finalMinimum: for the last chunk of a fit, the document-frequency bound: a term
    ///   this chunk meets for the first time already has its final df, and one below the bound is
    ///   counted as dropped instead of being stored.
    func merge(_ c: TermCounter, threads: Int = 1, finalMinimum: Double? = nil) {
        // The first chunk's table becomes the global table as it is (its indices are already
        // global): only the statistics are copied, which halves the merge for two chunks.
        if !hashing && remaps.isEmpty && table.count == 0 {
            adopt(c)
            return
        }
        documents += Int(c.documents)
        tokens += c.tokens
        normalization.add(c.normalization)
        if hashing {
            for t in 0..<c.termCount {
                df[t] += c.stats[t].df
                total[t] += Int64(c.stats[t].total)
            }
            remaps.append([])
            return
        }
        let n = c.termCount
        let keys = c.table.keyOf
        var remap = ContiguousArray<Int32>(repeating: -1, count: n)
        remap.withUnsafeMutableBufferPointer { remap in
            // Pass 1, in parallel: terms already known. The table is only read and each term has
            // its own global index, so the statistics updates never collide.
            let out = UnsafeSendable(remap)
            let keyView = UnsafeSendable(keys)
            let parts = chunkRanges(count: n, threads: threads, perThread: 1, minimum: 4096)
            _ = parallelMap(parts, threads: threads) { range -> Bool in
                for t in range {
                    // The lookups miss cache; start loading the slot of a key a few steps ahead.
                    if t + 8 < range.upperBound { self.table.prefetch(keyView.value[t + 8]) }
                    let g = self.table.find(keyView.value[t])
                    if g >= 0 {
                        let s = c.stats[t]
                        self.df[Int(g)] += s.df
                        self.total[Int(g)] += Int64(s.total)
                        out.value[t] = g
                    }
                }
                return true
            }
            // Pass 2, serially and in term order: new terms.
            for t in 0..<n where remap[t] < 0 {
                let s = c.stats[t]
                if let finalMinimum, Double(s.df) < finalMinimum {
                    droppedOnMerge += 1
                    continue
                }
                var inserted = false
                let g = table.findOrInsert(keys[t], inserted: &inserted)
                df.append(s.df)
                total.append(Int64(s.total))
                let start = Int(c.nameStart[t])
                if start < 0 {
                    nameStart.append(-1)
                } else {
                    nameStart.append(Int32(arena.count))
                    let len = Int(c.arena[start])
                    arena.append(contentsOf: UnsafeBufferPointer(start: c.arena.base + start, count: len + 1))
                }
                remap[t] = g
            }
        }
        remaps.append(remap)
    }

    private func adopt(_ c: TermCounter) {
        documents += Int(c.documents)
        tokens += c.tokens
        normalization.add(c.normalization)
        table = c.table
        let n = c.termCount
        df.reserve(n)
        total.reserve(n)
        nameStart.reserve(n)
        for t in 0..<n {
            let s = c.stats[t]
            df.append(s.df)
            total.append(Int64(s.total))
            nameStart.append(c.nameStart[t])
        }
        arena.append(contentsOf: c.arena.buffer)
        remaps.append(ContiguousArray(0..<Int32(n)))
    }

    func scalars(of g: Int) -> [UInt32] {
        let start = Int(nameStart[g])
        if start < 0 { return TokenKey(raw: table.keyOf[g]).packedScalars ?? [] }
        return (0..<Int(arena[start])).map { arena[start + 1 + $0] }
    }

    /// The first three code points of term `g`, packed most-significant first: integer order is
    /// code-point order up to the third code point (absent code points count as 0, so a prefix sorts first).
    @inline(__always)
    func orderKey(of g: Int) -> UInt64 {
        let m: UInt64 = 0x1F_FFFF
        let start = Int(nameStart[g])
        if start < 0 {
            let raw = table.keyOf[g]
            return (raw & m) << 42 | (raw >> 21 & m) << 21 | (raw >> 42 & m)
        }
        // Same +1 offset as packed keys, so both kinds order alike.
        let n = Int(arena[start])
        var k: UInt64 = 0
        for i in 0..<3 { k = k << 21 | (i < n ? (UInt64(arena[start + 1 + i]) + 1) & m : 0) }
        return k
    }

    /// Appends the code points of term `g`.
    @inline(__always)
    func appendScalars(of g: Int, to out: inout ContiguousArray<UInt32>) {
        let start = Int(nameStart[g])
        if start < 0 {
            var raw = table.keyOf[g]
            while raw != 0 {
                out.append(UInt32(raw & 0x1F_FFFF) - 1)
                raw >>= 21
            }
        } else {
            out.append(contentsOf: UnsafeBufferPointer(start: arena.base + start + 1, count: Int(arena[start])))
        }
    }

    /// Drops the rarest terms until at most `limit` remain (raising the df cut-off one step at a time).
    func prune(toAtMost limit: Int) {
        var cutoff: Int32 = 1
        while true {
            var remaining = 0
            for g in 0..<table.count where df[g] > cutoff { remaining += 1 }
            if remaining <= limit { break }
            cutoff += 1
        }
        let newTable = TermTable(capacity: limit)
        var newDF = RawBuffer<Int32>(), newTotal = RawBuffer<Int64>()
        var newStart = RawBuffer<Int32>(), newArena = RawBuffer<UInt32>()
        for g in 0..<table.count where df[g] > cutoff {
            var inserted = false
            _ = newTable.findOrInsert(table.keyOf[g], inserted: &inserted)
            newDF.append(df[g])
            newTotal.append(total[g])
            let start = Int(nameStart[g])
            if start < 0 {
                newStart.append(-1)
            } else {
                newStart.append(Int32(newArena.count))
                newArena.append(contentsOf: UnsafeBufferPointer(start: arena.base + start, count: Int(arena[start]) + 1))
            }
        }
        pruned += table.count - newTable.count
        df.free(); total.free(); nameStart.free(); arena.free()
        table = newTable
        df = newDF
        total = newTotal
        nameStart = newStart
        arena = newArena
    }
}

/// Lets disjoint elements of one buffer be written from concurrent work.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
