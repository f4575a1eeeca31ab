import CLifestyleShims
import Dispatch
import Foundation
import LifestyleCore
import LifestyleVectors

/// Population lifestyles as topics of posts: a user-constrained mixture of unigrams.
///
/// Every post is about one topic; every user has a topic mix θᵤ. Term distributions φₖ are fitted
/// by EM on the raw term counts of all posts, starting from a spherical k-means of their TF-IDF
/// rows. A post's log-likelihood under a topic is tempered by τ (overlapping character n-grams
/// over-count evidence; τ = 1 would make every post a hard assignment):
///
///   E: R[p,k] ∝ θ[u(p),k] · exp(τ Σ_w cnt[p,w] ln φ[k,w])
///   M: φ[k,w] ∝ β + Σ_p R[p,k] cnt[p,w],  θ[u,k] ∝ α + Σ_{p∈u} R[p,k]
///
/// A new user's θ is found with φ fixed (`mix`), the same way for training and scoring, so a
/// user scores the same in `train` and in `score`.
public struct TopicModel: Sendable, Equatable {
    public let k: Int
    public let vocabulary: Int
    /// ln φ, feature-major (V × K), Float.
    public let logPhi: ContiguousArray<Float>
    public let temperature: Double
    public let alpha: Double
    public let beta: Double
    /// Iterations of the per-user fixed-φ EM.
    public let userIterations: Int

    public init(k: Int, vocabulary: Int, logPhi: ContiguousArray<Float>, temperature: Double, alpha: Double, beta: Double,
                userIterations: Int) {
        precondition(logPhi.count == k * vocabulary)
        self.k = k
        self.vocabulary = vocabulary
        self.logPhi = logPhi
        self.temperature = temperature
        self.alpha = alpha
        self.beta = beta
        self.userIterations = userIterations
    }

    public struct Configuration: Sendable {
        public var temperature = 0.1
        public var alpha = 0.5
        public var beta = 0.1
        public var iterations = 30
        public var userIterations = 30
        public var threads = 1
        public init() {}
    }

    /// Fits φ by EM.
    /// - Parameters:
    ///   - counts: raw term counts, one row per post, posts grouped by user.
    ///   - postStart: user u's posts are rows postStart[u] ..< postStart[u + 1].
    ///   - initialLabels: a hard topic per post (e.g. spherical k-means), values in 0..<k.
    public static func fit(counts: CSRMatrix, postStart: [Int], initialLabels: [Int32], k: Int,
                           configuration c: Configuration, progress: ((Int) -> Void)? = nil) -> TopicModel {
        let posts = counts.rows, v = counts.columns
        var r = [Double](repeating: 0, count: posts * k)
        for p in 0..<posts { r[p * k + Int(initialLabels[p])] = 1 }
        var logPhi = ContiguousArray<Float>(repeating: 0, count: v * k)
        let owner = ownerOfPost(postStart, posts: posts)
        for iteration in 0...c.iterations {
            logPhi = mStep(counts: counts, r: r, k: k, beta: c.beta, threads: c.threads)
            progress?(iteration)
            if iteration == c.iterations { break }
            let logTheta = userMix(r: r, postStart: postStart, k: k, alpha: c.alpha).map { log($0) }
            let a = postLogLikelihoods(counts, logPhi: logPhi, k: k, temperature: c.temperature, threads: c.threads)
            for p in 0..<posts {
                let u = owner[p]
                var m = -Double.infinity
                for t in 0..<k { m = max(m, a[p * k + t] + logTheta[u * k + t]) }
                var z = 0.0
                for t in 0..<k {
                    let e = exp(a[p * k + t] + logTheta[u * k + t] - m)
                    r[p * k + t] = e
                    z += e
                }
                for t in 0..<k { r[p * k + t] /= z }
            }
        }
        return TopicModel(k: k, vocabulary: v, logPhi: logPhi, temperature: c.temperature, alpha: c.alpha, beta: c.beta,
                          userIterations: c.userIterations)
    }

