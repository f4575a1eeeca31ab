import Testing
@testable import LifestyleLookalike

// Reference values from scikit-learn 1.9.1 (Benchmarks/.venv):
//   python -c "from sklearn.metrics import roc_auc_score as r, average_precision_score as a; \
//              s=[.9,.8,.8,.7,.6,.6,.6,.3,.2,.1]; y=[1,0,1,1,0,1,0,0,1,0]; print(r(y,s), a(y,s))"
//   → 0.7 0.7087301587301587
//   and for the 40-row case below (numpy default_rng(7): s = round(random(40), 1), y = random(40) < .3)
//   → 0.4616666666666666 0.24058441558441557
@Suite struct RankingMetricsTests {
    @Test func matchesScikitLearnWithTies() throws {
        let s = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.3, 0.2, 0.1]
        let y = [1, 0, 1, 1, 0, 1, 0, 0, 1, 0].map { $0 == 1 }
        let m = try RankingMetrics(scores: s, labels: y)
        #expect(abs(m.rocAUC - 0.7) < 1e-12)
        #expect(abs(m.averagePrecision - 0.7087301587301587) < 1e-12)
        #expect(m.pool == 10 && m.positives == 5)
    }

    @Test func matchesScikitLearnOnARandomCase() throws {
        let s = [0.6, 0.9, 0.8, 0.2, 0.3, 0.9, 0.0, 0.8, 0.8, 0.5, 0.3, 0.3, 0.3, 0.4, 0.5, 0.6, 1.0, 0.8, 0.6, 1.0,
                 0.2, 0.2, 0.6, 0.0, 0.0, 0.5, 0.5, 0.9, 0.6, 0.5, 0.5, 0.2, 0.0, 0.2, 0.7, 0.2, 0.4, 0.0, 0.8, 0.2]
        let y = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1,
                 0, 0, 0, 0, 1, 0, 0, 0, 0, 1].map { $0 == 1 }
        let m = try RankingMetrics(scores: s, labels: y)
        #expect(abs(m.rocAUC - 0.4616666666666666) < 1e-12)
        #expect(abs(m.averagePrecision - 0.24058441558441557) < 1e-12)
    }

    @Test func perfectAndReversedRankings() throws {
        let y = [true, true, false, false, false]
        let perfect = try RankingMetrics(scores: [5, 4, 3, 2, 1], labels: y)
        #expect(perfect.rocAUC == 1 && perfect.averagePrecision == 1)
        #expect(perfect.precisionAt[1] == nil)   // 1 is not among the default ks
        let reversed = try RankingMetrics(scores: [1, 2, 3, 4, 5], labels: y)
        #expect(reversed.rocAUC == 0)
        let flat = try RankingMetrics(scores: [1, 1, 1, 1, 1], labels: y)
        #expect(flat.rocAUC == 0.5)
        #expect(abs(flat.averagePrecision - 0.4) < 1e-12)
    }

    @Test func precisionLiftAndGains() throws {
        // 20 rows, 4 positives at ranks 1, 2, 5 and 20.
        var s = [Double](), y = [Bool]()
        for i in 0..<20 { s.append(Double(20 - i)); y.append([0, 1, 4, 19].contains(i)) }
        let m = try RankingMetrics(scores: s, labels: y, ks: [1, 2, 5, 10, 50], gainsSteps: 10)
        #expect(m.precisionAt[1] == 1 && m.precisionAt[2] == 1 && m.precisionAt[5] == 0.6 && m.precisionAt[10] == 0.3)
        #expect(m.precisionAt[50] == nil)
        // top 10% = 2 rows, both positive: rate 1 over base 0.2 = lift 5.
        #expect(abs(m.liftTop10 - 5) < 1e-12)
        #expect(m.gains.count == 11)
        #expect(m.gains[0].contacted == 0)
        #expect(m.gains[5].contacted == 10 && m.gains[5].positivesFound == 3)
        #expect(m.gains.last!.positivesShare == 1)
        #expect(m.gainsCSV().hasPrefix("contacted_share,contacted,positives_found,positives_share,lift\n0.0000,0,0,0.0000,0.0000\n"))
    }

    @Test func reliabilityDecilesAndBrier() throws {
        // 100 rows: decile d (1 = best) has score (10 − d + 0.5)/10 and exactly 10 − d + 1 … made so
        // that each decile's observed rate equals its mean score rounded to a tenth.
        var s = [Double](), y = [Bool]()
        for d in 0..<10 {
            let p = Double(9 - d) / 10 + 0.05
            for i in 0..<10 { s.append(p); y.append(i < 9 - d + 1 && d < 9 ? true : (d == 9 ? i < 1 : false)) }
        }
        let m = try RankingMetrics(scores: s, labels: y)
        #expect(m.reliability.count == 10)
        #expect(m.reliability[0].decile == 1 && abs(m.reliability[0].meanScore - 0.95) < 1e-12)
        #expect(m.reliability.allSatisfy { $0.count == 10 })
        #expect(m.calibrationError < 0.06)
        #expect(m.brierScore > 0 && m.brierScore < 0.25)
        #expect(m.reliabilityTable().count == 11)
        // The chart: a dot per decile, the diagonal, both axes up to 100 % (the largest value is 0.95).
        let svg = try #require(Rendering.reliabilitySVG(m, title: "R & D"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 10)
        #expect(svg.contains("R &amp; D") && svg.contains("stroke-dasharray") && svg.contains(">100%</text>"))
        #expect(svg.contains("decile 1: 10 users, mean score 0.950"))
    }

    @Test func rejectsBadInput() {
        #expect(throws: (any Error).self) { try RankingMetrics(scores: [0.1, 0.2], labels: [true]) }
        #expect(throws: (any Error).self) { try RankingMetrics(scores: [0.1, .nan], labels: [true, false]) }
        let none = try? RankingMetrics(scores: [0.3, 0.2], labels: [false, false])
        #expect(none?.rocAUC.isNaN == true && none?.averagePrecision.isNaN == true)
    }
}
