import Dispatch
import LifestyleCore
import LifestyleText

/// How documents were analysed; saved with a model so `transform` tokenizes exactly like `fit`.
public enum AnalyzerSpec: Sendable, Equatable, Codable {
    case microblog(TokenizerConfiguration)
    case characters(CharNGramAnalyzer)

    func makeAnalyzer(lexicon: Lexicon?) throws -> Analyzer {
        switch self {
        case .microblog(let c): .microblog(try Tokenizer(c, lexicon: lexicon))
        case .characters(let a): .characters(a)
        }
    }

    /// True when the analyzer needs a lexicon (word segmentation).
    public var usesLexicon: Bool {
        if case .microblog(let c) = self { return c.chinese != .ngram }
        return false
    }
}

/// What a fit saw and dropped (counts only: dropped terms themselves are never kept, so a saved
/// model cannot leak rare, possibly personal tokens — scikit-learn's CVE-2024-5206).
public struct FitSummary: Sendable, Equatable, Codable {
    public var documents = 0
    public var tokens = 0
    public var distinctTerms = 0
    public var keptTerms = 0
    public var droppedBelowMinDF = 0
    public var droppedAboveMaxDF = 0
    public var droppedByMaxFeatures = 0
    /// Terms pruned while streaming because the in-memory budget was reached.
    public var prunedWhileStreaming = 0
    public var normalization = NormalizationCounts()
}

/// A fitted TF-IDF vectorizer: vocabulary (or hashing buckets) and idf. Immutable; `transform` is
/// thread-safe and parallel.
public struct TFIDFModel: Sendable {
    public let configuration: VectorizerConfiguration
    public let analyzerSpec: AnalyzerSpec
    public let lexicon: Lexicon?
    /// nil in hashing mode.
    public let vocabulary: Vocabulary?
    public let idf: ContiguousArray<Float>
    public let summary: FitSummary
    let analyzer: Analyzer

    public init(configuration: VectorizerConfiguration, analyzerSpec: AnalyzerSpec, lexicon: Lexicon?,
                vocabulary: Vocabulary?, idf: ContiguousArray<Float>, summary: FitSummary) throws {
        self.configuration = configuration
        self.analyzerSpec = analyzerSpec
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self.idf = idf
        self.summary = summary
        self.analyzer = try analyzerSpec.makeAnalyzer(lexicon: lexicon)
    }

    /// Number of columns.
    public var featureCount: Int { idf.count }

    /// The term of a column (`#bucket` in hashing mode).
    public func featureName(_ column: Int) -> String {
        vocabulary?.term(at: column) ?? "#\(column)"
    }

    /// The column of a key, -1 when unknown.
    @inline(__always)
    func column(forKey key: TokenKey) -> Int32 {
        if let vocabulary { return vocabulary.column(forKey: key.raw) }
        return Int32(truncatingIfNeeded: key.mixed & UInt64(idf.count - 1))
    }

    /// Vectorises documents (rows in input order), in parallel; identical for any thread count.
    /// - Complexity: O(characters + nnz log(row nnz)).
    public func transform(_ documents: [String], progress: ((Int) -> Void)? = nil) -> CSRMatrix {
        let chunks = chunkRanges(count: documents.count, threads: configuration.threads)
        let blocks = parallelMap(chunks, threads: configuration.threads) { range -> CSRMatrix in
            var ws = TokenizerWorkspace()
            var builder = RowBuilder(model: self)
            var sink = ColumnSink(model: self, builder: builder)
            for d in range {
                var text = documents[d]
                text.withUTF8 { analyzer.analyze(utf8: $0, workspace: &ws, into: &sink) }
                sink.builder.finishRow()
            }
            builder = sink.builder
            return builder.matrix(columns: featureCount)
        }
        progress?(documents.count)
        return CSRMatrix.stacking(blocks, columns: featureCount)
    }

    /// One document's vector.
    public func transform(_ document: String) -> CSRMatrix { transform([document]) }

    /// The weight of a term counted `count` times in a document, before normalisation.
    @inline(__always)
    func weight(count: Int32, column: Int) -> Double {
        let tf = configuration.sublinearTF ? Self.sublinearTF(Double(count)) : Double(count)
        return configuration.useIDF ? tf * Double(idf[column]) : tf
    }
}

/// 1 + ln(c) for small counts (most terms occur once or twice in a document).
@usableFromInline
let sublinearTable: [Double] = (0..<64).map { $0 == 0 ? 0 : 1 + log(Double($0)) }

extension TFIDFModel {
    /// Sublinear tf, 1 + ln(c) (0 for c ≤ 0), from a table for small whole counts.
    @inlinable
    public static func sublinearTF(_ c: Double) -> Double {
        guard c > 0 else { return 0 }
        if c < 64, c == c.rounded(.down) { return sublinearTable[Int(c)] }
        return 1 + log(c)
    }
}

