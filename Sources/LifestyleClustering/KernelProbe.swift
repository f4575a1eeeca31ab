import CBLAS
import LifestyleCore

/// Reference speeds of the BLAS kernels the engine builds on, for benchmarks that report how
/// close the k-means steps come to them.
public enum KernelProbe {
    /// GFLOP/s of one `cblas_sgemm` computing (m × d) · (d × k)ᵀ — the shape of a whole dense
    /// assignment step — on `threads` OpenBLAS threads; best of `repeats`.
    public static func sgemmGFLOPS(m: Int, d: Int, k: Int, threads: Int, repeats: Int = 5) -> Double {
        var rng = SeededGenerator(seed: 1)
        let a = (0..<(m * d)).map { _ in Float(rng.nextUniform()) }
        let b = (0..<(k * d)).map { _ in Float(rng.nextUniform()) }
        var c = [Float](repeating: 0, count: m * k)
        let best = withBLASThreads(threads) { () -> Double in
            var best = Double.infinity
            for _ in 0..<max(1, repeats) {
                let t0 = monotonicSeconds()
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(k), Int32(d), 1, a, Int32(d), b, Int32(d), 0, &c, Int32(k))
                best = min(best, monotonicSeconds() - t0)
            }
            return best
        }
        return 2 * Double(m) * Double(d) * Double(k) / best / 1e9
    }
}
