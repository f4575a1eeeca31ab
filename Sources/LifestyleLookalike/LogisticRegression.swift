import Foundation
import LifestyleText

/// L2-regularised logistic regression on a few dense features, fitted by Newton's method
/// (iteratively reweighted least squares) in double precision. Features are standardised
/// internally; the penalty does not apply to the intercept.
public struct LogisticRegression: Sendable, Codable, Equatable {
    /// Coefficients on the standardised features.
    public var weights: [Double]
    public var intercept: Double
    public var means: [Double]
    public var scales: [Double]
    public var iterations: Int
    public var converged: Bool

    public var featureCount: Int { weights.count }

    /// - Parameters:
    ///   - x: n × m, row-major.
    ///   - y: n labels.
    ///   - sampleWeights: optional per-row weights (class balancing).
    ///   - l2: penalty λ on ½‖w‖².
    public static func fit(x: [Double], rows n: Int, columns m: Int, y: [Bool], sampleWeights: [Double]? = nil,
                           l2: Double = 1, maxIterations: Int = 50, tolerance: Double = 1e-8) throws -> LogisticRegression {
        guard n > 0, m > 0, x.count == n * m, y.count == n else {
            throw ConfigurationError("logistic regression: \(n) rows × \(m) columns do not match \(x.count) values and \(y.count) labels")
        }
        guard y.contains(true), y.contains(false) else {
            throw ConfigurationError("logistic regression needs both classes (got only \(y.first == true ? "positives" : "negatives"))")
        }
        if let w = sampleWeights, w.count != n || w.contains(where: { !($0 >= 0) || !$0.isFinite }) {
            throw ConfigurationError("logistic regression: sample weights should be \(n) finite non-negative numbers")
        }
        if let bad = x.firstIndex(where: { !$0.isFinite }) {
            throw ConfigurationError("logistic regression: feature value \(x[bad]) at row \(bad / m), column \(bad % m) is not finite")
        }
        // Standardise.
        var means = [Double](repeating: 0, count: m), scales = [Double](repeating: 1, count: m)
        for i in 0..<n { for j in 0..<m { means[j] += x[i * m + j] } }
        for j in 0..<m { means[j] /= Double(n) }
        var variance = [Double](repeating: 0, count: m)
        for i in 0..<n { for j in 0..<m { let d = x[i * m + j] - means[j]; variance[j] += d * d } }
        for j in 0..<m { let s = (variance[j] / Double(n)).squareRoot(); scales[j] = s > 1e-12 ? s : 1 }
        var z = x
        for i in 0..<n { for j in 0..<m { z[i * m + j] = (x[i * m + j] - means[j]) / scales[j] } }

        let p = m + 1   // last parameter: intercept
        var beta = [Double](repeating: 0, count: p)
        let sw = sampleWeights ?? [Double](repeating: 1, count: n)
        let positive = zip(y, sw).reduce(0.0) { $0 + ($1.0 ? $1.1 : 0) }
        let total = sw.reduce(0, +)
        beta[m] = log(max(positive, 1e-9) / max(total - positive, 1e-9))
        var iterations = 0
        var converged = false
        var lastLoss = Double.infinity
        while iterations < maxIterations {
            iterations += 1
            var g = [Double](repeating: 0, count: p)
            var h = [Double](repeating: 0, count: p * p)
            var loss = 0.0
            for i in 0..<n {
                var eta = beta[m]
                for j in 0..<m { eta += beta[j] * z[i * m + j] }
                let mu = sigmoid(eta)
                let yi = y[i] ? 1.0 : 0.0
                loss -= sw[i] * (yi * logSigmoid(eta) + (1 - yi) * logSigmoid(-eta))
                let r = sw[i] * (mu - yi)
                let w = sw[i] * max(mu * (1 - mu), 1e-12)
                for a in 0..<p {
                    let za = a == m ? 1 : z[i * m + a]
                    g[a] += r * za
                    for b in 0...a {
                        let zb = b == m ? 1 : z[i * m + b]
                        h[a * p + b] += w * za * zb
                    }
                }
            }
            for a in 0..<m {
                loss += 0.5 * l2 * beta[a] * beta[a]
                g[a] += l2 * beta[a]
                h[a * p + a] += l2
            }
            for a in 0..<p { for b in 0..<a { h[b * p + a] = h[a * p + b] } }
            guard let step = choleskySolve(h, g, p) else { break }
            // Damped Newton: halve until the loss does not increase.
            var t = 1.0
            var next = beta
            for _ in 0..<30 {
                for a in 0..<p { next[a] = beta[a] - t * step[a] }
                if penalisedLoss(z, n, m, y, sw, next, l2) <= loss + 1e-12 { break }
                t /= 2
            }
            beta = next
            let decrease = lastLoss - loss
            lastLoss = loss
            if step.map({ abs($0) * t }).max()! < tolerance || (decrease >= 0 && decrease < tolerance * max(1, abs(loss))) {
                converged = true
                break
            }
        }
        return LogisticRegression(weights: Array(beta[0..<m]), intercept: beta[m], means: means, scales: scales,
                                  iterations: iterations, converged: converged)
    }

    /// The linear score of one row of raw (not standardised) features.
    @inline(__always)
    public func decision(_ row: UnsafeBufferPointer<Double>) -> Double {
        var eta = intercept
        for j in 0..<weights.count { eta += weights[j] * (row[j] - means[j]) / scales[j] }
        return eta
    }

    public func probability(_ row: [Double]) -> Double { row.withUnsafeBufferPointer { sigmoid(decision($0)) } }

    /// Each feature's contribution w·(x − mean)/scale to the decision of one row.
    public func contributions(_ row: [Double]) -> [Double] {
        (0..<weights.count).map { weights[$0] * (row[$0] - means[$0]) / scales[$0] }
    }
}

@inline(__always) func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }
@inline(__always) func logSigmoid(_ x: Double) -> Double { x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x)) }

private func penalisedLoss(_ z: [Double], _ n: Int, _ m: Int, _ y: [Bool], _ sw: [Double], _ beta: [Double], _ l2: Double) -> Double {
    var loss = 0.0
    for i in 0..<n {
        var eta = beta[m]
        for j in 0..<m { eta += beta[j] * z[i * m + j] }
        loss -= sw[i] * (y[i] ? logSigmoid(eta) : logSigmoid(-eta))
    }
    for a in 0..<m { loss += 0.5 * l2 * beta[a] * beta[a] }
    return loss
}

/// Solves H s = g for a symmetric positive-definite H (p × p) by Cholesky; nil if not SPD.
func choleskySolve(_ h: [Double], _ g: [Double], _ p: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: p * p)
    for i in 0..<p {
        for j in 0...i {
            var s = h[i * p + j]
            for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
            if i == j {
                guard s > 0 else { return nil }
                l[i * p + i] = s.squareRoot()
            } else {
                l[i * p + j] = s / l[j * p + j]
            }
        }
    }
    var y = g
    for i in 0..<p {
        var s = y[i]
        for k in 0..<i { s -= l[i * p + k] * y[k] }
        y[i] = s / l[i * p + i]
    }
    var x = y
    for i in stride(from: p - 1, through: 0, by: -1) {
        var s = x[i]
        for k in (i + 1)..<p { s -= l[k * p + i] * x[k] }
        x[i] = s / l[i * p + i]
    }
    return x
}
