import CLifestyleShims
import LifestyleCore
import LifestyleText

/// Raw term counts of documents that come in groups (a user's posts): one row per document and
/// one per group, columns ascending, counts as floats.
///
/// The rows are exactly those of the counting twin's `transform` (no idf, no sublinear tf, no
/// norm) and of summing each group's rows, but made in one pass with no per-term state the
/// size of the vocabulary: each document's token keys are buffered, looked up with the table
/// slots prefetched a few keys ahead (the lookups are cache-miss bound), and the columns are
/// radix-sorted and run-length counted. Single-threaded; callers split groups over threads.
public struct GroupedCounts: Sendable {
    /// One row per document, in input order.
    public let documents: CSRMatrix
    /// One row per group: the sum of its documents' rows.
    public let groups: CSRMatrix
}

extension TFIDFModel {
    /// The twin of this model that counts: same analyzer, lexicon and vocabulary, but no idf,
    /// no sublinear tf and no norm, so `transform` gives raw term counts.
    public func countingTwin() throws -> TFIDFModel {
        var c = configuration
        c.useIDF = false
        c.sublinearTF = false
        c.norm = .none
        return try TFIDFModel(configuration: c, analyzerSpec: analyzerSpec, lexicon: lexicon, vocabulary: vocabulary,
                              idf: idf, summary: summary)
    }

    /// Counts `documents`, where group g is documents `groupStart[g] ..< groupStart[g + 1]`.
    public func rawCounts(_ documents: [String], groupStart: [Int]) -> GroupedCounts {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(documents.count)
        for d in documents {
            let start = bytes.count
            bytes.append(contentsOf: d.utf8)
            ranges.append(start ..< bytes.count)
        }
        return bytes.withUnsafeBufferPointer { rawCounts(utf8: $0, documents: ranges, groupStart: groupStart) }
    }

    /// Counts documents given as ranges of UTF-8 `utf8` (invalid sequences read as U+FFFD, as
    /// `String(decoding:as:)` reads them); group g is documents `groupStart[g] ..< groupStart[g + 1]`.
    /// - Parameter plan: `countingPlan()` of this model, made once by a caller that counts many
    ///   batches (made here otherwise).
    public func rawCounts(utf8: UnsafeBufferPointer<UInt8>, documents: [Range<Int>], groupStart: [Int],
                          plan: CountingPlan? = nil) -> GroupedCounts {
        let plan = plan ?? countingPlan()
        return plan.stopColumns.withUnsafeBufferPointer { stops in
            plan.unigrams.withUnsafeBufferPointer { unigrams in
                plan.bigrams.withUnsafeBufferPointer { bigrams in
                    var counter = GroupCounter(model: self, plan: plan, tables: CountingTables(
                        stopColumns: stops.baseAddress!, unigrams: unigrams.baseAddress!, bigrams: bigrams.baseAddress!,
                        bigramShift: plan.bigramShift))
                    defer { counter.free() }
                    return counter.count(utf8: utf8, documents: documents, groupStart: groupStart)
                }
            }
        }
    }

    /// What `rawCounts` precomputes from the model: which columns are stop words, and whether
    /// the tokenizer's Han runs can be counted without splitting them into tokens
    /// (`Tokenizer.chineseRunShortcut`), with compact tables for their unigrams and bigrams.
    public func countingPlan() -> CountingPlan {
        guard let vocabulary, case .microblog(let tokenizer) = analyzer else {
            return CountingPlan(stopColumns: [0], unigrams: [-1], bigrams: [0], bigramShift: 63, shortcut: nil)
        }
        var stops = ContiguousArray<UInt64>(repeating: 0, count: vocabulary.count / 64 + 1)
        var unigrams = ContiguousArray<Int32>(repeating: -1, count: Vocabulary.unigramLimit)
        var bigramKeys: [(UInt64, Int)] = []
        for (j, key) in vocabulary.keys.enumerated() {
            if tokenizer.isStopKey(key) {
                stops[j >> 6] |= 1 << UInt64(j & 63)
                continue
            }
            if key >= 1 && key <= UInt64(Vocabulary.unigramLimit) { unigrams[Int(key - 1)] = Int32(j) }
            if key >> 21 != 0 && key >> 42 == 0 && key & 0x1F_FFFF != 0 { bigramKeys.append((key, j)) }
        }
        // Bigrams (two packed code points, 42 bits) with their column in the top 22 bits: one
        // 8-byte slot per probe, at most half full.
        var bits = 4
        while (1 << bits) < 2 * bigramKeys.count { bits += 1 }
        let shift = UInt64(64 - bits)
        var table = ContiguousArray<UInt64>(repeating: 0, count: 1 << bits)
        for (key, j) in bigramKeys where j < 1 << 22 {
            var slot = CountingTables.slot(key, shift: shift)
            while table[slot] != 0 { slot = (slot + 1) & ((1 << bits) - 1) }
            table[slot] = key | UInt64(j) << 42
        }
        return CountingPlan(stopColumns: stops, unigrams: unigrams, bigrams: table, bigramShift: shift,
                            shortcut: vocabulary.count < 1 << 22 ? tokenizer.chineseRunShortcut : nil)
    }
}

