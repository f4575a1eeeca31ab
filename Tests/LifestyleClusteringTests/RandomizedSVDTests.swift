import Foundation
import CBLAS
import CLAPACKE
import CLifestyleShims
import Testing
@testable import LifestyleClustering
import LifestyleText
import LifestyleVectors

/// Randomised SVD against LAPACK's full SVD: the committed scipy `gesdd` values
/// (Fixtures/make_reference.py) and `sgesdd` on the dense copy, computed here.
@Suite struct RandomizedSVDTests {
    func fixtureMatrix() throws -> (CSRMatrix, [Double]) {
        let ref = try ReferenceFixture.load("svd_small.json", as: ReferenceFixture.SVD.self)
        let a = CSRMatrix(rows: ref.rows, columns: ref.columns, rowPointers: ContiguousArray(ref.indptr),
                          columnIndices: ContiguousArray(ref.indices), values: ContiguousArray(ref.values))
        return (a, ref.singular_values)
    }

    @Test func singularValuesMatchFullSVD() throws {
        let (a, reference) = try fixtureMatrix()
        // LAPACK on the dense copy, here.
        var dense = a.dense().flatMap { $0 }
        var s = [Float](repeating: 0, count: min(a.rows, a.columns))
        var u = [Float](repeating: 0, count: a.rows * a.rows), vt = [Float](repeating: 0, count: a.columns * a.columns)
        let info = LAPACKE_sgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(a.rows), Int32(a.columns), &dense, Int32(a.columns),
                                  &s, &u, Int32(a.rows), &vt, Int32(a.columns))
        #expect(info == 0)
        let model = try RandomizedSVD(.init(components: 8, oversamples: 10, powerIterations: 7, seed: 1, threads: 2)).fit(a)
        for c in 0..<8 {
            #expect(relativeError(Double(model.singularValues[c]), reference[c]) < 1e-3, "σ\(c + 1): \(model.singularValues[c]) vs scipy \(reference[c])")
            #expect(relativeError(Double(model.singularValues[c]), Double(s[c])) < 1e-3, "σ\(c + 1): \(model.singularValues[c]) vs sgesdd \(s[c])")
        }
        // Reconstruction error: ‖A − A V Vᵀ‖/‖A‖ = sqrt(Σ_{i>r} σᵢ² / Σ σᵢ²) for the exact SVD.
        let tail = reference.dropFirst(8).reduce(0) { $0 + $1 * $1 }, all = reference.reduce(0) { $0 + $1 * $1 }
        #expect(abs(model.relativeReconstructionError - (tail / all).squareRoot()) < 1e-3)
        // Embedding = A·V: transform of the fitted rows reproduces it; its column norms are σ.
        let again = try model.transform(a)
        for p in 0..<again.values.count { #expect(abs(again.values[p] - model.embedding.values[p]) < 1e-4) }
        for c in 0..<8 {
            let norm = (0..<a.rows).reduce(Float(0)) { $0 + model.embedding[$1, c] * model.embedding[$1, c] }.squareRoot()
            #expect(abs(norm - model.singularValues[c]) < 1e-3 * model.singularValues[c])
        }
    }

    /// 10 oversamples (Q·V_b in the QR scratch, padding lanes zeroed) and none (ℓ = 5 < the padded 8:
    /// its own buffer): orthonormal components, embedding columns as long as their singular values.
    @Test(arguments: [10, 0])
    func componentsAreOrthonormal(oversamples: Int) throws {
        let (a, _) = try fixtureMatrix()
        let model = try RandomizedSVD(.init(components: 5, oversamples: oversamples, seed: 3)).fit(a)
        let d = model.dimension
        for p in 0..<5 {
            for q in 0..<5 {
                let dot = (0..<d).reduce(Float(0)) { $0 + model.components[p * d + $1] * model.components[q * d + $1] }
                #expect(abs(dot - (p == q ? 1 : 0)) < 1e-4)
            }
            let norm = (0..<a.rows).reduce(Float(0)) { $0 + model.embedding[$1, p] * model.embedding[$1, p] }.squareRoot()
            #expect(abs(norm - model.singularValues[p]) < 1e-3 * model.singularValues[p])
        }
    }

