import Testing
@testable import LifestyleClustering
import CLifestyleShims

/// Dense Lloyd's nearest-centre scans (C, AVX-512F / AVX2 / scalar) against a plain Swift
/// reference written from their contract: the same index and the same bits for every k (tails of
/// every length), ties (the lowest index wins; a repeated minimum is also the second smallest),
/// values clamped at zero, a row stride wider than k, and an index list for ‖x‖².
@Suite struct NearestKernelTests {
    static var levels: [Int32] { Array(0...lifestyle_gather_detected_level()) }

    /// m rows of products. ‖c‖² alternates between two values, so equal products at positions of
    /// the same parity give equal distances; rows by r mod 5 are random, or hold their smallest
    /// distance twice in one SIMD lane (c and c + 16, or + 8 or + 2 when k is short), or their two
    /// smallest in one lane in either order, or a tie across lanes (c and c + 2).
    static func block(m: Int, k: Int, ld: Int, seed: UInt64) -> (block: [Float], cn2: [Float], xn2: [Float]) {
        var rng = SeededGenerator(seed: seed)
        var block = [Float](repeating: .nan, count: m * ld)   // lanes past k must never be read
        for r in 0..<m {
            for c in 0..<k { block[r * ld + c] = Float(rng.nextInt(below: 64)) / 16 - 1 }
            let j = rng.nextInt(below: k)
            guard let partner = [j + 16, j + 8, j + 2].first(where: { $0 < k }) else { continue }
            switch r % 5 {
            case 1: block[r * ld + j] = 3.5; block[r * ld + partner] = 3.5
            case 2: block[r * ld + j] = 3.5; block[r * ld + partner] = 3.25
            case 3: block[r * ld + j] = 3.25; block[r * ld + partner] = 3.5
            case 4 where j + 2 < k: block[r * ld + j] = 3.5; block[r * ld + j + 2] = 3.5
            default: break
            }
        }
        let cn2 = (0..<k).map { c in c % 2 == 0 ? Float(0.5) : Float(0.75) }
        // ‖x‖² large enough that distances stay positive, except every fourth, where many clamp to 0.
        let xn2 = (0..<(2 * m)).map { i in i % 4 == 1 ? Float(0) : 8 + Float(rng.nextInt(below: 48)) / 16 }
        return (block, cn2, xn2)
    }

    @Test func argminMatchesTheScalarContractOnEveryKernel() {
        for k in [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 129] {
            let m = 37, ld = k + (k % 3)
            let (block, cn2, _) = Self.block(m: m, k: k, ld: ld, seed: UInt64(k))
            for level in Self.levels {
                var best = [Int32](repeating: -1, count: m), low = [Float](repeating: .nan, count: m)
                lifestyle_argmin_shifted(level, block, m, k, ld, cn2, &best, &low)
                for r in 0..<m {
                    var want = 0
                    var value = cn2[0] - 2 * block[r * ld]
                    for c in 1..<k where cn2[c] - 2 * block[r * ld + c] < value { value = cn2[c] - 2 * block[r * ld + c]; want = c }
                    #expect(best[r] == Int32(want), "level \(level) k \(k) row \(r)")
                    #expect(low[r].bitPattern == value.bitPattern, "level \(level) k \(k) row \(r): \(low[r]) vs \(value)")
                }
            }
        }
    }

    /// The contract in Swift: the argmin and the two smallest of u_c = ‖c‖² − 2x·c, then
    /// max(0, ‖x‖² + u) for each (NaN counted as 0).
    static func twoNearest(_ row: ArraySlice<Float>, cn2: [Float], x2: Float) -> (best: Int32, first: Float, second: Float) {
        let u = zip(cn2, row).map { $0 - 2 * $1 }
        let smallest = u.min()!
        let at = u.firstIndex(of: smallest)!
        var rest = u
        rest.remove(at: at)
        func clamp(_ v: Float) -> Float { let t = x2 + v; return t >= 0 ? t : 0 }
        return (Int32(at), clamp(smallest), clamp(rest.min() ?? .infinity))
    }

    @Test func twoNearestMatchesTheScalarContractOnEveryKernel() {
        for k in [2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 129] {
            let m = 41, ld = k + 5
            let (block, cn2, xn2) = Self.block(m: m, k: k, ld: ld, seed: 100 + UInt64(k))
            let rows = (0..<m).map { 2 * $0 + 1 }   // ‖x‖² through an index list
            for level in Self.levels {
                var best = [Int32](repeating: -1, count: m)
                var first = [Float](repeating: .nan, count: m), second = [Float](repeating: .nan, count: m)
                lifestyle_two_nearest(level, block, m, k, ld, xn2, rows, cn2, &best, &first, &second)
                for r in 0..<m {
                    let want = Self.twoNearest(block[(r * ld)..<(r * ld + k)], cn2: cn2, x2: xn2[rows[r]])
                    #expect(best[r] == want.best, "level \(level) k \(k) row \(r)")
                    #expect(first[r].bitPattern == want.first.bitPattern, "level \(level) k \(k) row \(r)")
                    #expect(second[r].bitPattern == want.second.bitPattern, "level \(level) k \(k) row \(r): \(second[r]) vs \(want.second)")
                }
            }
        }
    }

