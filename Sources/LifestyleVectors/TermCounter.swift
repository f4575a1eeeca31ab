import CLifestyleShims
import LifestyleText

/// Counts terms over a chunk of documents on one thread: document frequency, total count, the
/// text of every term whose key is a hash, and (optionally) each document's (term, count) list.
///
/// Hot-path state lives in raw buffers (no uniqueness or exclusivity checks per token); single
/// BMP characters skip hashing through a direct 64 Ki-entry index.
final class TermCounter: @unchecked Sendable {
    struct Stats {
        var df: Int32 = 0
        var lastDoc: Int32 = -1
        /// Position of this term's entry in the current document's list.
        var slot: Int32 = 0
        var total: Int32 = 0
    }

    let table: TermTable
    /// Hashing mode: the term index is the bucket, no table.
    let bucketMask: UInt64?
    @exclusivity(unchecked) var stats: RawBuffer<Stats>
    @exclusivity(unchecked) private var bmp: RawBuffer<Int32>
    /// For hashed keys: where the term's code points start in `arena` (-1 for packed keys).
    @exclusivity(unchecked) var nameStart = RawBuffer<Int32>()
    @exclusivity(unchecked) var arena = RawBuffer<UInt32>()
    let keepDocuments: Bool
    /// Document d's entries are `docEntries[docStart[d]..<docStart[d+1]]`, each `term << 32 | count`.
    @exclusivity(unchecked) var docStart = RawBuffer<Int>()
    @exclusivity(unchecked) var docEntries = RawBuffer<UInt64>()
    @exclusivity(unchecked) private(set) var documents: Int32 = 0
    @exclusivity(unchecked) var tokens = 0
    /// Packed multi-character keys of the current document, counted in a batch at its end so
    /// table slots can be prefetched a few keys ahead (the lookups are cache-miss bound).
    @exclusivity(unchecked) private var pending = RawBuffer<UInt64>(capacity: 1 << 12)
    @exclusivity(unchecked) private var pendingTerms = RawBuffer<Int32>(capacity: 1 << 12)
    var normalization = NormalizationCounts()

    init(keepDocuments: Bool, hashingBits: Int?, expectedTerms: Int = 1 << 14, expectedEntries: Int = 1 << 12) {
        self.keepDocuments = keepDocuments
        docStart.append(0)
        docEntries.reserve(expectedEntries)
        bmp = RawBuffer(repeating: -1, count: 0x10001)
        if let bits = hashingBits {
            bucketMask = (1 << UInt64(bits)) - 1
            table = TermTable(capacity: 8)
            stats = RawBuffer(repeating: Stats(), count: 1 << bits)
        } else {
            bucketMask = nil
            table = TermTable(capacity: expectedTerms)
            stats = RawBuffer(capacity: expectedTerms)
        }
    }

    deinit {
        stats.free()
        bmp.free()
        nameStart.free()
        arena.free()
        docStart.free()
        docEntries.free()
        pending.free()
        pendingTerms.free()
    }

    var termCount: Int { stats.count }

    /// Ends the current document.
    @inline(__always)
    func endDocument() {
        if pending.count > 0 { flushPending() }
        documents += 1
        if keepDocuments { docStart.append(docEntries.count) }
    }

    @inline(__always)
    func add(_ scalars: UnsafeBufferPointer<UInt32>, key: TokenKey) {
        tokens &+= 1
        let t: Int
        if let mask = bucketMask {
            t = Int(truncatingIfNeeded: key.mixed & mask)
        } else if key.raw <= 0x10000 {  // a single BMP code point (packed as code point + 1)
            let b = bmp[Int(key.raw)]
            if b >= 0 {
                t = Int(b)
            } else {
                t = insert(scalars, key: key)
                bmp[Int(key.raw)] = Int32(t)
            }
        } else if key.isPacked {
            pending.append(key.raw)
            return
        } else {
            var inserted = false
            let i = Int(table.findOrInsert(key.raw, inserted: &inserted))
            t = inserted ? newTerm(scalars, key: key, index: i, before: i) : i
        }
        count(t)
    }