/// Pointers into a `CountingPlan`'s tables for the duration of a count.
struct CountingTables {
    let stopColumns: UnsafePointer<UInt64>
    /// The column of each Basic Multilingual Plane character as a unigram, -1 when it is no term
    /// or a stop word.
    let unigrams: UnsafePointer<Int32>
    let bigrams: UnsafePointer<UInt64>
    let bigramShift: UInt64

    @inline(__always)
    static func slot(_ key: UInt64, shift: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    @inline(__always)
    func isStop(_ c: Int32) -> Bool { stopColumns[Int(c) >> 6] >> UInt64(c & 63) & 1 != 0 }

    /// The column of a bigram key that is a term and no stop word, else -1.
    @inline(__always)
    func bigram(_ key: UInt64) -> Int32 {
        let mask = (1 << (64 - Int(bigramShift))) - 1
        var slot = Self.slot(key, shift: bigramShift)
        while true {
            let e = bigrams[slot]
            if e & 0x3FF_FFFF_FFFF == key { return Int32(truncatingIfNeeded: e >> 42) }
            if e == 0 { return -1 }
            slot = (slot &+ 1) & mask
        }
    }

    @inline(__always)
    func prefetchBigram(_ key: UInt64) { lifestyle_prefetch(bigrams + Self.slot(key, shift: bigramShift)) }
}

/// See `TFIDFModel.countingPlan()`.
public struct CountingPlan: Sendable {
    /// Bit j set: column j's term is a stop word (a vocabulary never holds one unless another
    /// token kind brought it in; the n-grams and words of a Han run must not count it).
    let stopColumns: ContiguousArray<UInt64>
    let unigrams: ContiguousArray<Int32>
    let bigrams: ContiguousArray<UInt64>
    let bigramShift: UInt64
    let shortcut: ChineseRunShortcut?
}

/// The buffers of `rawCounts`, reused from document to document.
struct GroupCounter {
    let model: TFIDFModel
    var workspace = TokenizerWorkspace()
    var sink: KeySink
    var packed = RawBuffer<UInt64>(capacity: 1024)
    var ends = RawBuffer<Int>(capacity: 1024)
    var sorter: RowSorter

    init(model: TFIDFModel, plan: CountingPlan, tables: CountingTables) {
        self.model = model
        sink = KeySink(hashing: model.vocabulary == nil)
        if let vocabulary = model.vocabulary, let shortcut = plan.shortcut {
            sink.shortcut = HanRunCounter(shortcut: shortcut, lookup: vocabulary.index.lookup, tables: tables)
        }
        sorter = RowSorter(columns: model.featureCount)
    }

    /// Token keys of one document: the raw key (vocabulary) or the mixed one (hashing); and the
    /// columns of its Han runs when they are counted whole.
    struct KeySink: TokenSink {
        let hashing: Bool
        var keys = RawBuffer<UInt64>(capacity: 1024)
        var shortcut: HanRunCounter?

        init(hashing: Bool) { self.hashing = hashing }

        @inline(__always)
        mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey) {
            keys.append(hashing ? key.mixed : key.raw)
        }

        @inline(__always)
        mutating func hanRun(_ run: UnsafeBufferPointer<UInt32>, tokenizer: Tokenizer) -> Bool {
            guard shortcut != nil else { return false }
            shortcut!.count(run)
            return true
        }
    }