    @Test func threadIndependentAndBadInput() throws {
        let (a, _) = try fixtureMatrix()
        let one = try RandomizedSVD(.init(components: 4, seed: 9, threads: 1)).fit(a)
        let two = try RandomizedSVD(.init(components: 4, seed: 9, threads: 2)).fit(a)
        #expect(one.singularValues == two.singularValues)
        #expect(one.embedding == two.embedding)
        #expect(throws: ConfigurationError("components=31 should be <= min(rows, columns)=30 (the largest possible rank)")) {
            _ = try RandomizedSVD(.init(components: 31)).fit(a)
        }
        #expect(throws: ConfigurationError("components=0 should be >= 1")) { _ = try RandomizedSVD(.init(components: 0)) }
        // Rank 2 matrix asked for 3 components: a warning, not garbage silently.
        let low = csr([[1, 0, 0, 0], [2, 0, 0, 0], [0, 1, 0, 0], [0, 3, 0, 0]])
        let m = try RandomizedSVD(.init(components: 3)).fit(low)
        #expect(m.warnings.contains { $0.contains("numerical rank 2") })
    }

    /// A random sparse matrix with a few dense columns (like frequent features) and some empty rows.
    func randomSparse(rows: Int, columns: Int, seed: UInt64) -> CSRMatrix {
        var rng = SeededGenerator(seed: seed)
        var pointers = ContiguousArray<Int>([0]), indices = ContiguousArray<Int32>(), values = ContiguousArray<Float>()
        for i in 0..<rows {
            if i % 17 != 5 {
                for j in 0..<columns where j < 3 || rng.nextInt(below: 100) < 4 {
                    indices.append(Int32(j))
                    values.append(Float(rng.nextUniform()) + 0.1)
                }
            }
            pointers.append(indices.count)
        }
        return CSRMatrix(rows: rows, columns: columns, rowPointers: pointers, columnIndices: indices, values: values)
    }

    @Test func paddedPanelsAreThreadIndependentAndAccurate() throws {
        // ℓ = 13 + 10 = 23: not a multiple of 8, so the panels carry padding lanes.
        let a = randomSparse(rows: 700, columns: 450, seed: 4)
        let fits = try [1, 2, 3].map { try RandomizedSVD(.init(components: 13, powerIterations: 4, seed: 5, threads: $0)).fit(a) }
        for m in fits.dropFirst() {
            #expect(m.singularValues == fits[0].singularValues)
            #expect(m.embedding == fits[0].embedding)
            #expect(m.components == fits[0].components)
        }
        var dense = a.dense().flatMap { $0 }
        var s = [Float](repeating: 0, count: min(a.rows, a.columns))
        var u = [Float](repeating: 0, count: a.rows * a.rows), vt = [Float](repeating: 0, count: a.columns * a.columns)
        let info = LAPACKE_sgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(a.rows), Int32(a.columns), &dense, Int32(a.columns),
                                  &s, &u, Int32(a.rows), &vt, Int32(a.columns))
        #expect(info == 0)
        // The leading singular values (well separated from the tail here).
        for c in 0..<3 {
            #expect(relativeError(Double(fits[0].singularValues[c]), Double(s[c])) < 1e-3, "σ\(c + 1): \(fits[0].singularValues[c]) vs sgesdd \(s[c])")
        }
        // Components orthonormal.
        let d = a.columns, r = 13
        for p in 0..<r {
            for q in 0..<r {
                let dot = (0..<d).reduce(Float(0)) { $0 + fits[0].components[p * d + $1] * fits[0].components[q * d + $1] }
                #expect(abs(dot - (p == q ? 1 : 0)) < 1e-3)
            }
        }
    }

    /// The polar method's logarithm against Double precision over the range it sees, (2⁻⁴⁶, 1), and beyond.
    @Test func simdLogIsWithinOneUlp() {
        var rng = SeededGenerator(seed: 7)
        var worst: Float = 0
        var at: Float = 0
        for _ in 0..<160_000 {
            let x = Float(rng.nextUniform() + 1e-9) * Float(sign: .plus, exponent: rng.nextInt(below: 60) - 46, significand: 1)
            let exact = log(Double(x))
            let ulps = Float(abs(Double(lifestyle_log_positive(x)) - exact) / Double(Float(exact).ulp))
            if ulps > worst { worst = ulps; at = x }
        }
        #expect(worst <= 1, "worst \(worst) ulp at \(at)")
    }

    /// The normals are the same bits whichever kernel (baseline, AVX2, AVX-512) draws them.
    @Test func everyNormalKernelGivesTheSameBits() {
        var reference: [[UInt32]] = []
        for level in Int32(0)...2 {
            var state: UInt64 = 0x5EED
            var out = [Float](repeating: 0, count: 2 * Int(LIFESTYLE_NORMAL_BATCH))
            var batches: [[UInt32]] = []
            for _ in 0..<300 {
                let n = out.withUnsafeMutableBufferPointer { lifestyle_normal_batch(level, &state, $0.baseAddress!) }
                if n < 0 { break }
                batches.append(out.prefix(Int(n)).map(\.bitPattern))
            }
            if batches.isEmpty { print("everyNormalKernelGivesTheSameBits: level \(level) not on this CPU"); continue }
            if reference.isEmpty { reference = batches } else { #expect(batches == reference, "level \(level)") }
        }
        #expect(reference.count == 300 && reference.allSatisfy { $0.count % 2 == 0 && $0.count > 64 })
    }

    @Test func gaussianPanelIsThreadIndependentAndStandardNormal() {
        for (rows, columns) in [(1500, 23), (1025, 266), (3, 5)] {
            let stride = paddedWidth(columns)
            var panels: [[Float]] = []
            for threads in [1, 2, 3] {
                var panel = [Float](repeating: -7, count: rows * stride)
                panel.withUnsafeMutableBufferPointer {
                    gaussianPanel(into: $0.baseAddress!, rows: rows, columns: columns, stride: stride, seed: 42, threads: threads)
                }
                panels.append(panel)
            }
            #expect(panels[1] == panels[0] && panels[2] == panels[0], "\(rows) × \(columns)")
            var sum = 0.0, squares = 0.0, paddingZero = true
            for i in 0..<rows {
                for j in 0..<stride {
                    let v = Double(panels[0][i * stride + j])
                    if j < columns { sum += v; squares += v * v } else if v != 0 { paddingZero = false }
                }
            }
            #expect(paddingZero)
            let count = Double(rows * columns)
            if count > 10_000 {
                #expect(abs(sum / count) < 0.02)
                #expect(abs(squares / count - 1) < 0.03)
                // Shape: P(|x| < 1) = 0.6827 and E x⁴ = 3 for a standard normal.
                let values = (0..<rows).flatMap { i in panels[0][(i * stride)..<(i * stride + columns)] }
                let inside = Double(values.filter { abs($0) < 1 }.count) / count
                let fourth = values.reduce(0.0) { $0 + pow(Double($1), 4) } / count
                #expect(abs(inside - 0.6827) < 0.005, "P(|x| < 1) = \(inside)")
                #expect(abs(fourth - 3) < 0.15, "E x⁴ = \(fourth)")
            }
        }
    }
}