    /// φ from responsibilities: fixed chunks of posts with their own accumulators, summed in
    /// chunk order (the same result for any thread count).
    static func mStep(counts: CSRMatrix, r: [Double], k: Int, beta: Double, threads: Int) -> ContiguousArray<Float> {
        let v = counts.columns
        let chunks = 4
        let bounds = (0...chunks).map { counts.rows * $0 / chunks }
        let partial = Locked([[Double]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { ch in
            var acc = [Double](repeating: 0, count: v * k)
            for p in bounds[ch] ..< bounds[ch + 1] {
                for q in counts.rowPointers[p] ..< counts.rowPointers[p + 1] {
                    let w = Int(counts.columnIndices[q]) * k
                    let cnt = Double(counts.values[q])
                    for t in 0..<k { acc[w + t] += r[p * k + t] * cnt }
                }
            }
            partial.withLock { $0[ch] = acc }
        }
        let parts = partial.withLock { $0 }
        var total = [Double](repeating: beta, count: v * k)
        for part in parts { for i in 0..<(v * k) { total[i] += part[i] } }
        var sums = [Double](repeating: 0, count: k)
        for w in 0..<v { for t in 0..<k { sums[t] += total[w * k + t] } }
        var out = ContiguousArray<Float>(repeating: 0, count: v * k)
        for w in 0..<v { for t in 0..<k { out[w * k + t] = Float(log(total[w * k + t] / sums[t])) } }
        return out
    }

    static func userMix(r: [Double], postStart: [Int], k: Int, alpha: Double) -> [Double] {
        let users = postStart.count - 1
        var theta = [Double](repeating: 0, count: users * k)
        for u in 0..<users {
            var z = 0.0
            for t in 0..<k {
                var s = alpha
                for p in postStart[u] ..< postStart[u + 1] { s += r[p * k + t] }
                theta[u * k + t] = s
                z += s
            }
            for t in 0..<k { theta[u * k + t] /= z }
        }
        return theta
    }

    /// τ Σ_w cnt[p,w] ln φ[k,w] for every post and topic (posts × K).
    static func postLogLikelihoods(_ counts: CSRMatrix, logPhi: ContiguousArray<Float>, k: Int, temperature: Double, threads: Int) -> [Double] {
        var out = [Double](repeating: 0, count: counts.rows * k)
        let rows = counts.rows
        out.withUnsafeMutableBufferPointer { o in
            let base = UncheckedSendable(o.baseAddress!)
            logPhi.withUnsafeBufferPointer { lp in
                counts.rowPointers.withUnsafeBufferPointer { rp in
                    counts.columnIndices.withUnsafeBufferPointer { ci in
                        counts.values.withUnsafeBufferPointer { cv in
                            let lphi = UncheckedSendable(lp.baseAddress!)
                            let rpp = UncheckedSendable(rp.baseAddress!)
                            let cip = UncheckedSendable(ci.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                            let cvp = UncheckedSendable(cv.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                            let work: @Sendable (Int, Int) -> Void = { lo, hi in
                                let total = rpp.value[hi]
                                // ln φ rows are a random gather over the vocabulary (V × K floats,
                                // megabytes): fetch the rows 16 non-zeros ahead.
                                for q in rpp.value[lo] ..< min(total, rpp.value[lo] + 16) {
                                    lifestyle_prefetch(lphi.value + Int(cip.value[q]) * k)
                                }
                                for p in lo..<hi {
                                    let row = base.value + p * k
                                    for q in rpp.value[p] ..< rpp.value[p + 1] {
                                        if q + 16 < total { lifestyle_prefetch(lphi.value + Int(cip.value[q + 16]) * k) }
                                        let w = lphi.value + Int(cip.value[q]) * k
                                        let cnt = Double(cvp.value[q])
                                        for t in 0..<k { row[t] += cnt * Double(w[t]) }
                                    }
                                    for t in 0..<k { row[t] *= temperature }
                                }
                            }
                            if threads <= 1 || rows < 4096 {
                                work(0, rows)
                            } else {
                                let chunk = 1024
                                DispatchQueue.concurrentPerform(iterations: (rows + chunk - 1) / chunk) { c in
                                    work(c * chunk, min(rows, (c + 1) * chunk))
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Users' topic mixes θ with φ fixed (users × K). Posts are rows of `counts`, grouped by user.
    /// Each user's EM stops when no share moves by more than 1e-6 (or after `userIterations`).
    public func mix(counts: CSRMatrix, postStart: [Int]) -> [Double] {
        mixAndPrimary(counts: counts, postStart: postStart, primaryShare: nil).theta
    }

    /// θ, and with `primaryShare` ρ the posterior of each user's main topic: a user's posts come
    /// from their main topic with probability ρ and from the others otherwise, so
    /// P(main = k) ∝ Πₚ (ρ rₚₖ + (1 − ρ)(1 − rₚₖ)/(K − 1)) with rₚ each post's own topic posterior.
    public func mixAndPrimary(counts: CSRMatrix, postStart: [Int], primaryShare: Double?) -> (theta: [Double], primary: [Double]) {
        var a = Self.postLogLikelihoods(counts, logPhi: logPhi, k: k, temperature: temperature, threads: 1)
        let users = postStart.count - 1
        let k = self.k
        var theta = [Double](repeating: 1 / Double(k), count: users * k)
        // Shift every post's row by its maximum once: softmax is shift-invariant.
        for p in 0..<counts.rows {
            var m = -Double.infinity
            for t in 0..<k { m = max(m, a[p * k + t]) }
            for t in 0..<k { a[p * k + t] -= m }
        }
        // Each post's likelihoods as ratios to its best topic, exp(a − max) ∈ (0, 1], computed
        // once: an E step is then θ-weighted products, no exp or log per iteration (z ≥ the
        // smallest θ > 0, so it never vanishes).
        for i in 0..<a.count { a[i] = exp(a[i]) }
        var e = [Double](repeating: 0, count: k)
        a.withUnsafeBufferPointer { a in
            theta.withUnsafeMutableBufferPointer { theta in
                var votes = [Double](repeating: 0, count: k)
                votes.withUnsafeMutableBufferPointer { votes in
                    e.withUnsafeMutableBufferPointer { e in
                        for u in 0..<users {
                            let lo = postStart[u], hi = postStart[u + 1]
                            let denominator = Double(k) * alpha + Double(hi - lo)
                            let th = theta.baseAddress! + u * k
                            for _ in 0..<userIterations {
                                for t in 0..<k { votes[t] = 0 }
                                for p in lo..<hi {
                                    let ap = a.baseAddress! + p * k
                                    var z = 0.0
                                    for t in 0..<k { e[t] = ap[t] * th[t]; z += e[t] }
                                    let inv = 1 / z
                                    for t in 0..<k { votes[t] += e[t] * inv }
                                }
                                var change = 0.0
                                for t in 0..<k {
                                    let next = (alpha + votes[t]) / denominator
                                    change = max(change, abs(next - th[t]))
                                    th[t] = next
                                }
                                if change < 1e-6 { break }
                            }
                        }
                    }
                }
            }
        }
        guard let rho = primaryShare, k > 1 else { return (theta, []) }
        var primary = [Double](repeating: 0, count: users * k)
        var l = [Double](repeating: 0, count: k)
        for u in 0..<users {
            for t in 0..<k { l[t] = 0 }
            for p in postStart[u] ..< postStart[u + 1] {
                var z = 0.0
                for t in 0..<k { e[t] = a[p * k + t]; z += e[t] }
                for t in 0..<k {
                    let r = e[t] / z
                    l[t] += log(rho * r + (1 - rho) * (1 - r) / Double(k - 1))
                }
            }
            var m = -Double.infinity
            for t in 0..<k { m = max(m, l[t]) }
            var z = 0.0
            for t in 0..<k { l[t] = exp(l[t] - m); z += l[t] }
            for t in 0..<k { primary[u * k + t] = l[t] / z }
        }
        return (theta, primary)
    }

    static func ownerOfPost(_ postStart: [Int], posts: Int) -> [Int] {
        var owner = [Int](repeating: 0, count: posts)
        for u in 0..<(postStart.count - 1) { for p in postStart[u] ..< postStart[u + 1] { owner[p] = u } }
        return owner
    }
}
