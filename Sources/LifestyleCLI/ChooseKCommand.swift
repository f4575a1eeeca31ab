import ArgumentParser
import LifestyleClustering
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// `lifestyle choose-k`: fits a range of k and recommends one (objective, silhouette, stability).
struct ChooseKCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "choose-k",
        abstract: "Try a range of cluster counts and recommend one (objective curve, cosine silhouette, stability across seeds).",
        discussion: """
            For each k, --runs independently seeded fits are made; stability is their mean pairwise adjusted \
            Rand index, the silhouette is computed on a seeded sample of users for the best run. The \
            recommendation is the stable k with the highest silhouette; when another k is within --margin \
            the command says that no k is clearly better.
            """)

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .customLong("k-range"), help: "Cluster counts to try: MIN-MAX (every k) or a list, e.g. 4-16 or 5,8,12.")
    var kRange: String = "2-16"

    @Option(help: "Seeded runs per k (>= 2).")
    var runs: Int = 3

    @Option(help: "Reduce to D dimensions with randomised SVD (LSA) first.")
    var lsa: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Users scored by the silhouette.")
    var sample: Int = 5000

    @Option(help: "Silhouette difference below which two k count as equally good.")
    var margin: Double = 0.01

    @Option(help: "Worker threads.")
    var threads: Int = defaultThreads

    @OptionGroup var common: CommonOptions

    func parseKs() throws -> [Int] {
        let parts = kRange.split(separator: "-")
        if parts.count == 2, let lo = Int(parts[0]), let hi = Int(parts[1]), lo <= hi { return Array(lo...hi) }
        let list = kRange.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.count == kRange.split(separator: ",").count else {
            throw ValidationError("--k-range \(kRange): expected MIN-MAX or a comma-separated list")
        }
        return list
    }

    func run() throws {
        if !common.quiet, let hint = BLASInfo.slowKernelHint { writeStandardError("note: \(hint)\n") }
        let ks = try parseKs()
        let t0 = monotonicSeconds()
        let (_, _, x) = try corpus.vectorize(defaultMaxDF: "0.5", threads: threads, common: common)
        var chooser = try ChooseK(.init(ks: ks, runs: runs, seed: seed, silhouetteSample: sample, margin: margin, threads: threads))
        let bar = ProgressBar("k-means fits", total: ks.count * runs, quiet: common.quiet)
        chooser.progress = bar.update
        let result: ChooseK.Result
        if let lsa {
            let svd = try RandomizedSVD(.init(components: lsa, seed: seed, threads: threads)).fit(x)
            result = try chooser.evaluate(svd.embedding)
        } else {
            result = try chooser.evaluate(x)
        }
        bar.finish()
        print("documents: \(x.rows), features: \(x.columns)" + (lsa.map { ", LSA \($0) dimensions" } ?? ""))
        print("    k   objective  silhouette  stability(ARI)")
        for c in result.candidates {
            let mark = c.k == result.recommended ? "  ←" : ""
            print("\(String(repeating: " ", count: max(0, 5 - String(c.k).count)))\(c.k)  \(pad(fmt(c.objective, 2), 10))  \(pad(fmt(c.silhouette, 4), 10))  \(pad(fmt(c.stability, 3), 14))\(mark)")
        }
        if let k = result.recommended {
            print("recommended: k=\(k)\(result.clear ? "" : " (not clearly better)") — \(result.explanation)")
        } else {
            print("no recommendation — \(result.explanation)")
        }
        print("timings: \(formatSeconds(monotonicSeconds() - t0)) on \(threads) threads")
    }

    func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
}
