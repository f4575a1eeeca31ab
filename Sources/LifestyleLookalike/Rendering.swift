import Foundation
import LifestyleCore

/// Terminal renderings of the loop's results (the CLI prints these lines as they are).
public enum Rendering {
    /// One block per cluster card, largest cluster first.
    public static func cards(_ cards: [ClusterCard], currency: String = "¥") -> [String] {
        var out: [String] = []
        for card in cards.sorted(by: { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }) {
            out.append("── cluster \(card.id): \(card.label) " + String(repeating: "─", count: max(3, 50 - card.label.count * 2)))
            out.append("   \(card.size) users, \(card.customers) quality customers (\(fmt(100 * card.share, 1))%), lifestyle-mix cohesion \(fmt(card.cohesion, 3))")
            out.append("   value: mean \(currency)\(fmt(card.meanMonetary, 2)), median \(currency)\(fmt(card.medianMonetary, 2)), \(fmt(card.meanOrders, 2)) orders per customer")
            out.append("   terms: " + card.terms.map { "\($0.term) (\(fmt($0.z, 1)))" }.joined(separator: " "))
            if !card.affinity.isEmpty {
                out.append("   buys:  " + card.affinity.prefix(4).map { "\($0.sku) \(fmt(100 * $0.share, 0))% ×\(fmt($0.lift, 2))" }.joined(separator: ", "))
            }
            for e in card.examples { out.append("   “\(e)”") }
        }
        return out
    }

    /// Metrics as aligned lines.
    public static func metrics(_ m: RankingMetrics) -> [String] {
        var out = [
            "pool \(m.pool) users, \(m.positives) positives (base rate \(fmt(100 * m.baseRate, 2))%)",
            "ROC AUC \(fmt(m.rocAUC, 4)), average precision \(fmt(m.averagePrecision, 4)), lift in the top 10% \(fmt(m.liftTop10, 2))×",
        ]
        let ks = m.precisionAt.keys.sorted()
        if !ks.isEmpty { out.append("precision at " + ks.map { "\($0): \(fmt(m.precisionAt[$0]!, 3))" }.joined(separator: ", ")) }
        out.append("Brier score \(fmt(m.brierScore, 4)), calibration error (ECE over deciles) \(fmt(m.calibrationError, 4))")
        out.append("reliability (deciles of score, best first):")
        out += m.reliabilityTable().map { "  " + $0 }
        return out
    }

    /// A small SVG line chart of the gains curve (share of positives found vs share contacted).
    public static func gainsSVG(_ m: RankingMetrics, title: String) -> String {
        let w = 480.0, h = 360.0, left = 56.0, bottom = 44.0, top = 36.0, right = 16.0
        let pw = w - left - right, ph = h - top - bottom
        func x(_ v: Double) -> Double { left + v * pw }
        func y(_ v: Double) -> Double { top + (1 - v) * ph }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(left)\" y=\"20\" font-size=\"14\">\(xmlEscape(title))</text>\n"
        for t in stride(from: 0.0, through: 1.0, by: 0.2) {
            s += "<line x1=\"\(x(t))\" y1=\"\(y(0))\" x2=\"\(x(t))\" y2=\"\(y(1))\" stroke=\"#eee\"/>"
            s += "<line x1=\"\(x(0))\" y1=\"\(y(t))\" x2=\"\(x(1))\" y2=\"\(y(t))\" stroke=\"#eee\"/>\n"
            s += "<text x=\"\(x(t))\" y=\"\(y(0) + 16)\" text-anchor=\"middle\">\(Int(t * 100))%</text>"
            s += "<text x=\"\(left - 6)\" y=\"\(y(t) + 4)\" text-anchor=\"end\">\(Int(t * 100))%</text>\n"
        }
        s += "<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n"
        let points = m.gains.map { "\(fmt(x($0.contactedShare), 1)),\(fmt(y($0.positivesShare), 1))" }.joined(separator: " ")
        s += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(points)\"/>\n"
        s += "<text x=\"\(left + pw / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\">share of the pool contacted (best scores first)</text>\n"
        s += "<text transform=\"translate(14 \(top + ph / 2)) rotate(-90)\" text-anchor=\"middle\">share of buyers found</text>\n"
        s += "<text x=\"\(x(0.55))\" y=\"\(y(0.2))\">AUC \(fmt(m.rocAUC, 3)), AP \(fmt(m.averagePrecision, 3))</text>\n"
        s += "</svg>\n"
        return s
    }

