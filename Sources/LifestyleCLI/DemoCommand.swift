import ArgumentParser
import LifestyleClustering
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

    @Option(help: "Number of lifestyle clusters.")
    var clusters: Int = 9

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
        common.reportSkipped(perPost.summary)
        print("\(perUser.ids.count) users, \(perPost.posts) posts")

        step("2. new-word discovery (no dictionary)")
        var base = TokenizerConfiguration()
        base.normalization.traditionalToSimplified = true
        let runs = try Tokenizer(base).chineseRuns(of: perPost.texts)
        // The demo corpus is small (350 k characters) and written from templates, whose phrases
        // look like long words; shorter words with more evidence segment it best.
        let discovery = WordDiscovery(configuration: try WordDiscovery.Configuration(maxLength: 3, minCount: 5))
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

        step("5. lifestyle clusters (spherical k-means, k = \(clusters), seed 1)")
        let kmeans = try KMeans(KMeans.Configuration(k: clusters, restarts: 4, seed: 1, threads: threads))
        let fitted = try kmeans.fit(x)
        print("objective Σ(1 − cos) = \(fmt(fitted.objective, 2)) after \(fitted.iterations) iterations\(fitted.converged ? "" : " (not converged)")")
        let order = (0..<clusters).sorted { fitted.clusterSizes[$0] != fitted.clusterSizes[$1] ? fitted.clusterSizes[$0] > fitted.clusterSizes[$1] : $0 < $1 }
        for c in order {
            let w = fitted.centroid(c)
            // Words (two or more characters) describe a lifestyle better than single characters.
            let best = w.indices.filter { model.featureName($0).unicodeScalars.count >= 2 }
                .sorted { w[$0] != w[$1] ? w[$0] > w[$1] : $0 < $1 }.prefix(10)
            print("  cluster \(c): \(fitted.clusterSizes[c]) users — " + best.map(model.featureName).joined(separator: " "))
        }
        let answerKey = posts.replacingOccurrences(of: "posts.jsonl", with: "users.csv")
        if answerKey != posts, AtomicFile.exists(answerKey), case let truth = try readTruth(answerKey, ids: perUser.ids), !truth.contains(-1) {
            let nmi = ClusterQuality.normalizedMutualInformation(fitted.labels, truth)
            print("NMI against the generator's primary lifestyles (corpora/demo/users.csv): \(fmt(nmi, 3))")
        }

        step("done")
        print("lexicon:    \(lexiconPath)")
        print("vectorizer: \(vectorizerPath)/ (vectorizer.json, vocabulary.tsv, idf.f32, lexicon.tsv)")
        print("next: lifestyle segment --mode words --lexicon \(lexiconPath) --text '今天去健身房撸铁'")
    }
}
