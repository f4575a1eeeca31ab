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
                    let values = (0..<k).map { c in max(0, xn2[rows[r]] + cn2[c] - 2 * block[r * ld + c]) }
                    let smallest = values.min()!
                    let want = values.firstIndex(of: smallest)!
                    var rest = values
                    rest.remove(at: want)
                    #expect(best[r] == Int32(want), "level \(level) k \(k) row \(r)")
                    #expect(first[r].bitPattern == smallest.bitPattern, "level \(level) k \(k) row \(r)")
                    #expect(second[r].bitPattern == rest.min()!.bitPattern, "level \(level) k \(k) row \(r): \(second[r]) vs \(rest.min()!)")
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
                let values = (0..<k).map { c in max(0, xn2[r] + cn2[c] - 2 * block[r * k + c]) }
                #expect(first[r] == values.min()!, "level \(level) row \(r)")
                #expect(best[r] == Int32(values.firstIndex(of: values.min()!)!), "level \(level) row \(r)")
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
