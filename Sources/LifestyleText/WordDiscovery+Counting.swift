import Foundation
import Dispatch

/// Up to eight symbols (dense 16-bit ids, 0 = none / run boundary) packed big-endian into 128
/// bits, so that integer order is lexicographic order and a shorter n-gram sorts first.
struct NGram: Hashable, Comparable, Sendable {
    var hi: UInt64
    var lo: UInt64

    static func < (a: NGram, b: NGram) -> Bool { a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo }

    @inline(__always)
    func symbol(_ k: Int) -> UInt16 {
        k < 4 ? UInt16(truncatingIfNeeded: hi >> UInt64(48 - 16 * k))
            : UInt16(truncatingIfNeeded: lo >> UInt64(48 - 16 * (k - 4)))
    }

    @inline(__always)
    mutating func set(_ k: Int, _ s: UInt16) {
        if k < 4 { hi |= UInt64(s) << UInt64(48 - 16 * k) } else { lo |= UInt64(s) << UInt64(48 - 16 * (k - 4)) }
    }

    /// Number of leading non-zero symbols.
    var length: Int {
        var n = 0
        while n < 8 && symbol(n) != 0 { n += 1 }
        return n
    }

    /// The first `n` symbols.
    func prefix(_ n: Int) -> NGram {
        var g = NGram(hi: 0, lo: 0)
        for k in 0..<n { g.set(k, symbol(k)) }
        return g
    }

    /// All but the first `n` symbols.
    func dropFirst(_ n: Int) -> NGram {
        var g = NGram(hi: 0, lo: 0)
        let len = length
        for k in n..<max(n, len) { g.set(k - n, symbol(k)) }
        return g
    }

    func reversed() -> NGram {
        var g = NGram(hi: 0, lo: 0)
        let len = length
        for k in 0..<len { g.set(k, symbol(len - 1 - k)) }
        return g
    }

    /// Number of equal leading symbols of two keys (0…8).
    @inline(__always)
    static func commonPrefix(_ a: NGram, _ b: NGram) -> Int {
        let x = a.hi ^ b.hi
        if x != 0 { return x.leadingZeroBitCount / 16 }
        let y = a.lo ^ b.lo
        return y == 0 ? 8 : 4 + y.leadingZeroBitCount / 16
    }
}

/// Counts and branching entropies of every n-gram (length 1…maxLength, count ≥ minCount).
///
/// Symbols are dense ids by descending frequency; if a corpus has more than 65 535 distinct code
/// points, the rarest ones act as run boundaries (they cannot reach any useful count anyway).
struct NGramStatistics: @unchecked Sendable {
    var codePointOf: [UInt32] = [0]
    var symbolOf: [UInt32: UInt16] = [:]
    var totalSymbols = 0
    var index: [NGram: Int32] = [:]
    var counts: [Int] = []
    var rightEntropy: [Double] = []
    var leftEntropies: [NGram: Double] = [:]

    init(runs: [[UInt32]], maxLength: Int, minCount: Int) {
        // Dense symbol ids, most frequent first (ties by code point: deterministic).
        var freq: [UInt32: Int] = [:]
        for run in runs { for cp in run { freq[cp, default: 0] += 1 } }
        let ordered = freq.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var idOf: [UInt32: UInt16] = [:]
        idOf.reserveCapacity(min(ordered.count, 65535))
        for (k, item) in ordered.prefix(65535).enumerated() {
            idOf[item.key] = UInt16(k + 1)
            codePointOf.append(item.key)
        }
        var symbols: [UInt16] = []
        symbols.reserveCapacity(runs.reduce(0) { $0 + $1.count + 1 })
        for run in runs {
            for cp in run { symbols.append(idOf[cp] ?? 0) }
            symbols.append(0)
        }
        symbolOf = idOf
        totalSymbols = symbols.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let width = maxLength + 1
        let frozen = symbols
        final class Results: @unchecked Sendable {
            var forward: [(NGram, Int, Double)] = []
            var backward: [(NGram, Int, Double)] = []
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { direction in
            let keys = NGramStatistics.sortedKeys(frozen, width: width, reversed: direction == 1)
            let found = NGramStatistics.scan(keys, lengths: 1...maxLength,
                                             minCount: minCount)
            if direction == 0 { results.forward = found } else { results.backward = found }
        }
        index.reserveCapacity(results.forward.count)
        counts.reserveCapacity(results.forward.count)
        rightEntropy.reserveCapacity(results.forward.count)
        for (g, c, h) in results.forward {
            index[g] = Int32(counts.count)
            counts.append(c)
            rightEntropy.append(h)
        }
        leftEntropies.reserveCapacity(results.backward.count)
        for (g, _, h) in results.backward { leftEntropies[g.reversed()] = h }
    }

    /// False when a `leadingOnly` code point occurs after the first symbol of `g`.
    func allowed(_ g: NGram, leadingOnly: Set<UInt32>) -> Bool {
        if leadingOnly.isEmpty { return true }
        let len = g.length
        return len < 2 || !(1..<len).contains { leadingOnly.contains(codePointOf[Int(g.symbol($0))]) }
    }

    func leftEntropy(of g: NGram) -> Double { leftEntropies[g] ?? 0 }

    func string(_ g: NGram) -> String {
        var s = String.UnicodeScalarView()
        for k in 0..<g.length {
            if let u = Unicode.Scalar(codePointOf[Int(g.symbol(k))]) { s.append(u) }
        }
        return String(s)
    }

    /// One key per symbol position (the next `width` symbols, stopping at a boundary), sorted.
    static func sortedKeys(_ symbols: [UInt16], width: Int, reversed: Bool) -> [NGram] {
        var seq = symbols
        if reversed {
            // Reverse each run in place; boundaries (0) stay separators.
            var start = 0
            for i in 0..<seq.count where seq[i] == 0 {
                seq[start..<i].reverse()
                start = i + 1
            }
        }
        var keys: [NGram] = []
        keys.reserveCapacity(seq.count)
        seq.withUnsafeBufferPointer { s in
            for p in 0..<s.count where s[p] != 0 {
                var g = NGram(hi: 0, lo: 0)
                var k = 0
                while k < width && p + k < s.count && s[p + k] != 0 {
                    g.set(k, s[p + k])
                    k += 1
                }
                keys.append(g)
            }
        }
        keys.sort()
        return keys
    }

    /// For each length n, groups sorted keys by their first n symbols; emits groups of at least
    /// `minCount` with their branching entropy over symbol n (boundaries are distinct neighbours).
    static func scan(_ keys: [NGram], lengths: ClosedRange<Int>, minCount: Int) -> [(NGram, Int, Double)] {
        let count = keys.count
        guard count > 0 else { return [] }
        var lcp = [UInt8](repeating: 0, count: count + 1)
        for k in 1..<count { lcp[k] = UInt8(NGram.commonPrefix(keys[k - 1], keys[k])) }
        var out: [(NGram, Int, Double)] = []
        for n in lengths {
            var groupStart = 0
            var subStart = 0
            var sum = 0.0
            for k in 1...count {
                let l = k < count ? Int(lcp[k]) : -1
                if l < n + 1 {
                    let c = k - subStart
                    if c > 1 && keys[subStart].symbol(n) != 0 { sum += Double(c) * log(Double(c)) }
                    subStart = k
                }
                if l < n {
                    let c = k - groupStart
                    if c >= minCount && keys[groupStart].symbol(n - 1) != 0 {
                        let total = Double(c)
                        out.append((keys[groupStart].prefix(n), c, log(total) - sum / total))
                    }
                    groupStart = k
                    sum = 0
                }
            }
        }
        return out
    }
}