    /// A reliability diagram: per decile of score, the mean score (x) against the buyer rate
    /// observed (y), a dot per decile sized by its users, on the diagonal when calibrated. Nil
    /// without calibrated probabilities.
    public static func reliabilitySVG(_ m: RankingMetrics, title: String) -> String? {
        let bins = m.reliability.filter { $0.count > 0 }
        guard !bins.isEmpty else { return nil }
        let w = 480.0, h = 360.0, left = 56.0, bottom = 44.0, top = 36.0, right = 16.0
        let pw = w - left - right, ph = h - top - bottom
        // Both axes share one scale, rounded up to the next 0.1, so the diagonal is the 45° line.
        let largest = bins.map { max($0.meanScore, $0.observedRate) }.max() ?? 1
        let scale = min(1, max(0.1, (largest * 10).rounded(.up) / 10))
        func x(_ v: Double) -> Double { left + v / scale * pw }
        func y(_ v: Double) -> Double { top + (1 - v / scale) * ph }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(left)\" y=\"20\" font-size=\"14\">\(xmlEscape(title))</text>\n"
        for i in 0...5 {
            let t = scale * Double(i) / 5
            s += "<line x1=\"\(x(t))\" y1=\"\(y(0))\" x2=\"\(x(t))\" y2=\"\(y(scale))\" stroke=\"#eee\"/>"
            s += "<line x1=\"\(x(0))\" y1=\"\(y(t))\" x2=\"\(x(scale))\" y2=\"\(y(t))\" stroke=\"#eee\"/>\n"
            s += "<text x=\"\(x(t))\" y=\"\(y(0) + 16)\" text-anchor=\"middle\">\(fmt(100 * t, 0))%</text>"
            s += "<text x=\"\(left - 6)\" y=\"\(y(t) + 4)\" text-anchor=\"end\">\(fmt(100 * t, 0))%</text>\n"
        }
        s += "<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(scale))\" y2=\"\(y(scale))\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n"
        let points = bins.sorted { $0.meanScore < $1.meanScore }
        s += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"\(points.map { "\(fmt(x($0.meanScore), 1)),\(fmt(y($0.observedRate), 1))" }.joined(separator: " "))\"/>\n"
        let most = Double(bins.map(\.count).max() ?? 1)
        for b in points {
            let r = 3 + 4 * (Double(b.count) / most).squareRoot()
            s += "<circle cx=\"\(fmt(x(b.meanScore), 1))\" cy=\"\(fmt(y(b.observedRate), 1))\" r=\"\(fmt(r, 1))\" fill=\"#1f77b4\">"
            s += "<title>decile \(b.decile): \(b.count) users, mean score \(fmt(b.meanScore, 3)), buyer rate \(fmt(b.observedRate, 3))</title></circle>\n"
        }
        s += "<text x=\"\(left + pw / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\">mean score in the decile (the predicted purchase likelihood)</text>\n"
        s += "<text transform=\"translate(14 \(top + ph / 2)) rotate(-90)\" text-anchor=\"middle\">buyers observed in the decile</text>\n"
        s += "<text x=\"\(x(scale * 0.55))\" y=\"\(y(scale * 0.12))\">ECE \(fmt(m.calibrationError, 3)), Brier \(fmt(m.brierScore, 3))</text>\n"
        s += "</svg>\n"
        return s
    }

    static func xmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
