import Foundation
@testable import LifestyleClustering
import LifestyleVectors

/// Committed reference data made by Fixtures/make_reference.py.
enum ReferenceFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Lloyd: Decodable {
        let rows: Int, columns: Int, k: Int
        let `init`: [Float]
        let labels: [Int32]
        let inertia: Double
        let n_iter: Int
        let centers: [Float]
        let values: [Float]
        let indptr: [Int]?
        let indices: [Int32]?
    }

    struct SVD: Decodable {
        let rows: Int, columns: Int
        let indptr: [Int], indices: [Int32], values: [Float]
        let singular_values: [Double]
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

/// CSR from dense rows (tests only).
func csr(_ rows: [[Float]]) -> CSRMatrix {
    var ptr = ContiguousArray<Int>([0]), idx = ContiguousArray<Int32>(), val = ContiguousArray<Float>()
    for r in rows {
        for (j, v) in r.enumerated() where v != 0 { idx.append(Int32(j)); val.append(v) }
        ptr.append(idx.count)
    }
    return CSRMatrix(rows: rows.count, columns: rows.first?.count ?? 0, rowPointers: ptr, columnIndices: idx, values: val)
}

/// A seeded random sparse non-negative matrix with L2-normalised rows and some cluster structure:
/// row i draws most of its entries from the feature block of topic i % topics.
func randomTopicMatrix(rows: Int, columns: Int, topics: Int, perRow: Int, seed: UInt64) -> CSRMatrix {
    var rng = SeededGenerator(seed: seed)
    var ptr = ContiguousArray<Int>([0]), idx = ContiguousArray<Int32>(), val = ContiguousArray<Float>()
    let block = columns / topics
    for i in 0..<rows {
        var entries: [Int32: Float] = [:]
        for e in 0..<perRow {
            let j = e % 3 == 0 ? rng.nextInt(below: columns) : (i % topics) * block + rng.nextInt(below: block)
            entries[Int32(j), default: 0] += Float(rng.nextUniform()) + 0.1
        }
        let keys = entries.keys.sorted()
        let norm = keys.reduce(Float(0)) { $0 + entries[$1]! * entries[$1]! }.squareRoot()
        for j in keys { idx.append(j); val.append(entries[j]! / norm) }
        ptr.append(idx.count)
    }
    return CSRMatrix(rows: rows, columns: columns, rowPointers: ptr, columnIndices: idx, values: val)
}

/// True when two labelings are the same partition (equal up to renaming clusters).
func samePartition(_ a: [Int32], _ b: [Int32]) -> Bool {
    guard a.count == b.count else { return false }
    var forward: [Int32: Int32] = [:], backward: [Int32: Int32] = [:]
    for (x, y) in zip(a, b) {
        if let m = forward[x], m != y { return false }
        if let m = backward[y], m != x { return false }
        forward[x] = y
        backward[y] = x
    }
    return true
}

func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }
