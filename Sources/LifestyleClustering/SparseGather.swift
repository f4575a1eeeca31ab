import CLifestyleShims
import Foundation

/// The CSR × dense kernel behind every sparse product here: out[i, 0..<width] = Σ_p v_p · B[j_p, 0..<width]
/// over the stored entries (j_p, v_p) of row i, with B row-major (row stride `stride`).
///
/// Runs the AVX-512 or AVX2 kernel of `CLifestyleShims` when this process uses one (`GatherKernel.level`),
/// else `portableSparseGather`; every kernel sums each lane in entry order with separately rounded
/// products and sums, so the results are bit-identical whichever runs.
/// - Complexity: O(nnz(rows) · width); bound by the latency of gathering rows of B.
@inline(__always)
func sparseGather(
    rows: Range<Int>, rowPointers rp: UnsafePointer<Int>, indices idx: UnsafePointer<Int32>, values val: UnsafePointer<Float>,
    nnz: Int, b: UnsafePointer<Float>, stride: Int, width: Int, out: UnsafeMutablePointer<Float>
) {
    if simdSparseGather(level: GatherKernel.level, rows: rows, rowPointers: rp, indices: idx, values: val, nnz: nnz,
                        b: b, stride: stride, width: width, out: out, outStride: width) { return }
    portableSparseGather(rows: rows, rowPointers: rp, indices: idx, values: val, nnz: nnz, b: b, stride: stride, width: width, out: out)
}

/// The AVX-512 (`level` 2) or AVX2 (1) kernel on `portableSparseGather`'s arguments, writing output
/// rows `outStride` apart; false (nothing written) when the CPU lacks that kernel. Tests compare
/// every kernel the CPU has against the portable one.
func simdSparseGather(
    level: Int32, rows: Range<Int>, rowPointers rp: UnsafePointer<Int>, indices idx: UnsafePointer<Int32>, values val: UnsafePointer<Float>,
    nnz: Int, b: UnsafePointer<Float>, stride: Int, width: Int, out: UnsafeMutablePointer<Float>, outStride: Int
) -> Bool {
    guard level > 0, !rows.isEmpty else { return false }
    return lifestyle_csr_gather(level, rows.lowerBound, rows.upperBound, rp, idx, val, nnz, b, stride, width, out, outStride) != 0
}

/// The gather kernel of this process, fixed at start-up.
public enum GatherKernel {
    /// 2 AVX-512F, 1 AVX2, 0 portable Swift (SSE2): the best the CPU has, or the one the
    /// environment variable `LIFESTYLE_KERNEL` names (`portable`, `avx2`, `avx512`), capped at what the CPU has.
    public static let level: Int32 = {
        let best = lifestyle_gather_detected_level()
        switch ProcessInfo.processInfo.environment["LIFESTYLE_KERNEL"]?.lowercased() {
        case "portable": return 0
        case "avx2": return min(best, 1)
        default: return best
        }
    }()

    /// "avx512", "avx2" or "portable".
    public static var name: String { ["portable", "avx2", "avx512"][Int(level)] }
}

