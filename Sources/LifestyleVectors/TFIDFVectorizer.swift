import LifestyleCore
import LifestyleText

/// Learns a vocabulary and idf from documents (`fit`), and vectorises (`fitTransform`).
///
/// ```swift
/// let (model, matrix) = try TFIDFVectorizer(config, analyzer: .microblog(TokenizerConfiguration()))
///     .fitTransform(documents)
/// ```
/// Documents are tokenized once, in parallel chunks with thread-local tables merged in chunk order,
/// so the vocabulary, idf and matrix are identical for any thread count.
public struct TFIDFVectorizer: Sendable {
    public let configuration: VectorizerConfiguration
    public let analyzerSpec: AnalyzerSpec
    public let lexicon: Lexicon?
    let analyzer: Analyzer

    public init(_ configuration: VectorizerConfiguration = VectorizerConfiguration(), analyzer: AnalyzerSpec, lexicon: Lexicon? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        self.analyzerSpec = analyzer
        self.lexicon = lexicon
        self.analyzer = try analyzer.makeAnalyzer(lexicon: lexicon)
    }

    /// Fits on `documents` and returns the model with their TF-IDF matrix (one pass of tokenizing).
    /// - Parameter progress: called now and then with the number of documents tokenized so far
    ///   (from worker threads; keep it cheap and thread-safe, like `ProgressBar.update`).
    public func fitTransform(_ documents: [String], progress: (@Sendable (Int) -> Void)? = nil) throws -> (TFIDFModel, CSRMatrix) {
        var clock = StageClock()
        let chunks = balancedChunks(documents, threads: configuration.threads)
        let counters = count(documents, chunks: chunks, keepDocuments: true, progress: progress)
        clock.lap("tokenize+count")
        let merged = MergedCounts(hashingBits: configuration.hashingBits)
        // The last chunk's first-seen terms have their final df: below min_df, they need no storing.
        let documentCount = counters.reduce(0) { $0 + Int($1.documents) }
        let minimum = configuration.hashingBits == nil ? configuration.minDF.documents(of: documentCount) : nil
        for (i, c) in counters.enumerated() {
            merged.merge(c, threads: configuration.threads, finalMinimum: i == counters.count - 1 ? minimum : nil)
        }
        clock.lap("merge")
        let model = try makeModel(merged)
        clock.lap("vocabulary")
        let matrix = rows(of: counters, merged: merged, model: model)
        clock.lap("rows")
        clock.report("fitTransform")
        return (model, matrix)
    }

