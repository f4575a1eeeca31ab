import ArgumentParser
import Foundation
import LifestyleCRM
import LifestyleClustering
import LifestyleCore
import LifestyleLookalike
import LifestyleVectors

extension LikelihoodModel.Head: ExpressibleByArgument {}
extension ScoreFormat: ExpressibleByArgument {}

/// `lifestyle train`: quality customers → lifestyle clusters with cards, and the purchase-likelihood model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model: quality customers, lifestyle clusters with cards, purchase likelihood.",
        discussion: """
            Reads the posts of the whole population, the CRM purchases and the customer → account links; \
            selects the quality customers by RFM; learns IDF and population lifestyles (topics of posts) \
            from everyone's text; clusters the quality customers' users into lifestyle clusters and \
            describes each (value, distinctive terms, representative posts, product affinity); fits the \
            purchase likelihood on the known buyers. Writes the model directory atomically. \
            With --holdout, a share of the known buyers is hidden in the pool and the ranking is evaluated.
            """)

    @Option(help: "Posts of the whole population (JSON Lines or CSV with user_id,text).")
    var posts: String
    @Option(help: "CRM purchases (customer_id,order_id,sku,amount,purchased_at).")
    var purchases: String
    @Option(help: "Customer → microblog account links (customer_id,user_id).")
    var accounts: String
    @Option(help: "Model directory to write.")
    var out: String
    @Option(help: "Lifestyle clusters: a number or 'auto' (choose-k over --k-range).")
    var k: String = "auto"
    @Option(name: .customLong("k-range"), help: "Range of k for --k auto, e.g. 2-8.")
    var kRange: String = "2-8"
    @Option(help: "Random seed (same seed and inputs, same model files).")
    var seed: UInt64 = 1
    @Option(help: "k-means restarts for the lifestyle clusters.")
    var restarts: Int = 8
    @Option(name: .customLong("as-of"), help: "Reference date YYYY-MM-DD for recency (default: the newest purchase).")
    var asOf: String?
    @Option(name: .customLong("recency-days"), help: "Quality customers bought within this many days.")
    var recencyDays: Int = 365
    @Option(name: .customLong("min-orders"), help: "Quality customers have at least this many orders.")
    var minOrders: Int = 1
    @Option(name: .customLong("top-monetary"), help: "Share of eligible customers kept, best by monetary value first.")
    var topMonetary: Double = 0.5
    @Option(name: .customLong("min-monetary"), help: "Minimum net amount of a quality customer.")
    var minMonetary: Double?
    @Option(help: "Population lifestyles (topics of posts) behind the purchase likelihood.")
    var topics: Int = 10
    @Option(help: "Tempering τ of a post's likelihood under a topic.")
    var temperature: Double = 0.1
    @Option(help: "How a topic mix becomes P(known buyer): rate, mixture, logistic or primary.")
    var head: LikelihoodModel.Head = .rate
    @Option(name: .customLong("primary-share"), help: "primary head: share of a user's posts about their main lifestyle.")
    var primaryShare: Double = 0.75
    @Option(name: .customLong("em-iterations"), help: "EM iterations of the topic model.")
    var emIterations: Int = 30
    @Option(name: .customLong("topic-restarts"), help: "Restarts of the k-means that starts the topics.")
    var topicRestarts: Int = 1
    @Option(name: .customLong("known-share"), help: "Share of all buyers that the CRM links to an account; calibrates the likelihood (the ranking does not depend on it).")
    var knownShare: Double = 0.5
    @Flag(name: .customLong("no-words"), help: "Character n-grams only (no corpus word discovery).")
    var noWords = false
    @Option(name: .customLong("word-max-length"), help: "Longest discovered word, in characters.")
    var wordMaxLength: Int = 4
    @Option(name: .customLong("word-min-count"), help: "Fewest occurrences of a discovered word.")
    var wordMinCount: Int = 5
    @Flag(name: .customLong("no-examples"), help: "Store no representative posts in the cluster cards.")
    var noExamples = false
    @Option(help: "Hide this share of the known buyers in the pool and evaluate the ranking on them.")
    var holdout: Double?
    @Option(help: "CSV user_id,label (e.g. a primary lifestyle): report how the seed clusters agree with it (NMI, ARI).")
    var truth: String?
    @Option(help: "Worker threads (results do not depend on it).")
    var threads: Int = defaultThreads
    @OptionGroup var common: CommonOptions

    func parameters() throws -> TrainingParameters {
        var p = TrainingParameters()
        if k != "auto" {
            guard let n = Int(k) else { throw InputError(field: "--k", reason: "\"\(k)\" is not a number or 'auto'") }
            p.k = n
        }
        let bounds = kRange.split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else { throw InputError(field: "--k-range", reason: "\"\(kRange)\" should be MIN-MAX") }
        p.kRange = Array(bounds[0]...bounds[1])
        p.seed = seed
        p.restarts = restarts
        p.asOf = asOf
        p.recencyDays = recencyDays
        p.minOrders = minOrders
        p.topMonetary = topMonetary
        p.minMonetary = minMonetary
        p.topics = topics
        p.temperature = temperature
        p.head = head
        p.knownShare = knownShare
        p.primaryShare = primaryShare
        p.emIterations = emIterations
        p.topicRestarts = topicRestarts
        p.discoverWords = !noWords
        p.wordMaxLength = wordMaxLength
        p.wordMinCount = wordMinCount
        p.examples = noExamples ? 0 : 5
        p.holdout = holdout
        try p.validate()
        return p
    }

    func run() throws {
        configureLogging(quiet: common.quiet)
        let t0 = monotonicSeconds()
        let trainer = Trainer(parameters: try parameters(), threads: threads, quiet: common.quiet)
        let (model, report) = try trainer.train(TrainingInputs(posts: posts, purchases: purchases, accounts: accounts, strict: common.strict))
        for s in [report.postsSummary, report.purchasesSummary, report.accountsSummary] {
            print(s)
            common.reportSkipped(s)
        }
        print("\nquality customers: " + report.link.summary())
        let c = model.manifest.corpus
        print("known buyers: \(c.knownBuyers) linked users (excluded from every prospect pool); \(c.trainingPositives) with posts train the likelihood" + (c.heldOut > 0 ? ", \(c.heldOut) held out" : ""))
        if c.accountsWithoutPosts > 0 { print("note: \(c.accountsWithoutPosts) linked account(s) have no posts in \(posts)") }
        print("likelihood calibrated with --known-share \(fmt(model.likelihood.knownShare, 2)) (Elkan–Noto's estimate from the known buyers: \(fmt(c.elkanNotoKnownShare, 3)), a lower bound unless some lifestyle always buys)")
        print("lifestyle clusters: k = \(model.manifest.k) (\(report.kChoice))")
        if let truth {
            let labels = try readTruth(truth, ids: report.seedClusters.map(\.userID))
            let predicted = zip(report.seedClusters, labels).map { $1 < 0 ? Int32(-1) : Int32($0.cluster) }
            let known = labels.filter { $0 >= 0 }.count
            print("seed clusters vs \(truth): NMI \(fmt(ClusterQuality.normalizedMutualInformation(predicted, labels), 3)), "
                  + "ARI \(fmt(ClusterQuality.adjustedRandIndex(predicted, labels), 3)) (\(known) of \(labels.count) seeds labelled)")
        }
        for w in report.clusteringWarnings + report.diagnostics { print("warning: \(w)") }
        print("")
        Rendering.cards(model.cards).forEach { print($0) }

        var extra: [String: [UInt8]] = [:]
        if let m = report.holdout {
            print("\nholdout: \(c.heldOut) known buyers hidden among \(m.pool - m.positives) other users")
            Rendering.metrics(m).forEach { print("  " + $0) }
            extra["holdout-gains.csv"] = Array(m.gainsCSV().utf8)
            extra["holdout-gains.svg"] = Array(Rendering.gainsSVG(m, title: "Holdout gains: \(c.heldOut) hidden buyers").utf8)
        }
        let tSave = monotonicSeconds()
        try model.save(to: out, extraFiles: extra)
        print("\ntimings: " + report.stages.map { "\($0.name) \(formatSeconds($0.seconds))" }.joined(separator: ", ")
              + ", save \(formatSeconds(monotonicSeconds() - tSave)); total \(formatSeconds(monotonicSeconds() - t0)) on \(threads) threads")
        print("model: \(out)/ (\(model.manifest.k) clusters, \(model.manifest.topics) topics, \(model.manifest.dimension) features)")
    }
}

