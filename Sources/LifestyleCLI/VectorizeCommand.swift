import ArgumentParser
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// `lifestyle vectorize`: TF-IDF of a posts file, with shape, sparsity, top features and timings.
struct VectorizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectorize",
        abstract: "Build the TF-IDF matrix of a posts file and print its shape, non-zeros, top features and timings.")

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .customLong("max-features"), help: "Keep only the N most frequent terms.")
    var maxFeatures: Int?

    @Option(name: .customLong("hashing-bits"), help: "Hash terms into 2^N buckets instead of keeping a vocabulary.")
    var hashingBits: Int?

    @Flag(name: .customLong("no-sublinear-tf"), help: "Raw term counts instead of 1 + ln(count).")
    var noSublinearTF = false

    @Option(help: "Worker threads.")
    var threads: Int = defaultThreads

    @Option(help: "Print the N features with the largest total TF-IDF weight.")
    var top: Int = 20

    @Option(help: "Save the fitted vectorizer (vocabulary, idf, manifest) into this directory.")
    var save: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        let t0 = monotonicSeconds()
        let (docs, model, x) = try corpus.vectorize(defaultMaxDF: "1.0", threads: threads, common: common) { config in
            if hashingBits != nil {
                config.minDF = .count(1)
                config.maxDF = .fraction(1)
            }
            config.maxFeatures = maxFeatures
            config.hashingBits = hashingBits
            config.sublinearTF = !noSublinearTF
        }
        let t2 = monotonicSeconds()
        if let save { try model.save(to: save) }
        let t3 = monotonicSeconds()

        let s = model.summary
        print(docs.summary)
        print("documents: \(x.rows) (\(docs.posts) posts, one per \(corpus.by.rawValue))")
        print("matrix: \(x.rows) × \(x.columns), \(x.nnz) non-zeros (\(fmt(100 * Double(x.nnz) / max(1, Double(x.rows) * Double(x.columns)), 4))% dense, \(x.byteSize / 1024) KiB)")
        print("terms: \(s.distinctTerms) seen, \(s.keptTerms) kept; dropped \(s.droppedBelowMinDF) below min-df, \(s.droppedAboveMaxDF) above max-df, \(s.droppedByMaxFeatures) by max-features")
        print("normalisation: " + s.normalization.entries.filter { $0.1 > 0 }.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        // Top features by summed weight: the corpus's most characteristic terms.
        var weight = [Double](repeating: 0, count: x.columns)
        for k in 0..<x.nnz { weight[Int(x.columnIndices[k])] += Double(x.values[k]) }
        let best = weight.indices.sorted { weight[$0] != weight[$1] ? weight[$0] > weight[$1] : $0 < $1 }.prefix(top)
        print("top features (sum of TF-IDF weights):")
        for c in best { print("  \(model.featureName(c))\t\(fmt(weight[c]))\tidf \(fmt(Double(model.idf[c]), 3))") }
        print("timings: read+fit+transform \(formatSeconds(t2 - t0)) on \(threads) threads"
            + (save != nil ? ", save \(formatSeconds(t3 - t2)) → \(save!)" : ""))
    }
}
