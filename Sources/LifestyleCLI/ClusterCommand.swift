import ArgumentParser
import Foundation
import LifestyleClustering
import LifestyleCore
import LifestyleText
import LifestyleVectors

extension KMeans.Initialization: ExpressibleByArgument {}
extension KMeans.Algorithm: ExpressibleByArgument {}

/// `lifestyle cluster`: TF-IDF → (optional LSA) → k-means; prints cluster sizes, top terms and timings.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster the users of a posts file by their text (spherical k-means on TF-IDF, or k-means after LSA).",
        discussion: """
            Each user's posts form one document. Without --lsa, spherical (cosine) k-means runs on the \
            sparse TF-IDF rows; with --lsa D, the rows are projected to D dimensions by randomised SVD, \
            re-normalised, and clustered there. Results are identical for any --threads.
            """)

    @OptionGroup var corpus: CorpusOptions

    @Option(help: "Number of clusters.")
    var k: Int

    @Option(help: "Reduce to D dimensions with randomised SVD (LSA) before clustering.")
    var lsa: Int?

    @Option(help: "Random seed (same seed, same clusters).")
    var seed: UInt64 = 0

    @Option(help: "Independent runs; the lowest objective wins.")
    var restarts: Int = 4

    @Option(name: .customLong("max-iterations"), help: "Iteration limit per run.")
    var maxIterations: Int = 100

    @Option(help: "Initialisation: k-means++, k-means||, random.")
    var initialization: KMeans.Initialization = .kMeansPlusPlus

    @Option(help: "spherical (cosine) or lloyd (Euclidean).")
    var algorithm: KMeans.Algorithm = .spherical

    @Option(help: "Top terms to print per cluster.")
    var top: Int = 12

    @Option(help: "CSV with user_id and a label column (e.g. corpora/demo/users.csv): report ARI/NMI against it.")
    var truth: String?

    @Option(help: "Worker threads.")
    var threads: Int = defaultThreads

    @OptionGroup var common: CommonOptions

    func run() throws {
        if !common.quiet, let hint = BLASInfo.slowKernelHint { writeStandardError("note: \(hint)\n") }
        let t0 = monotonicSeconds()
        let (docs, model, x) = try corpus.vectorize(defaultMaxDF: "0.5", threads: threads, common: common)
        let t1 = monotonicSeconds()
        let config = KMeans.Configuration(k: k, restarts: restarts, maxIterations: maxIterations, seed: seed,
                                          initialization: initialization, algorithm: algorithm, threads: threads)
        let bar = ProgressBar("k-means (k=\(k))", total: restarts * maxIterations, unit: "rounds", quiet: common.quiet)
        let kmeans = try KMeans(config).reporting(bar.update)
        var svd: TruncatedSVDModel?
        let fitted: KMeansModel
        if let lsa {
            let s = try RandomizedSVD(.init(components: lsa, seed: seed, threads: threads)).fit(x)
            svd = s
            fitted = try kmeans.fit(s.embedding)   // spherical on LSA vectors = cosine in the reduced space
        } else {
            fitted = try kmeans.fit(x)
        }
        bar.finish()
        let t2 = monotonicSeconds()

        print("documents: \(x.rows) (\(docs.posts) posts), features: \(x.columns), non-zeros: \(x.nnz)")
        if let svd {
            print("LSA: \(svd.rank) dimensions, σ₁=\(fmt(Double(svd.singularValues[0]), 3)) … σ\(svd.rank)=\(fmt(Double(svd.singularValues.last!), 3)), relative reconstruction error \(fmt(svd.relativeReconstructionError, 4)), \(formatSeconds(svd.seconds))")
            for w in svd.warnings { print("warning: \(w)") }
        }
        let what = algorithm == .spherical ? "Σ(1 − cos)" : "inertia"
        print("k-means (\(algorithm.rawValue), \(initialization.rawValue), k=\(k), \(restarts) restarts): objective \(what) = \(fmt(fitted.objective, 4)), "
              + "\(fitted.iterations) iterations, \(fitted.converged ? "converged" : "not converged")")
        for w in fitted.warnings { print("warning: \(w)") }

        // Term weights of each centroid: the centroid itself, or mapped back through the LSA components.
        let d = x.columns
        let order = (0..<k).sorted { fitted.clusterSizes[$0] != fitted.clusterSizes[$1] ? fitted.clusterSizes[$0] > fitted.clusterSizes[$1] : $0 < $1 }
        for c in order {
            var weights = [Float](repeating: 0, count: d)
            if let svd {
                let centroid = fitted.centroid(c)
                for (r, w) in centroid.enumerated() { for j in 0..<d { weights[j] += w * svd.components[r * d + j] } }
            } else {
                weights = fitted.centroid(c)
            }
            let best = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }.prefix(top)
            let share = 100 * Double(fitted.clusterSizes[c]) / Double(max(1, x.rows))
            print("cluster \(c): \(fitted.clusterSizes[c]) users (\(fmt(share, 1))%): " + best.map { model.featureName($0) }.joined(separator: " "))
        }
        if let truth {
            let truthLabels = try readTruth(truth, ids: docs.ids)
            let predicted = zip(fitted.labels, truthLabels).map { $1 < 0 ? Int32(-1) : $0 }
            print("against \(truth): ARI \(fmt(ClusterQuality.adjustedRandIndex(predicted, truthLabels), 3)), NMI \(fmt(ClusterQuality.normalizedMutualInformation(predicted, truthLabels), 3)) (\(truthLabels.filter { $0 >= 0 }.count) users labelled)")
        }
        print("timings: read+vectorize \(formatSeconds(t1 - t0)), " + (svd.map { "LSA \(formatSeconds($0.seconds)), " } ?? "")
              + "k-means \(formatSeconds(t2 - t1 - (svd?.seconds ?? 0))) (init \(formatSeconds(fitted.initializationSeconds)), iterations \(formatSeconds(fitted.iterationSeconds)), "
              + "\(fmt(1000 * fitted.history.map(\.seconds).reduce(0, +) / Double(max(1, fitted.history.count)), 1)) ms/iteration) on \(threads) threads")
    }
}

/// Labels from a `user_id,label[,…]` CSV, aligned with `ids` (−1 for users not in the file).
func readTruth(_ path: String, ids: [String]) throws -> [Int32] {
    let text = String(decoding: try AtomicFile.read(path), as: UTF8.self)
    var label: [String: Int32] = [:], codes: [String: Int32] = [:]
    for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() where n > 0 {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 2 else { throw InputError(file: path, line: n + 1, reason: "expected user_id,label") }
        let name = String(fields[1])
        let code = codes[name] ?? { let c = Int32(codes.count); codes[name] = c; return c }()
        label[String(fields[0])] = code
    }
    return ids.map { label[$0] ?? -1 }
}
