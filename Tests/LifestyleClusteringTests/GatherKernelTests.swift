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

/// The fused spherical assignment (AVX-512, k ≤ 16) against the gather followed by the Swift scan
/// of `assignRows`: the same labels, distances (bits), summed objective and changed count, with
/// tied centres (the first must win), excluded rows and every k from 1 to 16.
@Suite struct SphericalAssignKernelTests {
    @Test func fusedAssignmentGivesTheScanResults() throws {
        let x = randomTopicMatrix(rows: 700, columns: 120, topics: 6, perRow: 12, seed: 21)
        let input = SparseInput(x)
        var rng = SeededGenerator(seed: 5)
        var ran = 0
        for k in 1...16 {
            let d = x.columns, kp = centerStride(k)
            var centers = (0..<(k * d)).map { _ in Float(rng.nextUniform()) - 0.3 }
            if k >= 3 { for j in 0..<d { centers[2 * d + j] = centers[j] } }   // centre 2 duplicates centre 0
            var scales = (0..<kp).map { c in c < k ? Float(0.5 + rng.nextUniform()) : 0 }
            if k >= 3 { scales[2] = scales[0] }
            let rowScale = (0..<x.rows).map { i in i % 37 == 5 ? 0 : Float(0.2 + rng.nextUniform()) }
            var aux = [Float](repeating: 0, count: input.auxiliaryCount(k: k))
            centers.withUnsafeBufferPointer { c in
                aux.withUnsafeMutableBufferPointer { a in _ = input.refreshAuxiliary(centers: c.baseAddress!, k: k, aux: a.baseAddress!, threads: 1) }
            }
            // Reference: the product block and the scan as assignRows writes it.
            var dots = [Float](repeating: 0, count: x.rows * k)
            aux.withUnsafeBufferPointer { a in
                centers.withUnsafeBufferPointer { c in
                    dots.withUnsafeMutableBufferPointer { o in input.dots(0..<x.rows, centers: c.baseAddress!, aux: a.baseAddress!, k: k, out: o.baseAddress!) }
                }
            }
            var wantLabels = [Int32](repeating: 1, count: x.rows), wantDistances = [Float](repeating: 0, count: x.rows)
            var wantObjective = 0.0, wantChanged = 0
            for i in 0..<x.rows {
                if rowScale[i] == 0 { wantLabels[i] = -1; continue }   // excluded: not counted as changed
                var best = 0, top = dots[i * k] * scales[0]
                for c in 1..<max(1, k) { let v = dots[i * k + c] * scales[c]; if v > top { top = v; best = c } }
                let distance = max(0, 1 - top * rowScale[i])
                if best != 1 { wantChanged += 1 }
                wantLabels[i] = Int32(best)
                wantDistances[i] = distance
                wantObjective += Double(distance)
            }
            var labels = [Int32](repeating: 1, count: x.rows), distances = [Float](repeating: 9, count: x.rows)
            let fused = aux.withUnsafeBufferPointer { a in
                scales.withUnsafeBufferPointer { s in
                    rowScale.withUnsafeBufferPointer { r in
                        labels.withUnsafeMutableBufferPointer { l in
                            distances.withUnsafeMutableBufferPointer { dist in
                                input.assignSpherical(0..<x.rows, aux: a.baseAddress!, k: k, centerScales: s.baseAddress!, rowScale: r.baseAddress!,
                                                      labels: l.baseAddress!, distances: dist.baseAddress!)
                            }
                        }
                    }
                }
            }
            guard let fused else {
                #expect(GatherKernel.level < 2, "the fused kernel should run on an AVX-512 CPU (k=\(k))")
                #expect(labels.allSatisfy { $0 == 1 } && distances.allSatisfy { $0 == 9 }, "nothing written when it does not run")
                continue
            }
            ran += 1
            #expect(labels == wantLabels, "k=\(k)")
            #expect(distances.map(\.bitPattern) == wantDistances.map(\.bitPattern), "k=\(k)")
            #expect(fused.objective == wantObjective && fused.changed == wantChanged, "k=\(k)")
            if k >= 3 { #expect(!labels.contains(2), "the duplicate of centre 0 never wins (k=\(k))") }
        }
        if GatherKernel.level < 2 { print("SphericalAssignKernelTests: no AVX-512 here; only the fallback (nil) was checked") } else { #expect(ran == 16) }
    }
}