    /// Counts a Han run's tokens straight into columns (`Tokenizer.chineseRunShortcut`): every
    /// unigram and bigram, then the words longer than that when the run may hold one. The same
    /// columns as tokenizing the run and looking its keys up.
    struct HanRunCounter {
        let shortcut: ChineseRunShortcut
        let lookup: TermTable.Lookup
        let tables: CountingTables
        var columns = RawBuffer<UInt64>(capacity: 1024)
        var ends: [Int32] = []
        var segmenterWorkspace = Segmenter.Workspace()

        /// Appends column `c` (as the high half, ready to sort) unless it is -1: an
        /// unconditional store and a conditional advance.
        @inline(__always)
        mutating func push(_ c: Int32) {
            columns.base[columns.count] = UInt64(UInt32(bitPattern: c)) << 32
            columns.resize(columns.count &+ (c >= 0 ? 1 : 0))
        }

        /// A column from the full vocabulary table, -1 for a stop word.
        @inline(__always)
        func termColumn(_ key: UInt64) -> Int32 {
            let c = lookup.find(key)
            return c >= 0 && tables.isStop(c) ? -1 : c
        }

        mutating func count(_ run: UnsafeBufferPointer<UInt32>) {
            let n = run.count
            guard n > 0, let base = run.baseAddress else { return }
            columns.reserve(columns.count + 2 * n + 1)
            for p in 0..<n {
                let cp = base[p]
                push(cp < 0x10000 ? tables.unigrams[Int(cp)] : termColumn(TokenKey.unigram(cp).raw))
            }
            if shortcut.ngramMax >= 2 && n >= 2 {
                let ahead = 8
                for p in 0..<min(n - 1, ahead) { tables.prefetchBigram(TokenKey.bigram(base[p], base[p + 1]).raw) }
                for p in 0..<(n - 1) {
                    if p + ahead < n - 1 { tables.prefetchBigram(TokenKey.bigram(base[p + ahead], base[p + ahead + 1]).raw) }
                    push(tables.bigram(TokenKey.bigram(base[p], base[p + 1]).raw))
                }
            }
            guard shortcut.mayHoldLongWords(run) else { return }
            ends.removeAll(keepingCapacity: true)
            shortcut.segmenter.segment(run, into: &ends, workspace: &segmenterWorkspace)
            var start = 0
            for e in ends {
                let end = Int(e)
                if end - start > shortcut.ngramMax {
                    columns.reserve(columns.count + 1)
                    push(termColumn(TokenKey(base + start, count: end - start).raw))
                }
                start = end
            }
        }
    }

