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
    public func rawCounts(utf8: UnsafeBufferPointer<UInt8>, documents: [Range<Int>], groupStart: [Int]) -> GroupedCounts {
        var counter = GroupCounter(model: self)
        defer { counter.free() }
        return counter.count(utf8: utf8, documents: documents, groupStart: groupStart)
    }
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

    init(model: TFIDFModel) {
        self.model = model
        sink = KeySink(hashing: model.vocabulary == nil)
        sorter = RowSorter(columns: model.featureCount)
    }

    /// Token keys of one document: the raw key (vocabulary) or the mixed one (hashing).
    struct KeySink: TokenSink {
        let hashing: Bool
        var keys = RawBuffer<UInt64>(capacity: 1024)

        @inline(__always)
        mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey) {
            keys.append(hashing ? key.mixed : key.raw)
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
                packed.reserve(sink.keys.count)
                let keys = sink.keys.base, n = sink.keys.count
                let out = packed.base
                var found = 0
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
        packed.free()
        groupPacked.free()
        ends.free()
    }
}
