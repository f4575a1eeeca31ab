import ArgumentParser
import LifestyleCore
import LifestyleText

/// `lifestyle discover`: new-word discovery on a posts file, exported as a scored lexicon.
struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Discover words in a corpus (frequency, cohesion, branching entropy) and export the lexicon as TSV.")

    @Option(help: "Posts file (JSON Lines, CSV with user_id,text, or TSV).")
    var posts: String

    @Option(help: "Where to write the lexicon TSV.")
    var out: String

    @Option(name: .customLong("min-count"), help: "Minimum occurrences of a candidate.")
    var minCount: Int = 5

    @Option(name: .customLong("min-cohesion"), help: "Minimum cohesion (PMI of the weakest split, natural log).")
    var minCohesion: Double = 2.0

    @Option(name: .customLong("min-freedom"), help: "Minimum freedom (smaller of left/right branching entropy, nats).")
    var minFreedom: Double = 1.0

    @Option(name: .customLong("max-length"), help: "Longest candidate, in characters (2…6).")
    var maxLength: Int = 6

    @Option(help: "Re-estimation rounds of word frequencies over the segmented corpus.")
    var rounds: Int = 2

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
        var tc = TokenizerConfiguration()
        tc.normalization.traditionalToSimplified = traditionalToSimplified
        let runs = try Tokenizer(tc).chineseRuns(of: docs.texts)
        let config = try WordDiscovery.Configuration(minLength: 2, maxLength: maxLength, minCount: minCount,
                                                     minCohesion: minCohesion, minFreedom: minFreedom)
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

func fmt(_ x: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", x)
}

var defaultThreads: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

func fileSize(_ path: String) -> Int {
    (try? LineReader(path: path).fileSize) ?? nil ?? 0
}

import Foundation