    /// Turns every chunk's stored (term, count) lists into weighted, sorted, normalised CSR rows
    /// (weights as in `TFIDFModel.weight`),
    /// written straight into the final arrays (each chunk knows its offset after a counting pass).
    func rows(of counters: [TermCounter], merged: MergedCounts, model: TFIDFModel) -> CSRMatrix {
        let columnOfGlobal = merged.columnOfGlobal
        let remaps = merged.remaps
        let hashing = configuration.hashingBits != nil
        // Pass 1 (parallel): per chunk, local term → (column, idf) packed in one word
        // (column in the high half, -1 when dropped), and the number of kept entries.
        let prepared = parallelMap(Array(counters.indices), threads: configuration.threads) { ci -> (ContiguousArray<UInt64>, Int) in
            let c = counters[ci]
            var local = ContiguousArray<UInt64>(repeating: 0, count: c.termCount)
            for t in 0..<c.termCount {
                let g = hashing ? t : Int(remaps[ci][t])
                let col = hashing ? Int32(t) : (g < 0 ? -1 : columnOfGlobal[g])
                let idf = col >= 0 ? model.idf[Int(col)] : 0
                local[t] = UInt64(UInt32(bitPattern: col)) << 32 | UInt64(idf.bitPattern)
            }
            // Each (document, term) entry is one unit of the term's local df.
            var kept = 0
            for t in 0..<c.termCount where Int32(truncatingIfNeeded: local[t] >> 32) >= 0 { kept += Int(c.stats[t].df) }
            return (local, kept)
        }
        let sublinear = configuration.sublinearTF, useIDF = configuration.useIDF
        let nnz = prepared.reduce(0) { $0 + $1.1 }
        let rowCount = counters.reduce(0) { $0 + Int($1.documents) }
        var entryOffsets = [0], rowOffsets = [0]
        for (i, c) in counters.enumerated() {
            entryOffsets.append(entryOffsets[i] + prepared[i].1)
            rowOffsets.append(rowOffsets[i] + Int(c.documents))
        }
        let entryStart = entryOffsets, rowStart = rowOffsets
        var values = ContiguousArray<Float>()
        var pointers = ContiguousArray<Int>()
        let indices = ContiguousArray<Int32>(unsafeUninitializedCapacity: nnz) { indexBuffer, indexCount in
            values = ContiguousArray<Float>(unsafeUninitializedCapacity: nnz) { valueBuffer, valueCount in
                pointers = ContiguousArray<Int>(unsafeUninitializedCapacity: rowCount + 1) { pointerBuffer, pointerCount in
                    pointerBuffer[0] = 0
                    let out = CSRWriter(pointers: pointerBuffer.baseAddress!, indices: indexBuffer.baseAddress, values: valueBuffer.baseAddress)
                    // Pass 2 (parallel): weights, sort by column, normalise, write in place.
                    _ = parallelMap(Array(counters.indices), threads: configuration.threads) { ci -> Bool in
                        let c = counters[ci]
                        var sorter = RowSorter(columns: model.featureCount)
                        var longest = 0
                        for d in 0..<Int(c.documents) { longest = max(longest, c.docStart[d + 1] - c.docStart[d]) }
                        let packed = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, longest))
                        defer { packed.deallocate() }
                        var position = entryStart[ci]
                        // Raw pointers throughout: this loop runs once per stored entry.
                        prepared[ci].0.withUnsafeBufferPointer { local in
                            sublinearTable.withUnsafeBufferPointer { logTable in
                                let entries = c.docEntries.base
                                for d in 0..<Int(c.documents) {
                                    var n = 0
                                    var sumSquares = 0.0, sumAbs = 0.0
                                    for k in c.docStart[d]..<c.docStart[d + 1] {
                                        let e = entries[k]
                                        let info = local[Int(truncatingIfNeeded: e >> 32)]
                                        let col = Int32(truncatingIfNeeded: info >> 32)
                                        guard col >= 0 else { continue }
                                        let count = Int32(truncatingIfNeeded: e)
                                        let tf = sublinear ? (count < 64 ? logTable[Int(count)] : 1 + log(Double(count))) : Double(count)
                                        let w = useIDF ? tf * Double(Float(bitPattern: UInt32(truncatingIfNeeded: info))) : tf
                                        sumSquares += w * w
                                        sumAbs += w
                                        packed[n] = UInt64(UInt32(bitPattern: col)) << 32 | UInt64(Float(w).bitPattern)
                                        n &+= 1
                                    }
                                    sorter.sort(packed, count: n)
                                    let scale = model.configuration.norm.scale(sumSquares: sumSquares, sumAbs: sumAbs)
                                    let indices = out.indices!, values = out.values!
                                    for i in 0..<n {
                                        let p = packed[i]
                                        indices[position &+ i] = Int32(truncatingIfNeeded: p >> 32)
                                        values[position &+ i] = Float(Double(Float(bitPattern: UInt32(truncatingIfNeeded: p))) * scale)
                                    }
                                    position &+= n
                                    out.pointers[rowStart[ci] + d + 1] = position
                                }
                            }
                        }
                        return true
                    }
                    pointerCount = rowCount + 1
                }
                valueCount = nnz
            }
            indexCount = nnz
        }
        return CSRMatrix(rows: rowCount, columns: model.featureCount, rowPointers: pointers, columnIndices: indices, values: values)
    }

    /// Fits on a stream of documents in batches without keeping them (bounded memory: the term
    /// table is pruned of its rarest terms whenever it exceeds `maxTermsInMemory`).
    public func fit<S: Sequence>(_ documents: S, batchSize: Int = 16_384, progress: ((Int) -> Void)? = nil) throws -> TFIDFModel where S.Element == String {
        let merged = MergedCounts(hashingBits: configuration.hashingBits)
        var batch: [String] = []
        batch.reserveCapacity(batchSize)
        var seen = 0
        func flush() {
            let chunks = balancedChunks(batch, threads: configuration.threads)
            for c in count(batch, chunks: chunks, keepDocuments: false) { merged.merge(c) }
            merged.remaps.removeAll()
            if merged.termCount > configuration.maxTermsInMemory { merged.prune(toAtMost: configuration.maxTermsInMemory / 2) }
            seen += batch.count
            progress?(seen)
            batch.removeAll(keepingCapacity: true)
        }
        for d in documents {
            batch.append(d)
            if batch.count == batchSize { flush() }
        }
        if !batch.isEmpty { flush() }
        return try makeModel(merged)
    }

    /// Tokenizes each chunk on its own thread into its own counter.
    func count(_ documents: [String], chunks: [Range<Int>], keepDocuments: Bool, progress: (@Sendable (Int) -> Void)? = nil) -> [TermCounter] {
        let done = ProgressCounter()
        return parallelMap(chunks, threads: configuration.threads) { range -> TermCounter in
            // Distinct terms grow sublinearly with text; a rough first size saves most rehashing.
            // Document entries are at most the tokens (two per character for Chinese bigrams,
            // about one per UTF-8 byte): reserving that is address space, touched only as used.
            let bytes = range.reduce(0) { $0 + documents[$1].utf8.count }
            let counter = TermCounter(keepDocuments: keepDocuments, hashingBits: configuration.hashingBits,
                                      expectedTerms: min(1 << 22, max(1 << 12, bytes / 8)),
                                      expectedEntries: keepDocuments ? bytes : 0)
            var ws = TokenizerWorkspace()
            var sink = CountingSink(counter: counter)
            for d in range {
                var text = documents[d]
                text.withUTF8 { analyzer.analyze(utf8: $0, workspace: &ws, into: &sink) }
                counter.endDocument()
                if let progress, (d - range.lowerBound) & 1023 == 1023 { progress(done.add(1024)) }
            }
            counter.normalization = ws.counts
            return counter
        }
    }

    /// Applies min_df / max_df / max_features, orders the vocabulary and computes idf.
    func makeModel(_ merged: MergedCounts) throws -> TFIDFModel {
        var summary = FitSummary()
        summary.documents = merged.documents
        summary.tokens = merged.tokens
        summary.distinctTerms = merged.termCount + merged.pruned + merged.droppedOnMerge
        summary.droppedBelowMinDF = merged.droppedOnMerge
        summary.prunedWhileStreaming = merged.pruned
        summary.normalization = merged.normalization
        let n = merged.documents
        guard n > 0 else { throw InputError(reason: "no documents to fit on") }
        var idf = ContiguousArray<Float>()
        let configuration = self.configuration
        @Sendable func idfValue(_ df: Int32) -> Float {
            guard configuration.useIDF else { return 1 }
            let d = Double(df), nd = Double(n)
            // log+1 keeps terms that occur in every document from vanishing (scikit-learn's convention).
            return Float(configuration.smoothIDF ? log((1 + nd) / (1 + d)) + 1 : log(nd / max(d, 1)) + 1)
        }
        if configuration.hashingBits != nil {
            idf = ContiguousArray(merged.df.buffer.map(idfValue))
            summary.keptTerms = merged.df.count
            merged.columnOfGlobal = ContiguousArray(0..<Int32(merged.df.count))
            return try TFIDFModel(configuration: configuration, analyzerSpec: analyzerSpec, lexicon: lexicon,
                                  vocabulary: nil, idf: idf, summary: summary)
        }
        let minDocs = configuration.minDF.documents(of: n)
        let maxDocs = configuration.maxDF.documents(of: n)
        if maxDocs < minDocs { throw ConfigurationError("maxDF=\(configuration.maxDF) corresponds to fewer documents than minDF=\(configuration.minDF)") }
        var clock = StageClock()
        var kept: [Int] = []
        for t in 0..<merged.termCount {
            let d = Double(merged.df[t])
            if d < minDocs { summary.droppedBelowMinDF += 1 } else if d > maxDocs { summary.droppedAboveMaxDF += 1 } else { kept.append(t) }
        }
        // Code-point order (Python's str order) through a 63-bit key holding the first three code
        // points; only terms longer than three code points can tie and need a full comparison.
        func precedes(_ a: Int, _ b: Int) -> Bool {
            let ka = merged.orderKey(of: a), kb = merged.orderKey(of: b)
            if ka != kb { return ka < kb }
            return merged.scalars(of: a).lexicographicallyPrecedes(merged.scalars(of: b))
        }
        var selected: [Int]
        if let limit = configuration.maxFeatures, kept.count > limit {
            // Most frequent terms first; ties in code-point order so the cut is deterministic.
            kept.sort {
                let a = merged.total[$0], b = merged.total[$1]
                return a != b ? a > b : precedes($0, $1)
            }
            summary.droppedByMaxFeatures = kept.count - limit
            kept = Array(kept.prefix(limit))
        }
        guard !kept.isEmpty else {
            throw ConfigurationError("after pruning no terms remain (minDF=\(configuration.minDF), maxDF=\(configuration.maxDF), \(n) documents); lower minDF or raise maxDF")
        }
        selected = codePointOrder(kept, merged: merged, precedes: precedes)
        clock.lap("filter+sort")
        var columnOfGlobal = ContiguousArray<Int32>(repeating: -1, count: merged.termCount)
        for (col, g) in selected.enumerated() { columnOfGlobal[g] = Int32(col) }
        // Keys first; then, side by side, the key index and the term code points with their idf.
        var keys = ContiguousArray<UInt64>()
        keys.reserveCapacity(selected.count)
        for g in selected { keys.append(merged.table.keyOf[g]) }
        let keyList = keys
        let idfCache = (0..<1024).map { idfValue(Int32($0)) }
        let order = selected
        let built = parallelMap([0, 1], threads: configuration.threads) { task -> VocabularyPart in
            if task == 0 { return .index(Vocabulary.index(of: keyList)) }
            var arena = ContiguousArray<UInt32>()
            var offsets = ContiguousArray<Int32>([0])
            var idf = ContiguousArray<Float>()
            arena.reserveCapacity(order.count * 2)
            offsets.reserveCapacity(order.count + 1)
            idf.reserveCapacity(order.count)
            for g in order {
                merged.appendScalars(of: g, to: &arena)
                offsets.append(Int32(arena.count))
                let df = merged.df[g]
                idf.append(df < 1024 ? idfCache[Int(df)] : idfValue(df))
            }
            return .names(arena, offsets, idf)
        }
        guard case .index(let index) = built[0], case .names(let arena, let offsets, let idfs) = built[1] else {
            preconditionFailure("vocabulary parts out of order")
        }
        idf = idfs
        merged.columnOfGlobal = columnOfGlobal
        summary.keptTerms = keys.count
        clock.lap("names+index")
        let vocabulary = Vocabulary(arena: arena, offsets: offsets, keys: keys, index: index)
        clock.lap("index")
        let model = try TFIDFModel(configuration: configuration, analyzerSpec: analyzerSpec, lexicon: lexicon,
                                   vocabulary: vocabulary, idf: idf, summary: summary)
        clock.lap("model")
        clock.report("vocabulary")
        return model
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// One contiguous chunk per thread, balanced by UTF-8 length rather than document count.
func balancedChunks(_ documents: [String], threads: Int) -> [Range<Int>] {
    guard !documents.isEmpty else { return [] }
    let parts = max(1, min(threads, documents.count))
    if parts == 1 { return [0..<documents.count] }
    let total = documents.reduce(0) { $0 + $1.utf8.count }
    var ranges: [Range<Int>] = []
    var start = 0, acc = 0
    for (i, d) in documents.enumerated() {
        acc += d.utf8.count
        if ranges.count < parts - 1 && acc * parts >= total * (ranges.count + 1) {
            ranges.append(start..<(i + 1))
            start = i + 1
        }
    }
    if start < documents.count { ranges.append(start..<documents.count) }
    return ranges
}

/// Stage timings, printed to standard error when LIFESTYLE_TRACE is set.
struct StageClock {
    private var last = monotonicSeconds()
    private var laps: [(String, Double)] = []
    static let enabled = getenv("LIFESTYLE_TRACE") != nil

    mutating func lap(_ name: String) {
        guard StageClock.enabled else { return }
        let now = monotonicSeconds()
        laps.append((name, now - last))
        last = now
    }

    func report(_ what: String) {
        guard StageClock.enabled else { return }
        writeStandardError("\(what): " + laps.map { "\($0.0) \(Int($0.1 * 1000)) ms" }.joined(separator: ", ") + "\n")
    }
}

/// A shared counter for progress reports from worker threads.
final class ProgressCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLockLite()
    func add(_ n: Int) -> Int { lock.withLock { value += n; return value } }
}

