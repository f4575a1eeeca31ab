// k-means benchmark: sparse spherical k-means on review TF-IDF, randomised SVD (LSA), dense
// k-means on the LSA vectors, and a ×S scale run. Writes the matrices it used into --out so the
// Python peers (Benchmarks/kmeans/peer.py) run on exactly the same data; prints JSON lines.
//
// Usage: KMeansBench <reviews.tsv> --out DIR [--ks 10,100] [--sparse-ks K,…] [--lsa 128,256] [--iterations 20]
//                    [--threads 1,2] [--power-iterations 5] [--repeat 3] [--history]
// Each k-means measurement is the best of --repeat fits (the machine's cores are shared); --history
// also prints every iteration of each sparse best fit (seconds, assignment seconds, labels changed, shift).
//        KMeansBench <reviews.tsv> --scale 16 [--k 100]      (one sparse iteration at ×16, peak RSS)
import Foundation
import LifestyleClustering
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
func ints(_ s: String) -> [Int] { s.split(separator: ",").compactMap { Int($0) } }

let out = option("--out", "")
let ksOption = option("--ks", "10,100")
let ks = ints(ksOption)
let sparseKs = ints(option("--sparse-ks", ksOption))   // "" skips the sparse runs
let lsaDims = ints(option("--lsa", "128,256"))
let iterations = Int(option("--iterations", "20"))!
let threadSettings = ints(option("--threads", "1,2"))
let powerIterations = Int(option("--power-iterations", "5"))!
let scale = Int(option("--scale", "0"))!
let scaleK = Int(option("--k", "100"))!
let repeats = Int(option("--repeat", "3"))!
let showHistory = args.contains("--history")   // per-iteration lines of each sparse best fit
args.removeAll { $0 == "--history" }
guard let corpus = args.first else {
    writeStandardError("usage: KMeansBench <reviews.tsv> --out DIR | --scale S\n")
    exit(2)
}

func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    fflush(nil)
}

func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

func write<T>(_ array: [T], to path: String) throws {
    try array.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: path)) }
}

// The review TF-IDF: char (1,2)-grams, sublinear tf, min_df 2, L2 rows (as the TF-IDF benchmark).
var documents: [String] = []
try LineReader(path: corpus).forEachLine { _, line in
    let tab = line.lastIndex(of: 0x09).map { $0 + 1 } ?? 0
    documents.append(String(decoding: UnsafeBufferPointer(rebasing: line[tab...]), as: UTF8.self))
    return true
}
var vconfig = VectorizerConfiguration()
vconfig.minDF = .count(2)
let (_, x1) = try TFIDFVectorizer(vconfig, analyzer: .characters(try CharNGramAnalyzer(ngramMin: 1, ngramMax: 2))).fitTransform(documents)
documents = []

if scale > 0 {
    // ×S: the same rows stacked S times; one spherical iteration, then peak RSS against the CSR size.
    let x = CSRMatrix.stacking(Array(repeating: x1, count: scale), columns: x1.columns)
    let model = try KMeans(.init(k: scaleK, maxIterations: 1, tolerance: 0, seed: 0, initialization: .random, threads: 2)).fit(x)
    emit(["kind": "scale", "scale": scale, "rows": x.rows, "columns": x.columns, "nnz": x.nnz, "k": scaleK,
          "iteration_s": model.history[0].seconds, "assignment_s": model.history[0].assignmentSeconds,
          "csr_bytes": x.byteSize, "peak_rss_bytes": peakRSSBytes(),
          "rss_over_csr": Double(peakRSSBytes()) / Double(x.byteSize)])
    exit(0)
}

let x = x1
emit(["kind": "matrix", "rows": x.rows, "columns": x.columns, "nnz": x.nnz, "csr_bytes": x.byteSize, "gather_kernel": GatherKernel.name])
if !out.isEmpty {
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try write(Array(x.rowPointers.map { Int64($0) }), to: "\(out)/indptr.i64")
    try write(Array(x.columnIndices), to: "\(out)/indices.i32")
    try write(Array(x.values), to: "\(out)/data.f32")
    try "{\"rows\": \(x.rows), \"columns\": \(x.columns)}".write(toFile: "\(out)/shape.json", atomically: true, encoding: .utf8)
}