    /// Two pipelined passes over the document's pending keys: look up terms (prefetching the
    /// table slot 8 keys ahead), then update their statistics (prefetching 8 terms ahead).
    @inline(never)
    private func flushPending() {
        let n = pending.count
        let keys = pending.base
        pendingTerms.removeAll()
        pendingTerms.reserve(n)
        let terms = pendingTerms.base
        let empty = UnsafeBufferPointer<UInt32>(start: nil, count: 0)
        for i in 0..<n {
            if i + 8 < n { table.prefetch(keys[i + 8]) }
            var inserted = false
            let t = Int(table.findOrInsert(keys[i], inserted: &inserted))
            if inserted { _ = newTerm(empty, key: TokenKey(raw: keys[i]), index: t, before: t) }
            terms[i] = Int32(t)
        }
        for i in 0..<n {
            if i + 8 < n { lifestyle_prefetch_write(stats.base + Int(terms[i + 8])) }
            count(Int(terms[i]))
        }
        pending.removeAll()
    }

    @inline(__always)
    func count(_ t: Int) {
        let s = stats.base + t
        s.pointee.total &+= 1
        if s.pointee.lastDoc != documents {
            s.pointee.lastDoc = documents
            s.pointee.df &+= 1
            if keepDocuments {
                s.pointee.slot = Int32(truncatingIfNeeded: docEntries.count - docStart[Int(documents)])
                docEntries.append(UInt64(t) << 32 | 1)
            }
        } else if keepDocuments {
            docEntries[docStart[Int(documents)] + Int(s.pointee.slot)] &+= 1
        }
    }

    /// All n-grams of one size at once: unigrams straight through the BMP index, bigrams and
    /// trigrams (exactly packed keys) into the document's pending batch.
    @inline(__always)
    func addNGrams(_ text: UnsafeBufferPointer<UInt32>, size n: Int) {
        guard n >= 1, text.count >= n, let base = text.baseAddress else { return }
        let count = text.count - n + 1
        if bucketMask != nil || n > 3 {
            for p in 0..<count { add(UnsafeBufferPointer(start: base + p, count: n), key: TokenKey(base + p, count: n)) }
            return
        }
        tokens &+= count
        if n == 1 {
            for p in 0..<count {
                let c = base[p]
                if c < 0x10000 {
                    var b = bmp[Int(c) + 1]
                    if b < 0 {
                        b = Int32(insert(UnsafeBufferPointer(start: base + p, count: 1), key: .unigram(c)))
                        bmp[Int(c) + 1] = b
                    }
                    self.count(Int(b))
                } else {
                    tokens &-= 1
                    add(UnsafeBufferPointer(start: base + p, count: 1), key: .unigram(c))
                }
            }
            return
        }
        pending.reserve(pending.count + count)
        if n == 2 {
            for p in 0..<count { pending.append(TokenKey.bigram(base[p], base[p + 1]).raw) }
        } else {
            for p in 0..<count { pending.append(TokenKey(base + p, count: 3).raw) }
        }
    }

    private func insert(_ scalars: UnsafeBufferPointer<UInt32>, key: TokenKey) -> Int {
        var inserted = false
        let i = Int(table.findOrInsert(key.raw, inserted: &inserted))
        return inserted ? newTerm(scalars, key: key, index: i, before: i) : i
    }

    @inline(never)
    private func newTerm(_ scalars: UnsafeBufferPointer<UInt32>, key: TokenKey, index: Int, before: Int) -> Int {
        stats.append(Stats())
        if key.isPacked {
            nameStart.append(-1)
        } else {
            nameStart.append(Int32(arena.count))
            arena.append(UInt32(scalars.count))
            arena.append(contentsOf: scalars)
        }
        return index
    }
}

/// The sink that feeds a `TermCounter`.
struct CountingSink: TokenSink {
    let counter: TermCounter
    @inline(__always)
    mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey) {
        counter.add(scalars, key: key)
    }

    @inline(__always)
    mutating func ngrams(of text: UnsafeBufferPointer<UInt32>, size n: Int, kind: TokenKind) {
        counter.addNGrams(text, size: n)
    }
}