    /// With no index list ‖x‖² is read at the row's own position.
    @Test func twoNearestWithoutAnIndexList() {
        let k = 20, m = 9
        let (block, cn2, xn2) = Self.block(m: m, k: k, ld: k, seed: 7)
        for level in Self.levels {
            var best = [Int32](repeating: -1, count: m)
            var first = [Float](repeating: .nan, count: m), second = [Float](repeating: .nan, count: m)
            lifestyle_two_nearest(level, block, m, k, k, xn2, nil, cn2, &best, &first, &second)
            for r in 0..<m {
                let want = Self.twoNearest(block[(r * k)..<(r * k + k)], cn2: cn2, x2: xn2[r])
                #expect(best[r] == want.best, "level \(level) row \(r)")
                #expect(first[r].bitPattern == want.first.bitPattern, "level \(level) row \(r)")
                #expect(second[r].bitPattern == want.second.bitPattern, "level \(level) row \(r)")
            }
        }
    }

    /// Hamerly's scan and the plain one agree on every row: the same index, and the same distance
    /// as plain Lloyd's max(0, ‖x‖² + low).
    @Test func twoNearestAgreesWithThePlainScan() {
        for k in [2, 9, 16, 40] {
            let m = 50
            let (block, cn2, xn2) = Self.block(m: m, k: k, ld: k, seed: 300 + UInt64(k))
            for level in Self.levels {
                var best = [Int32](repeating: -1, count: m), low = [Float](repeating: .nan, count: m)
                lifestyle_argmin_shifted(level, block, m, k, k, cn2, &best, &low)
                var best2 = [Int32](repeating: -1, count: m)
                var first = [Float](repeating: .nan, count: m), second = [Float](repeating: .nan, count: m)
                lifestyle_two_nearest(level, block, m, k, k, xn2, nil, cn2, &best2, &first, &second)
                #expect(best == best2, "level \(level) k \(k)")
                for r in 0..<m { #expect(first[r] == max(0, xn2[r] + low[r]), "level \(level) k \(k) row \(r)") }
            }
        }
    }

    /// Lloyd's Double sums: every kernel adds and subtracts the same rows into the same bits as
    /// the scalar loop, for column ranges with tails of every length, with and without a row list.
    @Test func lloydSumsGiveTheScalarBitsOnEveryKernel() {
        var rng = SeededGenerator(seed: 21)
        let n = 300, d = 45, k = 7
        let x = (0..<(n * d)).map { _ in Float(rng.nextGaussian()) * 3 }
        let to = (0..<n).map { i in i % 13 == 4 ? Int32(-1) : Int32(rng.nextInt(below: k)) }
        let from = (0..<n).map { i in i % 11 == 2 ? Int32(-1) : Int32(rng.nextInt(below: k)) }
        let rows = (0..<n).filter { $0 % 3 != 1 }
        let start = (0..<(k * d)).map { _ in rng.nextUniform() * 100 - 50 }
        for (j0, j1) in [(0, 45), (0, 1), (3, 10), (5, 21), (16, 45), (44, 45), (8, 40)] {
            var reference = start, moved = start
            lifestyle_lloyd_sums(0, x, d, j0, j1, nil, n, nil, to, &reference)
            lifestyle_lloyd_sums(0, x, d, j0, j1, rows, rows.count, from, to, &moved)
            // The scalar kernel against the contract, in Double.
            var want = start
            for i in 0..<n where to[i] >= 0 { for j in j0..<j1 { want[Int(to[i]) * d + j] += Double(x[i * d + j]) } }
            #expect(reference == want, "columns \(j0)..<\(j1)")
            var wantMoved = start
            for i in rows {
                if from[i] >= 0 { for j in j0..<j1 { wantMoved[Int(from[i]) * d + j] -= Double(x[i * d + j]) } }
                if to[i] >= 0 { for j in j0..<j1 { wantMoved[Int(to[i]) * d + j] += Double(x[i * d + j]) } }
            }
            #expect(moved == wantMoved, "columns \(j0)..<\(j1), moved rows")
            for level in Self.levels.dropFirst() {
                var a = start, b = start
                lifestyle_lloyd_sums(level, x, d, j0, j1, nil, n, nil, to, &a)
                lifestyle_lloyd_sums(level, x, d, j0, j1, rows, rows.count, from, to, &b)
                #expect(a.map(\.bitPattern) == reference.map(\.bitPattern), "level \(level) columns \(j0)..<\(j1)")
                #expect(b.map(\.bitPattern) == moved.map(\.bitPattern), "level \(level) columns \(j0)..<\(j1), moved rows")
            }
        }
    }
}