/// The Swift kernel (baseline SSE2): when `stride` is a multiple of 4 (k-means pads its feature-major centroids to that, the SVD
/// panels to a multiple of 8), columns are processed in tiles of 32, 16, 12, 8 or 4 whose
/// accumulators stay in SIMD registers for the whole row; otherwise a scalar loop accumulates in
/// `out`. The next gathers are prefetched.
/// - Complexity: O(nnz(rows) · width).
func portableSparseGather(
    rows: Range<Int>, rowPointers rp: UnsafePointer<Int>, indices idx: UnsafePointer<Int32>, values val: UnsafePointer<Float>,
    nnz: Int, b: UnsafePointer<Float>, stride: Int, width: Int, out: UnsafeMutablePointer<Float>
) {
    if stride % 4 != 0 {
        for i in rows {
            let acc = out + (i - rows.lowerBound) * width
            acc.initialize(repeating: 0, count: width)
            var p = rp[i]
            let end = rp[i + 1]
            while p < end {
                if p + 4 < nnz { lifestylePrefetch(b + Int(idx[p + 4]) &* stride) }
                let v = val[p]
                let c = b + Int(idx[p]) &* stride
                var t = 0
                while t < width { acc[t] += v * c[t]; t &+= 1 }
                p &+= 1
            }
        }
        return
    }
    let raw = UnsafeRawPointer(b)
    let rowBytes = stride * 4
    let lookahead = 8
    for i in rows {
        let row = out + (i - rows.lowerBound) * width
        let start = rp[i], end = rp[i + 1]
        var t0 = 0
        while t0 < width {
            let left = stride - t0
            if left >= 32 {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                var p = start
                while p < end {
                    if p + lookahead < nnz {
                        // The first tile pulls whole centre rows in; later tiles of the same row find them in L2.
                        let ahead = raw + (Int(idx[p + lookahead]) &* stride &+ t0) &* 4
                        if t0 == 0 {
                            var line = 0
                            while line < rowBytes { lifestylePrefetchRaw(ahead + line); line &+= 64 }
                            lifestylePrefetchRaw(ahead + (rowBytes &- 1))   // a row not starting on a line ends in one more
                        } else {
                            lifestylePrefetchRaw(ahead)
                            lifestylePrefetchRaw(ahead + 64)
                        }
                    }
                    let v = SIMD8<Float>(repeating: val[p])
                    let c = raw + (Int(idx[p]) &* stride &+ t0) &* 4
                    a0 += v * c.loadUnaligned(as: SIMD8<Float>.self)
                    a1 += v * c.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    a2 += v * c.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                    a3 += v * c.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                    p &+= 1
                }
                store(a0, row, t0, width); store(a1, row, t0 + 8, width); store(a2, row, t0 + 16, width); store(a3, row, t0 + 24, width)
                t0 += 32
            } else if left >= 16 {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
                var p = start
                while p < end {
                    if p + lookahead < nnz {
                        let ahead = raw + (Int(idx[p + lookahead]) &* stride &+ t0) &* 4
                        lifestylePrefetchRaw(ahead)
                        if t0 == 0 && rowBytes > 64 { lifestylePrefetchRaw(ahead + 64) }
                    }
                    let v = SIMD8<Float>(repeating: val[p])
                    let c = raw + (Int(idx[p]) &* stride &+ t0) &* 4
                    a0 += v * c.loadUnaligned(as: SIMD8<Float>.self)
                    a1 += v * c.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    p &+= 1
                }
                store(a0, row, t0, width); store(a1, row, t0 + 8, width)
                t0 += 16
            } else if left == 12 {
                // k = 9…12 in one pass; a 48-byte row may straddle two lines.
                var a0 = SIMD8<Float>(), a1 = SIMD4<Float>()
                var p = start
                while p < end {
                    if p + lookahead < nnz {
                        let ahead = raw + (Int(idx[p + lookahead]) &* stride &+ t0) &* 4
                        lifestylePrefetchRaw(ahead)
                        lifestylePrefetchRaw(ahead + 44)
                    }
                    let c = raw + (Int(idx[p]) &* stride &+ t0) &* 4
                    let v = val[p]
                    a0 += SIMD8(repeating: v) * c.loadUnaligned(as: SIMD8<Float>.self)
                    a1 += SIMD4(repeating: v) * c.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self)
                    p &+= 1
                }
                store(a0, row, t0, width)
                store(a1, row, t0 + 8, width)
                t0 += 12
            } else if left >= 8 {
                var a0 = SIMD8<Float>()
                var p = start
                while p < end {
                    if p + lookahead < nnz { lifestylePrefetchRaw(raw + (Int(idx[p + lookahead]) &* stride &+ t0) &* 4) }
                    let v = SIMD8<Float>(repeating: val[p])
                    a0 += v * (raw + (Int(idx[p]) &* stride &+ t0) &* 4).loadUnaligned(as: SIMD8<Float>.self)
                    p &+= 1
                }
                store(a0, row, t0, width)
                t0 += 8
            } else {
                var a0 = SIMD4<Float>()
                var p = start
                while p < end {
                    if p + lookahead < nnz { lifestylePrefetchRaw(raw + (Int(idx[p + lookahead]) &* stride &+ t0) &* 4) }
                    a0 += SIMD4(repeating: val[p]) * (raw + (Int(idx[p]) &* stride &+ t0) &* 4).loadUnaligned(as: SIMD4<Float>.self)
                    p &+= 1
                }
                store(a0, row, t0, width)
                t0 += 4
            }
        }
    }
}

/// Stores the lanes of `a` that fall below `width` at row[t0...].
@inline(__always)
private func store<V: SIMD>(_ a: V, _ row: UnsafeMutablePointer<Float>, _ t0: Int, _ width: Int) where V.Scalar == Float {
    if t0 + V.scalarCount <= width {
        UnsafeMutableRawPointer(row + t0).storeBytes(of: a, as: V.self)
    } else {
        for l in 0..<max(0, width - t0) { row[t0 + l] = a[l] }
    }
}

/// Row stride of the SVD panels: a multiple of 8 so their kernels can use whole SIMD8 loads.
@inline(__always)
func paddedWidth(_ k: Int) -> Int { (k + 7) & ~7 }

/// Feature-major row stride for k centroids: k rounded up to a multiple of 16 (one 64-byte
/// cache line per 16 centres) where the AVX-512 gather runs, whose loads cost twice as much when
/// they straddle two lines; otherwise to a multiple of 4, the portable kernel's narrowest tile
/// (k = 10 gathers 12 floats per non-zero instead of 16). Fixed for the process.
@inline(__always)
func centerStride(_ k: Int) -> Int { (k + centerStrideMultiple - 1) / centerStrideMultiple * centerStrideMultiple }

let centerStrideMultiple = GatherKernel.level >= 2 ? 16 : 4