/// OpenBLAS's thread count is process-wide: k-means fits pin it to one thread while they run. A
/// randomised SVD running at the same time must still give the bits it gives alone (its LAPACK
/// calls wait for the pinned sections and run at the start-up count), and must not wait for a
/// stream of overlapping pinned sections to end. (With one OpenBLAS thread at start-up, pinning
/// changes nothing: skipped.)
@Suite struct BLASThreadGateTests {
    @Test(.enabled(if: blasThreads.naturalThreads > 1))
    func svdIsUnchangedByConcurrentPinnedSections() throws {
        let a = RandomizedSVDTests().randomSparse(rows: 1500, columns: 600, seed: 8)
        let alone = try RandomizedSVD(.init(components: 40, powerIterations: 4, seed: 5, threads: 2)).fit(a)
        // Two threads of overlapping pinned sections, as concurrent k-means fits make; they give up
        // after 30 s, so an SVD kept waiting by them shows up as a run that long.
        let stop = ManagedFlag()
        let done = DispatchSemaphore(value: 0)
        let start = Date()
        for _ in 0..<2 {
            Thread {
                while !stop.value && Date().timeIntervalSince(start) < 30 { _ = withPinnedBLAS { usleep(2000) } }
                done.signal()
            }.start()
        }
        var fits: [TruncatedSVDModel] = []
        for t in [1, 2, 2] { fits.append(try RandomizedSVD(.init(components: 40, powerIterations: 4, seed: 5, threads: t)).fit(a)) }
        let elapsed = Date().timeIntervalSince(start)
        stop.value = true
        done.wait()
        done.wait()
        #expect(elapsed < 20, "the SVDs waited \(elapsed) s for pinned sections")
        for m in fits {
            #expect(m.singularValues.map(\.bitPattern) == alone.singularValues.map(\.bitPattern))
            #expect(m.components.map(\.bitPattern) == alone.components.map(\.bitPattern))
        }
    }

    /// A pinned section may open another on the same thread; exclusive sections run alone at the
    /// count they ask for. (Other suites pin the count while they run, so the process-wide value
    /// outside a section is not checked here.)
    @Test func nestedPinnedSectionsAndExclusiveCounts() {
        let inner = withPinnedBLAS { withPinnedBLAS { openblas_get_num_threads() } }
        #expect(inner == 1)
        #expect(withBLASThreads(1) { openblas_get_num_threads() } == 1)
        #expect(withBLASThreads(Int(blasThreads.naturalThreads)) { openblas_get_num_threads() } == blasThreads.naturalThreads)
    }
}

/// A flag one thread sets and another polls.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool {
        get { lock.lock(); defer { lock.unlock() }; return flag }
        set { lock.lock(); flag = newValue; lock.unlock() }
    }
}