/// Global term indices in code-point order. Terms of up to three code points (almost all of them)
/// are ordered by radix-sorting their order keys (carrying the index along); longer terms are
/// sorted with a full comparison and merged in.
func codePointOrder(_ terms: [Int], merged: MergedCounts, precedes: (Int, Int) -> Bool) -> [Int] {
    var short: [UInt64] = []
    var shortIndex: [UInt32] = []
    var long: [Int] = []
    short.reserveCapacity(terms.count)
    shortIndex.reserveCapacity(terms.count)
    for g in terms {
        if merged.nameStart[g] < 0 {
            short.append(merged.orderKey(of: g))
            shortIndex.append(UInt32(g))
        } else {
            long.append(g)
        }
    }
    radixSort(&short, carrying: &shortIndex)
    long.sort(by: precedes)
    var out: [Int] = []
    out.reserveCapacity(terms.count)
    var j = 0
    for g32 in shortIndex {
        let g = Int(g32)
        while j < long.count && precedes(long[j], g) {
            out.append(long[j])
            j += 1
        }
        out.append(g)
    }
    out.append(contentsOf: long[j...])
    return out
}

/// LSD radix sort of 64-bit keys, 16 bits a pass (a digit that is the same in every key is
/// skipped), moving `payload[i]` along with `keys[i]`.
/// - Complexity: O(4 · (n + 65536)).
func radixSort(_ keys: inout [UInt64], carrying payload: inout [UInt32]) {
    let n = keys.count
    precondition(payload.count == n)
    guard n > 1 else { return }
    var scratch = [UInt64](repeating: 0, count: n)
    var scratchPayload = [UInt32](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: 1 << 16)
    for pass in 0..<4 {
        let shift = UInt64(pass * 16)
        for i in counts.indices { counts[i] = 0 }
        keys.withUnsafeBufferPointer { k in
            for v in k { counts[Int((v >> shift) & 0xFFFF)] += 1 }
        }
        if counts[Int((keys[0] >> shift) & 0xFFFF)] == n { continue }
        var sum = 0
        for i in counts.indices {
            let c = counts[i]
            counts[i] = sum
            sum += c
        }
        keys.withUnsafeBufferPointer { k in
            payload.withUnsafeBufferPointer { p in
                scratch.withUnsafeMutableBufferPointer { out in
                    scratchPayload.withUnsafeMutableBufferPointer { outPayload in
                        counts.withUnsafeMutableBufferPointer { c in
                            for i in 0..<n {
                                let v = k[i]
                                let d = Int((v >> shift) & 0xFFFF)
                                out[c[d]] = v
                                outPayload[c[d]] = p[i]
                                c[d] += 1
                            }
                        }
                    }
                }
            }
        }
        swap(&keys, &scratch)
        swap(&payload, &scratchPayload)
    }
}

/// The two halves of building a vocabulary, made in parallel.
enum VocabularyPart: @unchecked Sendable {
    case index(TermTable)
    case names(ContiguousArray<UInt32>, ContiguousArray<Int32>, ContiguousArray<Float>)
}
