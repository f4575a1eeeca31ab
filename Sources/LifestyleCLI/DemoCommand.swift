import ArgumentParser
import LifestyleCRM
import LifestyleClustering
import LifestyleCore
import LifestyleLookalike
import LifestyleText
import LifestyleVectors

/// `lifestyle demo`: the whole S-CRM loop on the shipped demo corpus and its simulated CRM.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole loop on the shipped demo data (corpora/demo): train → describe → score → eval.")

    @Option(help: "Demo data directory (posts.jsonl, purchases.csv, accounts.csv, truth.csv, users.csv).")
    var data: String = "corpora/demo"

    @Option(help: "Output directory.")
    var out: String = "demo-output"

    @Option(help: "Worker threads.")
    var threads: Int = defaultThreads

    @OptionGroup var common: CommonOptions

    func run() throws {
        configureLogging(quiet: common.quiet)
        let posts = "\(data)/posts.jsonl", purchases = "\(data)/purchases.csv", accounts = "\(data)/accounts.csv"
        for f in [posts, purchases, accounts] where !AtomicFile.exists(f) {
            throw InputError(file: f, reason: "not found: run from the repository root or pass --data")
        }
        let t0 = monotonicSeconds()
        func step(_ s: String) { print("\n== \(s) (\(formatSeconds(monotonicSeconds() - t0)))") }
        try AtomicFile.createDirectories(out)

        step("1. train: quality customers → lifestyle clusters → purchase likelihood (seed 1)")
        var p = TrainingParameters()
        p.seed = 1
        // The demo corpus is small and written from templates: shorter discovered words with
        // more evidence describe it best (see DiscoverCommand for the PKU-tuned defaults).
        p.wordMaxLength = 3
        let (model, report) = try Trainer(parameters: p, threads: threads, quiet: common.quiet)
            .train(TrainingInputs(posts: posts, purchases: purchases, accounts: accounts, strict: common.strict))
        for s in [report.postsSummary, report.purchasesSummary, report.accountsSummary] {
            print(s)
            common.reportSkipped(s)
        }
        print("quality customers: " + report.link.summary())
        let c = model.manifest.corpus
        print("\(c.users) users, \(c.posts) posts, \(c.features) features, \(report.lexiconWords) discovered words; "
              + "\(c.knownBuyers) known buyers, \(c.clusteredSeeds) seeds clustered")
        print("k = \(model.manifest.k) (\(report.kChoice))")
        let usersCSV = "\(data)/users.csv"
        if AtomicFile.exists(usersCSV) {
            let labels = try readTruth(usersCSV, ids: report.seedClusters.map(\.userID))
            let predicted = report.seedClusters.map { Int32($0.cluster) }
            print("seed clusters vs the generator's primary lifestyles (users.csv): NMI \(fmt(ClusterQuality.normalizedMutualInformation(predicted, labels), 3))")
        }
        for w in report.clusteringWarnings + report.diagnostics { print("warning: \(w)") }
        print("timings: " + report.stages.map { "\($0.name) \(formatSeconds($0.seconds))" }.joined(separator: ", "))
        let modelPath = "\(out)/model"
        try model.save(to: modelPath)

        step("2. describe: the lifestyle cluster cards")
        let loaded = try LifestyleModel.load(from: modelPath)
        Rendering.cards(loaded.cards).forEach { print($0) }

        step("3. score: every user who is not a known buyer")
        let scoresPath = "\(out)/scores.csv"
        var runner = ScoringRun(model: loaded, threads: threads)
        runner.quiet = common.quiet
        let scored = try runner.run(posts: posts, prospects: nil) {
            try ScoreWriter(output: scoresPath, referencePercentile: { loaded.likelihood.referencePercentile($0) })
        }
        print("scored \(scored.scored) users (\(scored.knownBuyersSkipped) known buyers left out); best five:")
        let text = String(decoding: try AtomicFile.read(scoresPath), as: UTF8.self)
        for line in text.split(separator: "\n").prefix(6) { print("  \(line)") }

        let truth = "\(data)/truth.csv"
        var gainsPath: String?
        var reliabilityPath: String?
        if AtomicFile.exists(truth) {
            step("4. eval: the ranking against the simulation's answer key (truth.csv: purchaser)")
            let (labels, _) = try LabelsReader.load(truth, strict: common.strict)
            let outcome = try Evaluation.run(model: loaded, posts: posts, labels: labels, prospects: nil, threads: threads,
                                             strict: common.strict, quiet: common.quiet)
            Rendering.metrics(outcome.metrics).forEach { print($0) }
            for d in outcome.diagnostics { print("warning: \(d)") }
            gainsPath = "\(out)/gains.csv"
            try AtomicFile.write(outcome.metrics.gainsCSV(), to: gainsPath!)
            try AtomicFile.write(Rendering.gainsSVG(outcome.metrics, title: "Demo gains: \(outcome.metrics.positives) hidden buyers"), to: "\(out)/gains.svg")
            if let chart = Rendering.reliabilitySVG(outcome.metrics, title: "Demo reliability: score vs buyers, by decile") {
                reliabilityPath = "\(out)/reliability.svg"
                try AtomicFile.write(chart, to: reliabilityPath!)
            }
        }

        step("done")
        print("model:  \(modelPath)/  (lifestyle describe \(modelPath))")
        print("scores: \(scoresPath)")
        if let gainsPath { print("gains:  \(gainsPath), chart \(out)/gains.svg" + (reliabilityPath.map { "; reliability chart \($0)" } ?? "")) }
        print("next:   lifestyle score --model \(modelPath) --posts \(posts) --top 20")
    }
}
