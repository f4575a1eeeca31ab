/// A small, fast, seedable random generator (SplitMix64) so every fit is reproducible from its seed.
///
/// The system generator is never used: results must not depend on the platform or the run.
/// SplitMix64 passes BigCrush and needs one 64-bit word of state.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The SplitMix64 state, for kernels that continue the same sequence outside Swift.
    var rawState: UInt64 { state }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in 0..<bound (Lemire's multiply-shift with rejection; unbiased). `bound > 0`.
    @inline(__always)
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextUniform(), 0x1.0p-60)
        let u2 = nextUniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Fills a buffer with standard normal deviates (Box–Muller, both of each pair used).
    public mutating func fillGaussian(_ out: UnsafeMutableBufferPointer<Float>) {
        var i = 0
        while i < out.count {
            let u1 = max(nextUniform(), 0x1.0p-60), u2 = nextUniform()
            let radius = (-2 * _log(u1)).squareRoot(), angle = 2 * Double.pi * u2
            out[i] = Float(radius * _cos(angle))
            if i + 1 < out.count { out[i + 1] = Float(radius * _sin(angle)) }
            i += 2
        }
    }

    /// An independent stream for sub-task `index` (restart r, bootstrap b) derived from `seed`.
    public static func stream(seed: UInt64, index: Int) -> SeededGenerator {
        var g = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return SeededGenerator(seed: g.next())
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#else
import Foundation
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Foundation.sin(x) }
#endif
