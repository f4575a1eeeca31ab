/// The level-1 vector operations whose results feed model files, in fixed-order Swift.
///
/// OpenBLAS picks its level-1 kernels by CPU, and their reductions (`sdot`, `snrm2`) and `saxpy`
/// (fused multiply-add or not) differ in the last bits between, say, its generic x86-64 kernels
/// and its Zen or Haswell ones: a model trained on one machine would not be byte-identical to one
/// trained on another. These loops give the same bits on every x86-64 and ARM CPU (Swift never
/// contracts a multiply and an add): eight lanes of partial sums, combined in a fixed order.
/// `cblas_sscal` (one rounding per element whatever the kernel) and the GEMM of the assignment
/// stay with BLAS.

/// Σ xᵢ² (Float, eight fixed lanes).
@inline(__always)
func squaredNorm(_ x: UnsafePointer<Float>, count n: Int) -> Float {
    dot(x, x, count: n)
}

/// Σ xᵢyᵢ (Float, eight fixed lanes: lane t sums the products at positions ≡ t mod 8 in order,
/// then the lanes are added pairwise).
@inline(__always)
func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
    var lanes = SIMD8<Float>()
    var j = 0
    let raw = (UnsafeRawPointer(x), UnsafeRawPointer(y))
    while j &+ 8 <= n {
        let a = raw.0.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Float>.self)
        let b = raw.1.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Float>.self)
        lanes += a * b
        j &+= 8
    }
    var t = 0
    while j < n {
        lanes[t] += x[j] * y[j]
        j &+= 1
        t &+= 1
    }
    return pairwiseSum(lanes)
}

/// Σ xᵢ² in Double (each square exact; eight fixed lanes as in `dot`).
@inline(__always)
func squaredNormDouble(_ x: UnsafePointer<Float>, count n: Int) -> Double {
    var lanes = SIMD8<Double>()
    var j = 0
    let raw = UnsafeRawPointer(x)
    while j &+ 8 <= n {
        let a = SIMD8<Double>(raw.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Float>.self))
        lanes += a * a
        j &+= 8
    }
    var t = 0
    while j < n {
        let a = Double(x[j])
        lanes[t] += a * a
        j &+= 1
        t &+= 1
    }
    return pairwiseSum(lanes)
}

/// The lanes of a partial-sum vector added pairwise: halves, then quarters, then the last two.
@inline(__always)
func pairwiseSum<T: SIMDScalar & BinaryFloatingPoint>(_ lanes: SIMD8<T>) -> T {
    let four = lanes.lowHalf + lanes.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}

/// y += a·x, the product rounded before the sum.
@inline(__always)
func addScaled(_ x: UnsafePointer<Float>, _ a: Float, into y: UnsafeMutablePointer<Float>, count n: Int) {
    for j in 0..<n { y[j] += a * x[j] }
}