/// Maps tokens to columns and counts them for the current row.
struct ColumnSink: TokenSink {
    var builder: RowBuilder
    /// The vocabulary's table as plain pointers, so a token costs no reference counting (the
    /// builder's model owns the table for the sink's lifetime); an empty table in hashing mode.
    let table: TermTable.Lookup
    let hashing: Bool
    let mask: UInt64

    init(model: TFIDFModel, builder: RowBuilder) {
        self.builder = builder
        table = (model.vocabulary?.index ?? ColumnSink.noTable).lookup
        hashing = model.vocabulary == nil
        mask = UInt64(max(1, model.idf.count) - 1)
    }

    private static let noTable = TermTable(capacity: 1)

    @inline(__always)
    mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey) {
        let c = hashing ? Int32(truncatingIfNeeded: key.mixed & mask) : table.find(key.raw)
        if c >= 0 { builder.count(column: c) }
    }
}

/// Accumulates one row at a time: (column, count) → weighted, sorted, normalised CSR entries.
struct RowBuilder {
    let model: TFIDFModel
    var rowColumns = ContiguousArray<Int32>()
    var rowCounts = ContiguousArray<Int32>()
    var lastRow: ContiguousArray<Int32>
    var slot: ContiguousArray<Int32>
    var row: Int32 = 0
    var packed = ContiguousArray<UInt64>()
    var sorter: RowSorter
    var pointers = ContiguousArray<Int>([0])
    var indices = ContiguousArray<Int32>()
    var values = ContiguousArray<Float>()

    init(model: TFIDFModel) {
        self.model = model
        lastRow = ContiguousArray(repeating: -1, count: model.featureCount)
        slot = ContiguousArray(repeating: 0, count: model.featureCount)
        sorter = RowSorter(columns: model.featureCount)
    }

    @inline(__always)
    mutating func count(column c: Int32) {
        let ci = Int(c)
        if lastRow[ci] != row {
            lastRow[ci] = row
            slot[ci] = Int32(rowColumns.count)
            rowColumns.append(c)
            rowCounts.append(1)
        } else {
            rowCounts[Int(slot[ci])] &+= 1
        }
    }

    mutating func finishRow() {
        appendRow(columns: rowColumns, counts: rowCounts, model: model, sorter: &sorter, packed: &packed, indices: &indices, values: &values)
        pointers.append(indices.count)
        rowColumns.removeAll(keepingCapacity: true)
        rowCounts.removeAll(keepingCapacity: true)
        row += 1
    }

    func matrix(columns: Int) -> CSRMatrix {
        CSRMatrix(rows: pointers.count - 1, columns: columns, rowPointers: pointers, columnIndices: indices, values: values)
    }
}

/// Weights, sorts by column and normalises one row, appending it to `indices`/`values`.
@inline(__always)
func appendRow(columns: ContiguousArray<Int32>, counts: ContiguousArray<Int32>, model: TFIDFModel, sorter: inout RowSorter,
               packed: inout ContiguousArray<UInt64>, indices: inout ContiguousArray<Int32>, values: inout ContiguousArray<Float>) {
    packed.removeAll(keepingCapacity: true)
    var sumSquares = 0.0, sumAbs = 0.0
    for k in 0..<columns.count {
        let w = model.weight(count: counts[k], column: Int(columns[k]))
        sumSquares += w * w
        sumAbs += abs(w)
        packed.append(UInt64(UInt32(bitPattern: columns[k])) << 32 | UInt64(Float(w).bitPattern))
    }
    sorter.sort(&packed)
    let scale = model.configuration.norm.scale(sumSquares: sumSquares, sumAbs: sumAbs)
    for p in packed {
        indices.append(Int32(truncatingIfNeeded: p >> 32))
        values.append(Float(Double(Float(bitPattern: UInt32(truncatingIfNeeded: p))) * scale))
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension RowNorm {
    /// The factor that normalises a row with these sums (1 for an empty row or `.none`).
    @inline(__always)
    func scale(sumSquares: Double, sumAbs: Double) -> Double {
        switch self {
        case .l2: sumSquares > 0 ? 1 / sumSquares.squareRoot() : 1
        case .l1: sumAbs > 0 ? 1 / sumAbs : 1
        case .none: 1
        }
    }
}

/// Lets parallel chunks write disjoint ranges of the final CSR arrays (during their initialisation).
struct CSRWriter: @unchecked Sendable {
    let pointers: UnsafeMutablePointer<Int>
    let indices: UnsafeMutablePointer<Int32>?
    let values: UnsafeMutablePointer<Float>?
}
