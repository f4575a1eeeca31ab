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
            var counter = GroupCounter(model: self, plan: plan, stopColumns: stops.baseAddress!)
            defer { counter.free() }
            return counter.count(utf8: utf8, documents: documents, groupStart: groupStart)
        }
    }

    /// What `rawCounts` precomputes from the model: which columns are stop words, and whether
    /// the tokenizer's Han runs can be counted without splitting them into tokens
    /// (`Tokenizer.chineseRunShortcut`).
    public func countingPlan() -> CountingPlan {
        guard let vocabulary, case .microblog(let tokenizer) = analyzer else {
            return CountingPlan(stopColumns: [0], shortcut: nil)
        }
        var stops = ContiguousArray<UInt64>(repeating: 0, count: vocabulary.count / 64 + 1)
        for (j, key) in vocabulary.keys.enumerated() where tokenizer.isStopKey(key) { stops[j >> 6] |= 1 << UInt64(j & 63) }
        return CountingPlan(stopColumns: stops, shortcut: tokenizer.chineseRunShortcut)
    }
}

/// See `TFIDFModel.countingPlan()`.
public struct CountingPlan: Sendable {
    /// Bit j set: column j's term is a stop word (a vocabulary never holds one unless another
    /// token kind brought it in; the n-grams and words of a Han run must not count it).
    let stopColumns: ContiguousArray<UInt64>
    let shortcut: ChineseRunShortcut?
}

/// The buffers of `rawCounts`, reused from document to document.
struct GroupCounter {
    let model: TFIDFModel
    var workspace = TokenizerWorkspace()
    var sink: KeySink
    var packed = RawBuffer<UInt64>(capacity: 1024)
    var groupPacked = RawBuffer<UInt64>(capacity: 4096)
    var ends = RawBuffer<Int>(capacity: 1024)
    var sorter: RowSorter

    init(model: TFIDFModel, plan: CountingPlan, stopColumns: UnsafePointer<UInt64>) {
        self.model = model
        sink = KeySink(hashing: model.vocabulary == nil)
        if let vocabulary = model.vocabulary, let shortcut = plan.shortcut {
            // The model keeps the vocabulary's storage alive while this counter runs.
            sink.shortcut = vocabulary.unigramColumns.withUnsafeBufferPointer { unigrams in
                HanRunCounter(shortcut: shortcut, lookup: vocabulary.index.lookup, unigrams: unigrams.baseAddress!,
                              stopColumns: stopColumns)
            }
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
        let unigrams: UnsafePointer<Int32>
        let stopColumns: UnsafePointer<UInt64>
        var columns = RawBuffer<UInt64>(capacity: 1024)
        var ends: [Int32] = []
        var segmenterWorkspace = Segmenter.Workspace()

        /// Appends column `c` (as the high half, ready to sort) unless it is -1 or a stop word:
        /// an unconditional store and a conditional advance.
        @inline(__always)
        mutating func push(_ c: Int32) {
            let keep = c >= 0 && stopColumns[Int(c) >> 6] >> UInt64(c & 63) & 1 == 0
            columns.base[columns.count] = UInt64(UInt32(bitPattern: c)) << 32
            columns.resize(columns.count &+ (keep ? 1 : 0))
        }

        mutating func count(_ run: UnsafeBufferPointer<UInt32>) {
            let n = run.count
            guard n > 0, let base = run.baseAddress else { return }
            columns.reserve(columns.count + 2 * n + 1)
            for p in 0..<n {
                let cp = base[p]
                push(cp < 0x10000 ? unigrams[Int(cp)] : lookup.find(TokenKey.unigram(cp).raw))
            }
            if shortcut.ngramMax >= 2 && n >= 2 {
                let ahead = 8
                for p in 0..<min(n - 1, ahead) { lookup.prefetch(TokenKey.bigram(base[p], base[p + 1]).raw) }
                for p in 0..<(n - 1) {
                    if p + ahead < n - 1 { lookup.prefetch(TokenKey.bigram(base[p + ahead], base[p + ahead + 1]).raw) }
                    push(lookup.find(TokenKey.bigram(base[p], base[p + 1]).raw))
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
                    push(lookup.find(TokenKey(base + start, count: end - start).raw))
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
        for g in 0..<(groupStart.count - 1) {
            groupPacked.removeAll()
            for d in groupStart[g] ..< groupStart[g + 1] {
                sink.keys.removeAll()
                model.analyzer.analyze(utf8: UnsafeBufferPointer(rebasing: utf8[documents[d]]), workspace: &workspace, into: &sink)
                // Columns of the document's tokens (high 32 bits), then sorted.
                packed.removeAll()
                let direct = sink.shortcut?.columns.count ?? 0
                packed.reserve(sink.keys.count + direct)
                let keys = sink.keys.base, n = sink.keys.count
                let out = packed.base
                var found = 0
                if let shortcut = sink.shortcut {
                    out.update(from: shortcut.columns.base, count: direct)
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
                        out[found] = UInt64(UInt32(bitPattern: c)) << 32
                        found &+= c >= 0 ? 1 : 0
                    }
                }
                packed.resize(found)
                sorter.sort(packed.base, count: found)
                // Run ends without branches (each entry overwrites its run's end until the next
                // column starts a new run), then the runs: the document's row, and (column,
                // count) entries for its group.
                let p = packed.base
                ends.reserve(found)
                var runs = 0
                for i in 0..<found {
                    let column = p[i] >> 32
                    ends[runs] = i &+ 1
                    runs &+= i &+ 1 == found || p[i &+ 1] >> 32 != column ? 1 : 0
                }
                var previous = 0
                for r in 0..<runs {
                    let end = ends[r], column = p[end &- 1] >> 32
                    docIndices.append(Int32(truncatingIfNeeded: column))
                    docValues.append(Float(end &- previous))
                    groupPacked.append(column << 32 | UInt64(end &- previous))
                    previous = end
                }
                docPointers.append(docIndices.count)
            }
            sorter.sort(groupPacked.base, count: groupPacked.count)
            var i = 0
            let m = groupPacked.count, p = groupPacked.base
            while i < m {
                let column = p[i] >> 32
                var total: UInt64 = 0
                var j = i
                while j < m && p[j] >> 32 == column { total += p[j] & 0xFFFF_FFFF; j += 1 }
                groupIndices.append(Int32(truncatingIfNeeded: column))
                groupValues.append(Float(total))
                i = j
            }
            groupPointers.append(groupIndices.count)
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
        groupPacked.free()
        ends.free()
    }
}