func meanSeconds(_ m: KMeansModel, _ key: KeyPath<KMeansIteration, Double>) -> Double {
    m.history.map { $0[keyPath: key] }.reduce(0, +) / Double(max(1, m.history.count))
}

/// The fit with the lowest mean seconds per iteration out of `r` identical fits.
func bestOf(_ r: Int, _ fit: () throws -> KMeansModel) rethrows -> KMeansModel {
    var best: KMeansModel?
    for _ in 0..<max(1, r) {
        let m = try fit()
        if best == nil || meanSeconds(m, \.seconds) < meanSeconds(best!, \.seconds) { best = m }
    }
    return best!
}

// Sparse spherical k-means: mean seconds per iteration (assignment + update), random init.
for k in sparseKs {
    for t in threadSettings {
        let m = try bestOf(repeats) { try KMeans(.init(k: k, maxIterations: iterations, tolerance: 0, seed: 0, initialization: .random, threads: t)).fit(x) }
        emit(["kind": "sparse", "k": k, "threads": t, "iterations": m.iterations, "iteration_s": meanSeconds(m, \.seconds),
              "assignment_s": meanSeconds(m, \.assignmentSeconds), "objective": m.objective])
        if showHistory {
            for (i, h) in m.history.enumerated() {
                emit(["kind": "sparse_iteration", "k": k, "threads": t, "iteration": i, "seconds": h.seconds,
                      "assignment_s": h.assignmentSeconds, "changed": h.changedLabels, "shift": h.centerShift])
            }
        }
    }
}

// Randomised SVD (LSA) to each dimension; the embedding feeds dense k-means here and faiss in the peer.
var embeddings: [Int: DenseMatrix] = [:]
for d in lsaDims {
    var best: TruncatedSVDModel?
    for t in threadSettings {
        let s = try RandomizedSVD(.init(components: d, oversamples: 10, powerIterations: powerIterations, seed: 0, threads: t)).fit(x)
        emit(["kind": "svd", "components": d, "threads": t, "power_iterations": powerIterations, "seconds": s.seconds,
              "relative_reconstruction_error": s.relativeReconstructionError, "sigma1": Double(s.singularValues[0])])
        if best == nil || s.seconds < best!.seconds { best = s }
    }
    embeddings[d] = best!.embedding
    if !out.isEmpty { try write(Array(best!.embedding.values), to: "\(out)/lsa\(d).f32") }
}

// Dense Lloyd k-means on the LSA vectors; the assignment step's GFLOP/s against sgemm alone.
for d in lsaDims {
    let e = embeddings[d]!
    for k in ks {
        let sgemmBest = threadSettings.map { KernelProbe.sgemmGFLOPS(m: e.rows, d: d, k: k, threads: $0) }.max()!
        // Plain Lloyd (every distance, for the GFLOP/s figure) and with Hamerly's bounds (the default).
        for pruning in [false, true] {
            for t in threadSettings {
                let m = try bestOf(repeats) {
                    try KMeans(.init(k: k, maxIterations: iterations, tolerance: 0, seed: 0, initialization: .random, algorithm: .lloyd,
                                     threads: t, boundPruning: pruning)).fit(e)
                }
                let assign = meanSeconds(m, \.assignmentSeconds)
                let flops = 2 * Double(e.rows) * Double(d) * Double(k)
                emit(["kind": "dense", "d": d, "k": k, "threads": t, "pruning": pruning, "iterations": m.iterations,
                      "iteration_s": meanSeconds(m, \.seconds), "assignment_s": assign,
                      "assignment_gflops": pruning ? 0 : flops / assign / 1e9, "sgemm_gflops": sgemmBest, "inertia": m.inertia])
            }
        }
    }
}
