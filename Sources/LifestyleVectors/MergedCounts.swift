import LifestyleText

/// Document frequencies merged over chunk counters, in chunk order (so term numbering, and with it
/// every tie-break, is the same for any thread count).
final class MergedCounts: @unchecked Sendable {
    var table = TermTable(capacity: 1 << 16)
    let hashing: Bool
    var df = ContiguousArray<Int32>()
    var total = ContiguousArray<Int64>()
    var names: [[UInt32]?] = []
    var documents = 0
    var tokens = 0
    var pruned = 0
    var normalization = NormalizationCounts()
    /// For each merged chunk: local term index → global index.
    var remaps: [ContiguousArray<Int32>] = []
    /// Set by `makeModel`: global index → column (-1 when dropped).
    var columnOfGlobal = ContiguousArray<Int32>()

    init(hashingBits: Int?) {
        hashing = hashingBits != nil
        if let b = hashingBits {
            df = ContiguousArray(repeating: 0, count: 1 << b)
            total = ContiguousArray(repeating: 0, count: 1 << b)
        }
    }

    var termCount: Int { hashing ? df.count : table.count }

    func merge(_ c: TermCounter) {
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
        var remap = ContiguousArray<Int32>(repeating: 0, count: c.termCount)
        let keys = c.table.keyOf
        for t in 0..<c.termCount {
            var inserted = false
            let g = table.findOrInsert(keys[t], inserted: &inserted)
            if inserted {
                df.append(0)
                total.append(0)
                names.append(c.nameStart[t] < 0 ? nil : c.scalars(of: t))
            }
            df[Int(g)] += c.stats[t].df
            total[Int(g)] += Int64(c.stats[t].total)
            remap[t] = g
        }
        remaps.append(remap)
    }

    func scalars(of g: Int) -> [UInt32] {
        names[g] ?? TokenKey(raw: table.keyOf[g]).packedScalars ?? []
    }

    /// Drops the rarest terms until at most `limit` remain (raising the df cut-off one step at a time).
    func prune(toAtMost limit: Int) {
        var cutoff: Int32 = 1
        while true {
            let remaining = df.reduce(0) { $0 + ($1 > cutoff ? 1 : 0) }
            if remaining <= limit { break }
            cutoff += 1
        }
        let newTable = TermTable(capacity: limit)
        var newDF = ContiguousArray<Int32>(), newTotal = ContiguousArray<Int64>()
        var newNames: [[UInt32]?] = []
        for g in 0..<table.count where df[g] > cutoff {
            var inserted = false
            _ = newTable.findOrInsert(table.keyOf[g], inserted: &inserted)
            newDF.append(df[g])
            newTotal.append(total[g])
            newNames.append(names[g])
        }
        pruned += table.count - newTable.count
        table = newTable
        df = newDF
        total = newTotal
        names = newNames
    }
}
