import Testing
@testable import LifestyleLookalike

@Suite struct LogisticRegressionTests {
    // Reference: scikit-learn 1.9.1 on the standardised features (ddof 0), λ = 1/C:
    //   rng = np.random.default_rng(3); x = np.round(rng.normal(size=(40,3)), 2)
    //   y = (x[:,0] - 0.5*x[:,1] + rng.normal(scale=1.0, size=40) > 0.3).astype(int)
    //   z = (x - x.mean(0)) / x.std(0)
    //   LogisticRegression(C=0.5, tol=1e-12, max_iter=10000).fit(z, y)
    static let x: [Double] = [
        2.04, -2.56, 0.42, -0.57, -0.45, -0.22, -2.02, -0.23, -0.87, 3.32, 0.23, -0.35, -0.28, -0.67, -1.06, -0.39, 0.48, -0.24,
        0.96, -0.20, 0.02, 1.55, 0.55, -0.51, -0.18, 0.54, 1.94, -0.27, -0.24, 1.00, -0.89, -0.29, 0.88, 0.58, 0.09, 0.67,
        -2.83, 1.02, -0.96, -1.67, 0.28, 0.70, -0.44, -1.08, 0.03, -0.05, 1.41, 0.75, 0.19, 1.11, -0.21, -0.93, 0.58, 0.58,
        -0.21, -0.78, 0.23, -2.49, 0.69, 0.49, -1.64, 0.06, -0.96, 0.76, -2.03, -0.91, 0.71, 1.16, -2.16, -0.50, 0.33, -0.61,
        1.59, -1.19, 0.35, -1.05, 1.41, -0.02, -0.37, -1.72, 1.68, 0.75, 0.75, 1.14, 0.35, -0.64, -0.80, -0.80, 1.37, -1.46,
        -0.60, -0.32, 0.22, 0.58, -1.25, -1.73, -0.00, 1.21, 0.76, 0.22, -0.32, 0.29, -0.24, 0.82, -0.79, 0.13, -0.11, 0.54,
        0.22, 2.55, 1.50, 1.50, -2.04, -0.34, -0.61, 0.53, -2.28, 1.17, 1.07, -1.30,
    ]
    static let y = [1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1].map { $0 == 1 }

    @Test func matchesScikitLearn() throws {
        let m = try LogisticRegression.fit(x: Self.x, rows: 40, columns: 3, y: Self.y, l2: 2)
        let reference = [1.2325231327134822, -0.7398065708947186, -0.12956505821907494]
        for j in 0..<3 { #expect(abs(m.weights[j] - reference[j]) < 1e-6, "w\(j) = \(m.weights[j])") }
        #expect(abs(m.intercept - -0.21640869512762254) < 1e-6)
        #expect(m.converged)
        // Probabilities are in (0, 1) and follow the first feature.
        #expect(m.probability([2, 0, 0]) > m.probability([-2, 0, 0]))
    }

    @Test func separableDataStaysFiniteWithAPenalty() throws {
        let m = try LogisticRegression.fit(x: [0, 1, 2, 3], rows: 4, columns: 1, y: [false, false, true, true], l2: 0.1)
        #expect(m.weights[0].isFinite && m.weights[0] > 0)
        #expect(m.probability([3]) > 0.9 && m.probability([0]) < 0.1)
    }

    @Test func rejectsBadInput() {
        #expect(throws: (any Error).self) { try LogisticRegression.fit(x: [1, 2], rows: 2, columns: 1, y: [true, true]) }
        #expect(throws: (any Error).self) { try LogisticRegression.fit(x: [1, .nan], rows: 2, columns: 1, y: [true, false]) }
        #expect(throws: (any Error).self) { try LogisticRegression.fit(x: [1, 2, 3], rows: 2, columns: 1, y: [true, false]) }
    }
}
