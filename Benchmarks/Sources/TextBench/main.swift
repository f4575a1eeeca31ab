// TF-IDF throughput benchmark: char (1,2) n-grams, scikit-learn's settings, on one corpus.
// Usage: TextBench <corpus.tsv|.txt> [--threads N] [--repeat R] [--analyzer char|microblog]
// Prints one JSON object: timings (best of R), shape, nnz, a checksum, peak RSS.
import Foundation
import LifestyleCore
import LifestyleText
import LifestyleVectors

var args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, _ fallback: String) -> String {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return fallback }
    let v = args[i + 1]
    args.removeSubrange(i...(i + 1))
    return v
}
let threads = Int(option("--threads", "2"))!
let repeats = Int(option("--repeat", "3"))!
let analyzerName = option("--analyzer", "char")
guard let path = args.first else {
    writeStandardError("usage: TextBench <corpus> [--threads N] [--repeat R] [--analyzer char|microblog]\n")
    exit(2)
}

// The corpus: the last tab-separated field of every line (reviews.tsv: category<TAB>text).
var documents: [String] = []
let reader = try LineReader(path: path)
try reader.forEachLine { _, line in
    let tab = line.lastIndex(of: 0x09).map { $0 + 1 } ?? 0
    documents.append(String(decoding: UnsafeBufferPointer(rebasing: line[tab...]), as: UTF8.self))
    return true
}
let characters = documents.reduce(0) { $0 + $1.unicodeScalars.count }

var config = VectorizerConfiguration()
config.minDF = .count(2)
config.threads = threads
let spec: AnalyzerSpec = analyzerName == "char"
    ? .characters(try CharNGramAnalyzer(ngramMin: 1, ngramMax: 2))
    : .microblog(TokenizerConfiguration())
let vectorizer = try TFIDFVectorizer(config, analyzer: spec)

if args.contains("--analyze-only") {
    struct XorSink: TokenSink {
        var acc: UInt64 = 0
        var n = 0
        mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey) { acc ^= key.raw; n += 1 }
    }
    let analyzer = try CharNGramAnalyzer(ngramMin: 1, ngramMax: 2)
    var ws = TokenizerWorkspace()
    var sink = XorSink()
    let t0 = monotonicSeconds()
    for d in documents { var t = d; t.withUTF8 { analyzer.analyze(utf8: $0, workspace: &ws, into: &sink) } }
    print("analyze only: \(monotonicSeconds() - t0) s, \(sink.n) tokens, \(sink.acc)")
    exit(0)
}
var best = Double.infinity
var result: (TFIDFModel, CSRMatrix)?
for _ in 0..<repeats {
    let t0 = monotonicSeconds()
    result = try vectorizer.fitTransform(documents)
    best = min(best, monotonicSeconds() - t0)
}
let (model, x) = result!
var checksum = 0.0
for v in x.values { checksum += Double(v) }
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let out: [String: Any] = [
    "system": "lifestyle", "threads": threads, "documents": documents.count, "characters": characters,
    "seconds": best, "chars_per_second": Double(characters) / best,
    "rows": x.rows, "features": model.featureCount, "nnz": x.nnz, "value_sum": checksum,
    "peak_rss_mb": Double(usage.ru_maxrss) / 1024,
]
let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