/// `lifestyle describe`: the cluster cards of a model.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Print a model's lifestyle cluster cards (or JSON).")

    @Argument(help: "Model directory.")
    var model: String
    @Flag(help: "Print clusters.json (the cards as JSON).")
    var json = false

    func run() throws {
        let m = try LifestyleModel.load(from: model)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(m.clusterFile), as: UTF8.self))
            return
        }
        let c = m.manifest.corpus
        print("model \(model): created \(m.manifest.createdAt) by lifestyle \(m.manifest.toolVersion), seed \(m.manifest.parameters.seed)")
        print("trained on \(c.users) users (\(c.posts) posts) from \(c.postsFile); \(c.qualityCustomers) quality customers as of \(c.asOf), "
              + "\(c.clusteredSeeds) clustered; \(c.trainingPositives) known buyers train the likelihood")
        print("lifestyle clusters: k = \(m.manifest.k) (\(m.clusterFile.kChoice))\n")
        Rendering.cards(m.cards).forEach { print($0) }
    }
}

/// `lifestyle score`: ranks a prospect pool.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score prospects by purchase likelihood (streaming: memory does not grow with the pool).",
        discussion: """
            Reads posts grouped by user (each user's posts on consecutive lines, as a batch engine writes \
            a partition sorted by user) from a file or stdin (--posts -). Known buyers are left out. Output \
            columns: user_id,score,percentile,cluster,similarity,terms,skus, best first; the percentile is \
            the share of the pool scoring at or below. --unsorted writes rows as they come, with percentiles \
            from the training population instead.
            """)

    @Option(help: "Model directory.")
    var model: String
    @Option(help: "Posts file, or - for standard input.")
    var posts: String
    @Option(help: "Only these users (one user_id a line).")
    var prospects: String?
    @Option(help: "Output file, or - for standard output.")
    var out: String = "-"
    @Option(help: "csv or jsonl.")
    var format: ScoreFormat = .csv
    @Option(help: "Keep the best N.")
    var top: Int?
    @Option(help: "Keep the best share of the pool, e.g. 5%.")
    var audience: String?
    @Flag(help: "Write rows in input order as they are scored (no sorting, no --top/--audience).")
    var unsorted = false
    @Option(help: "Worker threads.")
    var threads: Int = defaultThreads
    @OptionGroup var common: CommonOptions

    func run() throws {
        configureLogging(quiet: common.quiet)
        if top != nil && audience != nil { throw InputError(field: "--top", reason: "give --top or --audience, not both") }
        var selection = ScoreWriter.Selection.all
        if let top { selection = .top(top) }
        if let audience { selection = .audience(try parseShare(audience, option: "--audience")) }
        let t0 = monotonicSeconds()
        let m = try LifestyleModel.load(from: model)
        var listed: [String]?
        if let prospects {
            let (ids, summary) = try ProspectsReader.load(prospects, strict: common.strict)
            common.reportSkipped(summary)
            listed = ids
        }
        var runner = ScoringRun(model: m, threads: threads)
        runner.strict = common.strict
        runner.quiet = common.quiet
        runner.prospectsPath = prospects
        let outcome = try runner.run(posts: posts, prospects: listed) {
            try ScoreWriter(output: out, format: format, sorted: !unsorted, selection: selection,
                            referencePercentile: { m.likelihood.referencePercentile($0) })
        }
        if outcome.stream.groupedInMemory && !common.quiet {
            writeStandardError("note: \(posts) is not grouped by user (each user's posts on consecutive lines): it was read into memory to group it; sort it by user to score in constant memory\n")
        }
        common.reportSkipped(outcome.stream.summary)
        if outcome.prospectsWithoutPosts > 0 {
            writeStandardError("warning: \(outcome.prospectsWithoutPosts) of \(outcome.prospectsListed) listed prospects have no posts in \(posts) (e.g. \(outcome.firstProspectsWithoutPosts.joined(separator: ", "))): not scored (--strict refuses this)\n")
        }
        if outcome.stream.regrouped > 0 {
            writeStandardError("warning: \(outcome.stream.regrouped) users' posts are not on consecutive lines (e.g. \(outcome.stream.firstRegrouped.joined(separator: ", "))): each group was scored separately; sort the input by user\n")
        }
        if !common.quiet {
            let seconds = monotonicSeconds() - t0
            writeStandardError("\(outcome.stream.summary)\nscored \(outcome.scored) users (\(outcome.knownBuyersSkipped) known buyers left out"
                               + (listed != nil ? ", \(outcome.notProspects) not in the prospect list" : "")
                               + "), wrote \(outcome.written) rows to \(out == "-" ? "standard output" : out) in \(formatSeconds(seconds)) "
                               + "(\(Int(Double(outcome.scored) / max(seconds, 1e-9))) users/s)\n")
        }
    }
}

