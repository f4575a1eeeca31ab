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
    public func fitTransform(_ documents: [String]) throws -> (TFIDFModel, CSRMatrix) {
        let chunks = balancedChunks(documents, threads: configuration.threads)
        let counters = count(documents, chunks: chunks, keepDocuments: true)
        let merged = MergedCounts(hashingBits: configuration.hashingBits)
        for c in counters { merged.merge(c) }
        let model = try makeModel(merged)
        let columnOfGlobal = merged.columnOfGlobal
        let remaps = merged.remaps
        let blocks = parallelMap(Array(counters.indices), threads: configuration.threads) { ci -> CSRMatrix in
            let counter = counters[ci]
            let remap = remaps[ci]
            var packed = ContiguousArray<UInt64>()
            var cols = ContiguousArray<Int32>()
            var cnts = ContiguousArray<Int32>()
            var pointers = ContiguousArray<Int>([0])
            var indices = ContiguousArray<Int32>()
            var values = ContiguousArray<Float>()
            indices.reserveCapacity(counter.docEntries.count)
            values.reserveCapacity(counter.docEntries.count)
            for d in 0..<Int(counter.documents) {
                cols.removeAll(keepingCapacity: true)
                cnts.removeAll(keepingCapacity: true)
                for k in counter.docStart[d]..<counter.docStart[d + 1] {
                    let e = counter.docEntries[k]
                    let col = columnOfGlobal[Int(remap[Int(e >> 32)])]
                    if col >= 0 {
                        cols.append(col)
                        cnts.append(Int32(truncatingIfNeeded: e))
                    }
                }
                appendRow(columns: cols, counts: cnts, model: model, packed: &packed, indices: &indices, values: &values)
                pointers.append(indices.count)
            }
            return CSRMatrix(rows: pointers.count - 1, columns: model.featureCount, rowPointers: pointers, columnIndices: indices, values: values)
        }
        return (model, CSRMatrix.stacking(blocks, columns: model.featureCount))
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
    func count(_ documents: [String], chunks: [Range<Int>], keepDocuments: Bool) -> [TermCounter] {
        parallelMap(chunks, threads: configuration.threads) { range -> TermCounter in
            let counter = TermCounter(keepDocuments: keepDocuments, hashingBits: configuration.hashingBits)
            var ws = TokenizerWorkspace()
            var sink = CountingSink(counter: counter)
            for d in range {
                var text = documents[d]
                text.withUTF8 { analyzer.analyze(utf8: $0, workspace: &ws, into: &sink) }
                counter.endDocument()
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
        summary.distinctTerms = merged.termCount + merged.pruned
        summary.prunedWhileStreaming = merged.pruned
        summary.normalization = merged.normalization
        let n = merged.documents
        guard n > 0 else { throw InputError(reason: "no documents to fit on") }
        var idf = ContiguousArray<Float>()
        func idfValue(_ df: Int32) -> Float {
            guard configuration.useIDF else { return 1 }
            let d = Double(df), nd = Double(n)
            // log+1 keeps terms that occur in every document from vanishing (scikit-learn's convention).
            return Float(configuration.smoothIDF ? log((1 + nd) / (1 + d)) + 1 : log(nd / max(d, 1)) + 1)
        }
        if configuration.hashingBits != nil {
            idf = ContiguousArray(merged.df.map(idfValue))
            summary.keptTerms = merged.df.count
            merged.columnOfGlobal = ContiguousArray(0..<Int32(merged.df.count))
            return try TFIDFModel(configuration: configuration, analyzerSpec: analyzerSpec, lexicon: lexicon,
                                  vocabulary: nil, idf: idf, summary: summary)
        }
        let minDocs = configuration.minDF.documents(of: n)
        let maxDocs = configuration.maxDF.documents(of: n)
        if maxDocs < minDocs { throw ConfigurationError("maxDF=\(configuration.maxDF) corresponds to fewer documents than minDF=\(configuration.minDF)") }
        var kept: [Int] = []
        for t in 0..<merged.termCount {
            let d = Double(merged.df[t])
            if d < minDocs { summary.droppedBelowMinDF += 1 } else if d > maxDocs { summary.droppedAboveMaxDF += 1 } else { kept.append(t) }
        }
        var names = kept.map { merged.scalars(of: $0) }
        if let limit = configuration.maxFeatures, kept.count > limit {
            // Most frequent terms first; ties in code-point order so the cut is deterministic.
            let order = kept.indices.sorted {
                let a = merged.total[kept[$0]], b = merged.total[kept[$1]]
                return a != b ? a > b : names[$0].lexicographicallyPrecedes(names[$1])
            }.prefix(limit)
            summary.droppedByMaxFeatures = kept.count - limit
            kept = order.map { kept[$0] }
            names = order.map { names[$0] }
        }
        guard !kept.isEmpty else {
            throw ConfigurationError("after pruning no terms remain (minDF=\(configuration.minDF), maxDF=\(configuration.maxDF), \(n) documents); lower minDF or raise maxDF")
        }
        let order = codePointOrder(names)
        var columnOfGlobal = ContiguousArray<Int32>(repeating: -1, count: merged.termCount)
        var terms: [String] = []
        terms.reserveCapacity(order.count)
        for (col, i) in order.enumerated() {
            columnOfGlobal[kept[i]] = Int32(col)
            terms.append(UTF8Decoding.string(names[i]))
            idf.append(idfValue(merged.df[kept[i]]))
        }
        merged.columnOfGlobal = columnOfGlobal
        summary.keptTerms = terms.count
        return try TFIDFModel(configuration: configuration, analyzerSpec: analyzerSpec, lexicon: lexicon,
                              vocabulary: Vocabulary(terms: terms), idf: idf, summary: summary)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Indices of `names` in code-point order (Python's `str` order). The first three code points are
/// packed into one integer so almost every comparison is a single integer compare.
func codePointOrder(_ names: [[UInt32]]) -> [Int] {
    let prefix = names.map { n -> UInt64 in
        var k: UInt64 = 0
        for i in 0..<3 { k = k << 21 | (i < n.count ? UInt64(n[i]) + 1 : 0) }
        return k
    }
    return names.indices.sorted {
        let a = prefix[$0], b = prefix[$1]
        if a != b { return a < b }
        return names[$0].lexicographicallyPrecedes(names[$1])
    }
}

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
