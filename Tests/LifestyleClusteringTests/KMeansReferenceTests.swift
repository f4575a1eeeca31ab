import Testing
@testable import LifestyleClustering
import LifestyleVectors

/// Lloyd iterations from the same initial centroids as scikit-learn's
/// `KMeans(init=centroids, n_init=1, algorithm='lloyd')` (Fixtures/make_reference.py).
@Suite struct KMeansReferenceTests {
    @Test func denseLloydMatchesScikitLearn() throws {
        let ref = try ReferenceFixture.load("lloyd_dense.json", as: ReferenceFixture.Lloyd.self)
        let x = DenseMatrix(rows: ref.rows, columns: ref.columns, values: ContiguousArray(ref.values))
        let initial = DenseMatrix(rows: ref.k, columns: ref.columns, values: ContiguousArray(ref.`init`))
        let model = try KMeans(.init(k: ref.k, algorithm: .lloyd, threads: 2, initialCentroids: initial)).fit(x)
        #expect(model.labels == ref.labels)
        #expect(relativeError(model.inertia, ref.inertia) < 1e-4, "inertia \(model.inertia) vs scikit-learn \(ref.inertia)")
        #expect(model.converged)
        #expect(model.iterations == ref.n_iter)
        for (a, b) in zip(model.centroids, ref.centers) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b))) }
    }

    @Test func sparseLloydMatchesScikitLearn() throws {
        let ref = try ReferenceFixture.load("lloyd_sparse.json", as: ReferenceFixture.Lloyd.self)
        let x = CSRMatrix(rows: ref.rows, columns: ref.columns, rowPointers: ContiguousArray(ref.indptr!),
                          columnIndices: ContiguousArray(ref.indices!), values: ContiguousArray(ref.values))
        let initial = DenseMatrix(rows: ref.k, columns: ref.columns, values: ContiguousArray(ref.`init`))
        let model = try KMeans(.init(k: ref.k, algorithm: .lloyd, threads: 2, initialCentroids: initial)).fit(x)
        #expect(model.labels == ref.labels)
        #expect(relativeError(model.inertia, ref.inertia) < 1e-4, "inertia \(model.inertia) vs scikit-learn \(ref.inertia)")
        #expect(model.iterations == ref.n_iter)
        for (a, b) in zip(model.centroids, ref.centers) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b))) }
    }
}
