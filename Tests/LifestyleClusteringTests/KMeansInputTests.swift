import Testing
@testable import LifestyleClustering
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// Bad input and degenerate data.
@Suite struct KMeansInputTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch let e as ConfigurationError { return e.message } catch { return "\(error)" }
    }

    @Test func kOutOfRange() throws {
        let x = csr([[1, 0], [0, 1], [1, 1]])
        #expect(message { _ = try KMeans(.init(k: 0)) } == "k=0 should be >= 1")
        #expect(message { _ = try KMeans(.init(k: -3)) } == "k=-3 should be >= 1")
        #expect(message { _ = try KMeans(.init(k: 50)).fit(x) } == "k=50 should be <= number of rows=3")
        #expect(message { _ = try KMeans(.init(k: 2, restarts: 0)) } == "restarts=0 should be >= 1")
        #expect(message { _ = try KMeans(.init(k: 2, threads: 0)) } == "threads=0 should be >= 1")
    }

    @Test func zeroRows() throws {
        let x = CSRMatrix(rows: 0, columns: 4, rowPointers: [0], columnIndices: [], values: [])
        #expect(message { _ = try KMeans(.init(k: 1)).fit(x) } == "no rows to cluster: the matrix has 0 rows")
        #expect(message { _ = try KMeans(.init(k: 1, algorithm: .lloyd)).fit(DenseMatrix(rows: 0, columns: 3, values: [])) }
            == "no rows to cluster: the matrix has 0 rows")
    }

    @Test func allZeroRowsAreExcludedAndReported() throws {
        let x = csr([[1, 0], [0, 0], [0.9, 0.1], [0, 1], [0, 0]])
        let model = try KMeans(.init(k: 2, restarts: 2)).fit(x)
        #expect(model.excludedRows == [1, 4])
        #expect(model.labels[1] == -1 && model.labels[4] == -1)
        #expect(samePartition([model.labels[0], model.labels[2], model.labels[3]], [0, 0, 1]))
        #expect(model.warnings.contains { $0.contains("2 all-zero rows excluded") })
        #expect(model.clusterSizes.reduce(0, +) == 3)
        #expect(try model.predict(csr([[0, 0]])) == [-1])
        // All rows zero: nothing to fit, said plainly.
        #expect(message { _ = try KMeans(.init(k: 1)).fit(csr([[0, 0], [0, 0]])) } == "no rows to cluster: all 2 rows are all-zero")
        // k counts the usable rows.
        #expect(message { _ = try KMeans(.init(k: 4)).fit(x) } == "k=4 should be <= number of rows=3 (after excluding 2 all-zero rows)")
    }

    @Test func nonFiniteValuesNameTheRow() throws {
        let x = csr([[1, 0], [0, 1], [0.5, .nan], [1, 1]])
        #expect(throws: InputError.self) { _ = try KMeans(.init(k: 2)).fit(x) }
        #expect(message { _ = try KMeans(.init(k: 2)).fit(x) }.hasPrefix("row 2: value nan at column 1"))
        let dense = DenseMatrix([[1, 0], [0, 1], [3, .infinity]])
        #expect(message { _ = try KMeans(.init(k: 2, algorithm: .lloyd)).fit(dense) }.hasPrefix("row 2: value inf at column 1"))
        // Finite, but squares that overflow float: rejected before distances turn into ∞ − ∞.
        let huge = DenseMatrix([[1, 0], [0, 1], [3e19, 1], [1, 1]])
        #expect(message { _ = try KMeans(.init(k: 2, algorithm: .lloyd)).fit(huge) }.hasPrefix("row 2: values too large"))
    }

    @Test func fewerDistinctRowsThanK() throws {
        // Three copies of two points: k = 4 is well-defined, two clusters stay empty, with a warning.
        let x = csr([[1, 0], [1, 0], [0, 1], [1, 0], [0, 1], [0, 1]])
        for algorithm in KMeans.Algorithm.allCases {
            let model = try KMeans(.init(k: 4, algorithm: algorithm, threads: 1)).fit(x)
            #expect(model.warnings.contains { $0.contains("only 2 distinct rows for k=4") }, "\(algorithm)")
            #expect(samePartition(model.labels, [0, 0, 1, 0, 1, 1]))
            #expect(model.clusterSizes.filter { $0 > 0 }.count == 2)
            #expect(model.objective < 1e-6)
        }
    }

    @Test func explicitCentroidsMustMatchTheShape() throws {
        let x = DenseMatrix([[0, 0], [1, 1], [5, 5]])
        #expect(message { _ = try KMeans(.init(k: 2, algorithm: .lloyd, initialCentroids: DenseMatrix([[0, 0, 0], [1, 1, 1]]))).fit(x) }
            == "initialCentroids has 3 columns; should be the matrix's 2")
        #expect(message { _ = try KMeans(.init(k: 2, restarts: 2, initialCentroids: DenseMatrix([[0, 0], [1, 1]]))) }
            == "restarts=2 should be 1 with explicit initialCentroids")
        let model = try KMeans(.init(k: 2, algorithm: .lloyd)).fit(x)
        #expect(throws: InputError.self) { _ = try model.predict(DenseMatrix([[1, 2, 3]])) }
    }
}
