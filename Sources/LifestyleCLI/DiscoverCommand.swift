import ArgumentParser
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// `lifestyle discover`: new-word discovery on a posts file, exported as a scored lexicon.
struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Discover words in a corpus (frequency, cohesion, branching entropy) and export the lexicon as TSV.")

    @Option(help: "Posts file (JSON Lines, CSV with user_id,text, or TSV).")
    var posts: String

    @Option(help: "Where to write the lexicon TSV.")
    var out: String

    @Option(name: .customLong("min-count"), help: "Minimum occurrences of a candidate (default: discovery's tuned default).")
    var minCount: Int?

    @Option(name: .customLong("min-cohesion"), help: "Minimum cohesion (PMI of the weakest split, nats) a word must have to be kept.")
    var minCohesion: Double?

    @Option(name: .customLong("min-freedom"), help: "Minimum freedom (smaller of left/right branching entropy, nats) a word must have to be kept.")
    var minFreedom: Double?

    @Option(name: .customLong("max-length"), help: "Longest word, in characters.")
    var maxLength: Int?

    @Option(help: "Extra rounds of re-estimating word frequencies over the segmented corpus.")
    var rounds: Int = 0

    @Option(help: "Print the best N words.")
    var top: Int = 20

    @Flag(name: .customLong("trad-to-simp"), help: "Map traditional characters to simplified before discovery.")
    var traditionalToSimplified = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        let t0 = monotonicSeconds()
        let progress = ProgressBar("reading", total: fileSize(posts), unit: "bytes", quiet: common.quiet)
        let docs = try DocumentCollection.load(posts, grouping: .post, strict: common.strict, progress: progress.update)
        progress.finish()
        if !common.quiet { writeStandardError(docs.summary.description + "\n") }
        common.reportSkipped(docs.summary)
        var tc = TokenizerConfiguration()
        tc.normalization.traditionalToSimplified = traditionalToSimplified
        let runs = try Tokenizer(tc).chineseRuns(of: docs.texts)
        // Unset thresholds keep the defaults tuned on the PKU development split (Benchmarks/segmentation).
        var config = try WordDiscovery.Configuration()
        if let maxLength { config = try WordDiscovery.Configuration(maxLength: maxLength) }
        if let minCount { config.minCount = minCount }
        if let minCohesion { config.minCohesion = minCohesion }
        if let minFreedom { config.minFreedom = minFreedom }
        if config.minCount < 1 { throw ValidationError("--min-count \(config.minCount): should be >= 1") }
        let discovery = WordDiscovery(configuration: config)
        let lexicon = discovery.lexicon(runs: runs, rounds: rounds, threads: defaultThreads)
        try lexicon.writeTSV(toFile: out)
        let words = lexicon.entries.compactMap(\.discovery).sorted { $0.score != $1.score ? $0.score > $1.score : $0.word < $1.word }
        print("discovered \(words.count) words from \(runs.reduce(0) { $0 + $1.count }) Han characters in \(docs.posts) posts (\(formatSeconds(monotonicSeconds() - t0)))")
        print("word\tcount\tcohesion\tfreedom\tscore")
        for w in words.prefix(top) {
            print("\(w.word)\t\(w.count)\t\(fmt(w.cohesion))\t\(fmt(w.freedom))\t\(fmt(w.score))")
        }
        print("lexicon written to \(out)")
    }
}

var defaultThreads: Int { defaultThreadCount }

func fileSize(_ path: String) -> Int { AtomicFile.size(of: path) }

import Foundation
