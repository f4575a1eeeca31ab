import Foundation
import Testing
@testable import LifestyleClustering
import LifestyleVectors
import CLifestyleShims

/// The AVX-512 and AVX2 gather kernels (C, chosen at run time) against the portable Swift kernel:
/// the same bits for every width, stride and output stride, including empty rows, row ranges that
/// start inside the matrix, widths past one pass of registers, and values of both signs. Kernels
/// the CPU lacks are skipped (and say so), the portable one always runs.
@Suite struct GatherKernelTests {
    /// A CSR matrix with some empty rows and some long ones, entries in ascending column order.
    static func matrix(rows: Int, columns: Int, seed: UInt64) -> CSRMatrix {
        var rng = SeededGenerator(seed: seed)
        var ptr = ContiguousArray<Int>([0]), idx = ContiguousArray<Int32>(), val = ContiguousArray<Float>()
        for i in 0..<rows {
            let count = i % 7 == 3 ? 0 : (i % 11 == 5 ? columns / 2 : 1 + rng.nextInt(below: 12))
            let picked = Set((0..<count).map { _ in rng.nextInt(below: columns) }).sorted()
            for j in picked { idx.append(Int32(j)); val.append(Float(rng.nextUniform()) * 2 - 1) }
            ptr.append(idx.count)
        }
        return CSRMatrix(rows: rows, columns: columns, rowPointers: ptr, columnIndices: idx, values: val)
    }

    static var levels: [Int32] { Array(1...max(1, lifestyle_gather_detected_level())).filter { $0 <= lifestyle_gather_detected_level() } }

    func compare(_ x: CSRMatrix, width: Int, stride: Int, outStride: Int, rows: Range<Int>, seed: UInt64) -> [String] {
        var rng = SeededGenerator(seed: seed)
        let b = (0..<(x.columns * stride)).map { c in c % stride < width ? Float(rng.nextUniform()) * 2 - 1 : 0 }
        var failures: [String] = []
        x.rowPointers.withUnsafeBufferPointer { rp in
        x.columnIndices.withUnsafeBufferPointer { ci in
        x.values.withUnsafeBufferPointer { vs in
        b.withUnsafeBufferPointer { bp in
            var portable = [Float](repeating: -7, count: rows.count * width)
            portable.withUnsafeMutableBufferPointer { o in
                portableSparseGather(rows: rows, rowPointers: rp.baseAddress!, indices: ci.baseAddress!, values: vs.baseAddress!, nnz: ci.count,
                                     b: bp.baseAddress!, stride: stride, width: width, out: o.baseAddress!)
            }
            for level in Self.levels {
                // Sentinels between output rows must survive.
                var simd = [Float](repeating: -7, count: rows.count * outStride)
                let ran = simd.withUnsafeMutableBufferPointer { o in
                    simdSparseGather(level: level, rows: rows, rowPointers: rp.baseAddress!, indices: ci.baseAddress!, values: vs.baseAddress!,
                                     nnz: ci.count, b: bp.baseAddress!, stride: stride, width: width, out: o.baseAddress!, outStride: outStride)
                }
                guard ran else { failures.append("level \(level) did not run"); continue }
                for r in 0..<rows.count {
                    for t in 0..<outStride {
                        let got = simd[r * outStride + t]
                        if t < width {
                            let want = portable[r * width + t]
                            if got.bitPattern != want.bitPattern { failures.append("level \(level) width \(width) stride \(stride) row \(rows.lowerBound + r) lane \(t): \(got) vs \(want)") }
                        } else if got != -7 {
                            failures.append("level \(level) width \(width) wrote lane \(t) of row \(rows.lowerBound + r)")
                        }
                    }
                }
            }
        }}}}
        return failures
    }

    @Test func everyKernelGivesThePortableBits() throws {
        if lifestyle_gather_detected_level() == 0 { print("GatherKernelTests: this CPU has neither AVX2 nor AVX-512; only the portable kernel runs") }
        let x = Self.matrix(rows: 97, columns: 61, seed: 3)
        var failures: [String] = []
        // k-means tables (k rounded to 4 or 16), the SVD panels (rounded to 8), exact strides
        // (the portable kernel's scalar path) and widths past one pass of registers.
        var shapes: [(width: Int, stride: Int)] = []
        for k in 1...41 { shapes += [(k, (k + 3) & ~3), (k, (k + 15) & ~15), (k, k)] }
        shapes += [(100, 100), (100, 112), (266, 272), (300, 304), (520, 520), (16, 16), (12, 16)]
        for (n, shape) in shapes.enumerated() {
            failures += compare(x, width: shape.width, stride: shape.stride, outStride: shape.width, rows: 0..<x.rows, seed: UInt64(n))
        }
        // A row range inside the matrix, written with a wider output stride.
        failures += compare(x, width: 10, stride: 16, outStride: 13, rows: 20..<60, seed: 99)
        failures += compare(x, width: 37, stride: 40, outStride: 45, rows: 3..<4, seed: 98)
        let mismatches = failures.count
        #expect(mismatches == 0, "first: \(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test func theProcessKernelIsOneTheCPUHas() {
        #expect(GatherKernel.level >= 0 && GatherKernel.level <= lifestyle_gather_detected_level())
        #expect(["portable", "avx2", "avx512"].contains(GatherKernel.name))
        #expect(centerStride(10) % 4 == 0 && centerStride(10) >= 10)
    }
}
