import ArgumentParser
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// `lifestyle demo`: the text half of the loop on the shipped demo corpus.
/// (Clustering, prospect scoring and evaluation join it as those stages land.)
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the pipeline on the shipped demo corpus (corpora/demo) and print where everything went.")

    @Option(help: "Demo posts file.")
    var posts: String = "corpora/demo/posts.jsonl"

    @Option(help: "Output directory.")
    var out: String = "demo-output"

    @Option(help: "Worker threads.")
    var threads: Int = defaultThreads

    @OptionGroup var common: CommonOptions

    func run() throws {
        guard AtomicFile.exists(posts) else {
            throw InputError(file: posts, reason: "not found: run from the repository root or pass --posts")
        }
        let t0 = monotonicSeconds()
        func step(_ s: String) { print("\n== \(s) (\(formatSeconds(monotonicSeconds() - t0)))") }

        step("1. reading \(posts)")
        let perPost = try DocumentCollection.load(posts, grouping: .post, strict: common.strict)
        let perUser = try DocumentCollection.load(posts, grouping: .user, strict: common.strict)
        print(perPost.summary)
        print("\(perUser.ids.count) users, \(perPost.posts) posts")

        step("2. new-word discovery (no dictionary)")
        var base = TokenizerConfiguration()
        base.normalization.traditionalToSimplified = true
        let runs = try Tokenizer(base).chineseRuns(of: perPost.texts)
        let discovery = WordDiscovery(configuration: try WordDiscovery.Configuration())
        let lexicon = discovery.lexicon(runs: runs, threads: threads)
        try AtomicFile.createDirectories(out)
        let lexiconPath = "\(out)/lexicon.tsv"
        try lexicon.writeTSV(toFile: lexiconPath)
        let words = lexicon.entries.compactMap(\.discovery).sorted { $0.score != $1.score ? $0.score > $1.score : $0.word < $1.word }
        print("\(words.count) words discovered; best: " + words.prefix(30).map(\.word).joined(separator: " "))

        step("3. segmentation of a few posts (words mode)")
        var wordsConfig = base
        wordsConfig.chinese = .words
        let tokenizer = try Tokenizer(wordsConfig, lexicon: lexicon)
        for i in stride(from: 0, to: min(perPost.texts.count, 600), by: 120) {
            print("  \(perPost.texts[i])")
            print("  → " + tokenizer.tokens(perPost.texts[i]).map(\.text).joined(separator: " | "))
        }

        step("4. TF-IDF, one document per user (words + character n-grams)")
        var both = base
        both.chinese = .both
        var vc = VectorizerConfiguration()
        vc.minDF = .count(2)
        vc.maxDF = .fraction(0.5)
        vc.threads = threads
        let (model, x) = try TFIDFVectorizer(vc, analyzer: .microblog(both), lexicon: lexicon).fitTransform(perUser.texts)
        print("matrix \(x.rows) × \(x.columns), \(x.nnz) non-zeros; \(model.summary.droppedBelowMinDF) rare and \(model.summary.droppedAboveMaxDF) ubiquitous terms dropped")
        let vectorizerPath = "\(out)/vectorizer"
        try model.save(to: vectorizerPath)
        var weight = [Double](repeating: 0, count: x.columns)
        for k in 0..<x.nnz { weight[Int(x.columnIndices[k])] += Double(x.values[k]) }
        let top = weight.indices.filter { model.featureName($0).unicodeScalars.count >= 2 }
            .sorted { weight[$0] != weight[$1] ? weight[$0] > weight[$1] : $0 < $1 }.prefix(25)
        print("heaviest terms: " + top.map(model.featureName).joined(separator: " "))

        step("done")
        print("lexicon:    \(lexiconPath)")
        print("vectorizer: \(vectorizerPath)/ (vectorizer.json, vocabulary.tsv, idf.f32, lexicon.tsv)")
        print("next: lifestyle segment --mode words --lexicon \(lexiconPath) --text '今天去健身房撸铁'")
    }
}