/// `lifestyle eval`: ranking quality against known labels.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a model's prospect ranking against labels (user_id,purchaser).",
        discussion: "Prints ROC AUC, average precision, precision at k, lift in the top 10%, a reliability table, and writes the gains curve as CSV (and an SVG chart next to it).")

    @Option(help: "Model directory.")
    var model: String
    @Option(help: "Posts file.")
    var posts: String
    @Option(help: "CSV with user_id and purchaser (1/0).")
    var labels: String
    @Option(help: "Only these users (one user_id a line).")
    var prospects: String?
    @Option(help: "Gains curve CSV to write (an .svg chart and a …-reliability.svg chart are written beside it).")
    var gains: String?
    @Option(help: "Worker threads.")
    var threads: Int = defaultThreads
    @OptionGroup var common: CommonOptions

    func run() throws {
        configureLogging(quiet: common.quiet)
        let m = try LifestyleModel.load(from: model)
        let (truth, summary) = try LabelsReader.load(labels, strict: common.strict)
        common.reportSkipped(summary)
        var listed: [String]?
        if let prospects {
            let (ids, s) = try ProspectsReader.load(prospects, strict: common.strict)
            common.reportSkipped(s)
            listed = ids
        }
        let outcome = try Evaluation.run(model: m, posts: posts, labels: truth, prospects: listed, threads: threads,
                                         strict: common.strict, quiet: common.quiet)
        print("evaluated \(outcome.labelled) users (\(outcome.knownBuyersSkipped) known buyers left out, \(outcome.unlabelled) without a label, "
              + "\(outcome.labelsWithoutPosts) labels without posts)")
        Rendering.metrics(outcome.metrics).forEach { print($0) }
        if !outcome.clusterOfPositives.isEmpty {
            print("positives by nearest cluster: " + outcome.clusterOfPositives.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        }
        for d in outcome.diagnostics { print("warning: \(d)") }
        if let gains {
            try AtomicFile.write(outcome.metrics.gainsCSV(), to: gains)
            let svg = gains.hasSuffix(".csv") ? String(gains.dropLast(4)) + ".svg" : gains + ".svg"
            try AtomicFile.write(Rendering.gainsSVG(outcome.metrics, title: "Gains: \(outcome.metrics.positives) buyers in \(outcome.metrics.pool)"), to: svg)
            print("gains curve: \(gains), chart: \(svg)")
            if let chart = Rendering.reliabilitySVG(outcome.metrics, title: "Reliability: score vs buyers, by decile") {
                let path = (gains.hasSuffix(".csv") ? String(gains.dropLast(4)) : gains) + "-reliability.svg"
                try AtomicFile.write(chart, to: path)
                print("reliability chart: \(path)")
            }
        }
    }
}

/// "5%" or "0.05" → 0.05.
func parseShare(_ text: String, option: String) throws -> Double {
    let t = text.trimmingCharacters(in: .whitespaces)
    let value: Double?
    if t.hasSuffix("%") { value = Double(t.dropLast()).map { $0 / 100 } } else { value = Double(t) }
    guard let v = value, v > 0, v <= 1 else { throw InputError(field: option, reason: "\"\(text)\" should be a share in (0, 100%], e.g. 5%") }
    return v
}
