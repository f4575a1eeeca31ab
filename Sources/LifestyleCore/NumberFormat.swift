/// Number formatting for reports and messages (no Foundation, no locale).

public enum NumberFormat {
    /// `2122` → `2,122`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// Two decimals, rounded half away from zero: `512.3` → `512.30`.
    public static func fixed2(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let cents = (x.magnitude * 100).rounded()
        guard cents < 9e18 else { return "\(x)" }
        let c = UInt64(cents)
        let frac = c % 100
        return (x < 0 && c > 0 ? "-" : "") + grouped(Int(c / 100)) + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    /// A number as a person would type it: `0` not `0.0`, `0.25` as is.
    public static func plain(_ x: Double) -> String {
        if x.isFinite && x == x.rounded() && x.magnitude < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// A share as a percentage: `0.5` → `50%`, `0.125` → `12.5%`.
    public static func percent(_ share: Double) -> String {
        let tenths = (share * 1000).rounded()
        let whole = Int64(tenths) / 10, tenth = Int64(tenths) % 10
        return tenth == 0 ? "\(whole)%" : "\(whole).\(tenth)%"
    }
}

/// `x` with `digits` decimals, rounded half away from zero (no locale, no exponent).
public func fmt(_ x: Double, _ digits: Int = 2) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (abs(x) * p).rounded()
    guard r < 9e18 else { return "\(x)" }
    var whole = String(Int64(r / p))
    if digits > 0 {
        var frac = String(Int64(r.truncatingRemainder(dividingBy: p)))
        while frac.count < digits { frac = "0" + frac }
        whole += "." + frac
    }
    return (x < 0 && r != 0 ? "-" : "") + whole
}