    mutating func count(utf8: UnsafeBufferPointer<UInt8>, documents: [Range<Int>], groupStart: [Int]) -> GroupedCounts {
        precondition(groupStart.first == 0 && groupStart.last == documents.count, "groupStart must run from 0 to the number of documents")
        var docPointers = ContiguousArray<Int>([0]), docIndices = ContiguousArray<Int32>(), docValues = ContiguousArray<Float>()
        var groupPointers = ContiguousArray<Int>([0]), groupIndices = ContiguousArray<Int32>(), groupValues = ContiguousArray<Float>()
        docPointers.reserveCapacity(documents.count + 1)
        groupPointers.reserveCapacity(groupStart.count)
        // The vocabulary's table (the model keeps it alive); nil in hashing mode.
        let lookup = model.vocabulary.map { $0.index.lookup }
        let unigramLimit = UInt64(Vocabulary.unigramLimit)
        let unigramStorage = model.vocabulary?.unigramColumns ?? []
        let mask = UInt64(max(1, model.featureCount) - 1)
        var placed = ContiguousArray<Int>()
        for g in 0..<(groupStart.count - 1) {
            // Every token of the group's documents as (column << 32 | document within the group),
            // sorted once by column (stably, so documents stay in order within a column): runs of
            // one value are a document's count of a column, runs of one column the group's.
            let firstDocument = groupStart[g], documentCount = groupStart[g + 1] - firstDocument
            packed.removeAll()
            for d in firstDocument ..< groupStart[g + 1] {
                let q = UInt64(d - firstDocument)
                sink.keys.removeAll()
                model.analyzer.analyze(utf8: UnsafeBufferPointer(rebasing: utf8[documents[d]]), workspace: &workspace, into: &sink)
                let direct = sink.shortcut?.columns.count ?? 0
                let keys = sink.keys.base, n = sink.keys.count
                packed.reserve(packed.count + n + direct)
                let out = packed.base + packed.count
                var found = 0
                if let shortcut = sink.shortcut {
                    let columns = shortcut.columns.base
                    for i in 0..<direct { out[i] = columns[i] | q }
                    found = direct
                    sink.shortcut!.columns.removeAll()
                }
                unigramStorage.withUnsafeBufferPointer { unigrams in
                    // Prefetch a long way ahead: a key costs a few nanoseconds, a miss ~100.
                    let ahead = 32
                    if let lookup { for i in 0..<min(n, ahead) where keys[i] > unigramLimit { lookup.prefetch(keys[i]) } }
                    for i in 0..<n {
                        let key = keys[i]
                        let c: Int32
                        if let lookup {
                            if i + ahead < n, keys[i + ahead] > unigramLimit { lookup.prefetch(keys[i + ahead]) }
                            c = key >= 1 && key <= unigramLimit ? unigrams[Int(key &- 1)] : lookup.find(key)
                        } else {
                            c = Int32(truncatingIfNeeded: key & mask)
                        }
                        // Unconditional store, conditional advance: whether a token is in the
                        // vocabulary is a coin toss a branch would keep mispredicting.
                        out[found] = UInt64(UInt32(bitPattern: c)) << 32 | q
                        found &+= c >= 0 ? 1 : 0
                    }
                }
                packed.resize(packed.count + found)
            }
            let m = packed.count, p = packed.base
            sorter.sort(p, count: m)
            // Runs without branches: each entry overwrites its run's end until the next value
            // starts a new run.
            ends.reserve(m)
            var runs = 0
            for i in 0..<m {
                ends[runs] = i &+ 1
                runs &+= i &+ 1 == m || p[i &+ 1] != p[i] ? 1 : 0
            }
            // The group's row (columns ascending), and each run's place among its document's
            // entries (a counting sort by document keeps the columns ascending within each).
            placed.removeAll(keepingCapacity: true)
            placed.append(contentsOf: repeatElement(0, count: documentCount + 1))
            var previous = 0
            var total = 0
            for r in 0..<runs {
                let end = ends[r], value = p[end &- 1]
                total &+= end &- previous
                placed[Int(value & 0xFFFF_FFFF) + 1] += 1
                if r &+ 1 == runs || p[ends[r &+ 1] &- 1] >> 32 != value >> 32 {
                    groupIndices.append(Int32(truncatingIfNeeded: value >> 32))
                    groupValues.append(Float(total))
                    total = 0
                }
                previous = end
            }
            groupPointers.append(groupIndices.count)
            for q in 0..<documentCount { placed[q + 1] += placed[q] }
            let base = docIndices.count
            docIndices.append(contentsOf: repeatElement(0, count: runs))
            docValues.append(contentsOf: repeatElement(0, count: runs))
            docIndices.withUnsafeMutableBufferPointer { indices in
                docValues.withUnsafeMutableBufferPointer { values in
                    previous = 0
                    for r in 0..<runs {
                        let end = ends[r], value = p[end &- 1]
                        let q = Int(value & 0xFFFF_FFFF)
                        let slot = base + placed[q]
                        placed[q] += 1
                        indices[slot] = Int32(truncatingIfNeeded: value >> 32)
                        values[slot] = Float(end &- previous)
                        previous = end
                    }
                }
            }
            // After placing, placed[q] is where document q's entries end.
            for q in 0..<documentCount { docPointers.append(base + placed[q]) }
        }
        let columns = model.featureCount
        return GroupedCounts(
            documents: CSRMatrix(rows: documents.count, columns: columns, rowPointers: docPointers,
                                 columnIndices: docIndices, values: docValues),
            groups: CSRMatrix(rows: groupStart.count - 1, columns: columns, rowPointers: groupPointers,
                              columnIndices: groupIndices, values: groupValues))
    }

    func free() {
        sink.keys.free()
        sink.shortcut?.columns.free()
        packed.free()
        ends.free()
    }
}
