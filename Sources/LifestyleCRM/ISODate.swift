/// ISO 8601 dates and date-times parsed by hand on the bytes (no Foundation, no regexes).
///
/// Accepted: `2026-04-24`, or a date-time `2026-04-24T00:28:09` (a space may replace the `T`;
/// seconds optional; optional fractional seconds after `.` or `,`, truncated; optional `Z` or
/// `±hh:mm` / `±hhmm` / `±hh` offset). Months, days (leap years included), hours 0–23, minutes and
/// seconds 0–59 are checked; a leap second `:60` is rejected. Results are UTC: `seconds` since
/// 1970-01-01T00:00:00Z and `day`, the days since 1970-01-01 of that instant.
public enum ISODate {
    /// Parses `bytes`; nil when it is not a valid ISO 8601 date or date-time (see `decode` for why).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (seconds: Int64, day: Int)? {
        try? decode(bytes)
    }

    public static func parse(_ text: String) -> (seconds: Int64, day: Int)? {
        try? decode(text)
    }

    public static func decode(_ text: String) throws(ParseFailure) -> (seconds: Int64, day: Int) {
        var copy = text
        let result = copy.withUTF8 { buf -> Result<(seconds: Int64, day: Int), ParseFailure> in
            do throws(ParseFailure) { return .success(try decode(buf)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses `bytes`, or says why not: kinds are `not an ISO 8601 date`, `impossible date`,
    /// `impossible time` and `impossible offset`; reasons quote the value
    /// (`impossible date "2026-02-30"`).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseFailure) -> (seconds: Int64, day: Int) {
        let n = bytes.count
        func value() -> String { quoted(String(decoding: bytes, as: UTF8.self)) }
        func malformed() -> ParseFailure {
            ParseFailure(kind: "not an ISO 8601 date", reason: "not an ISO 8601 date: \(value())")
        }
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= n else { return nil }
            var v = 0
            for i in at..<(at + count) {
                let d = Int(bytes[i]) - 0x30
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        func byte(_ at: Int) -> UInt8? { at < n ? bytes[at] : nil }

        // Structure first: YYYY-MM-DD[(T| )hh:mm[:ss[.f+]][Z|±hh[:mm]|±hhmm]]
        guard let year = digits(0, 4), byte(4) == UInt8(ascii: "-"), let month = digits(5, 2),
              byte(7) == UInt8(ascii: "-"), let dayOfMonth = digits(8, 2) else { throw malformed() }
        var hour = 0, minute = 0, second = 0, offset = 0
        var hasTime = false, offsetHours = 0, offsetMinutes = 0
        var i = 10
        if i < n {
            guard let sep = byte(i), sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == 0x20,
                  let h = digits(i + 1, 2), byte(i + 3) == UInt8(ascii: ":"), let m = digits(i + 4, 2) else { throw malformed() }
            hasTime = true
            hour = h
            minute = m
            i += 6
            if byte(i) == UInt8(ascii: ":") {
                guard let s = digits(i + 1, 2) else { throw malformed() }
                second = s
                i += 3
                if let b = byte(i), b == UInt8(ascii: ".") || b == UInt8(ascii: ",") {
                    i += 1
                    let start = i
                    while let d = byte(i), d >= 0x30 && d <= 0x39 { i += 1 }
                    guard i > start else { throw malformed() }
                }
            }
            if let b = byte(i) {
                if b == UInt8(ascii: "Z") || b == UInt8(ascii: "z") {
                    i += 1
                } else if b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                    guard let oh = digits(i + 1, 2) else { throw malformed() }
                    offsetHours = oh
                    i += 3
                    if byte(i) == UInt8(ascii: ":") {
                        guard let om = digits(i + 1, 2) else { throw malformed() }
                        offsetMinutes = om
                        i += 3
                    } else if let om = digits(i, 2) {
                        offsetMinutes = om
                        i += 2
                    }
                    let sign = b == UInt8(ascii: "-") ? -1 : 1
                    offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
                }
            }
            guard i == n else { throw malformed() }
        }

        // Then ranges.
        guard month >= 1 && month <= 12 && dayOfMonth >= 1 && dayOfMonth <= daysInMonth(year: year, month: month) else {
            throw ParseFailure(kind: "impossible date", reason: "impossible date \(value())")
        }
        if hasTime {
            guard hour <= 23 && minute <= 59 && second <= 59 else {
                throw ParseFailure(kind: "impossible time", reason: "impossible time \(value())")
            }
            guard offsetHours <= 23 && offsetMinutes <= 59 else {
                throw ParseFailure(kind: "impossible offset", reason: "impossible offset \(value())")
            }
        }
        let localDay = daysFromCivil(year: year, month: month, day: dayOfMonth)
        let seconds = Int64(localDay) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return (seconds, Int(floorDiv(seconds, 86_400)))
    }

    /// `2026-04-24` for the day `days` since 1970-01-01.
    public static func format(day days: Int) -> String {
        let (y, m, d) = civilFromDays(days)
        let year = y >= 0 ? pad(y, 4) : "-" + pad(-y, 4)
        return "\(year)-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400                                             // [0, 399]
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy                     // [0, 146096]
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097                                         // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365    // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                   // [0, 365]
        let mp = (5 * doy + 2) / 153                                        // [0, 11]
        let d = doy - (153 * mp + 2) / 5 + 1                                // [1, 31]
        let m = mp < 10 ? mp + 3 : mp - 9                                   // [1, 12]
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func isLeapYear(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Decimal amounts parsed by hand on the bytes: an optional sign, digits, an optional `.` and
/// fraction (`12`, `-3.5`, `+0.99`, `.5`). Exponents, `nan`/`inf`, thousands separators, blanks
/// inside and an empty field are rejected.
public enum Amount {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        try? decode(bytes)
    }

    public static func parse(_ text: String) -> Double? {
        try? decode(text)
    }

    public static func decode(_ text: String) throws(ParseFailure) -> Double {
        var copy = text
        let result = copy.withUTF8 { buf -> Result<Double, ParseFailure> in
            do throws(ParseFailure) { return .success(try decode(buf)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses `bytes`, or says why not (kinds `not a decimal number`, `out of range`).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseFailure) -> Double {
        let n = bytes.count
        func fail() -> ParseFailure {
            ParseFailure(kind: "not a decimal number", reason: "not a decimal number: \(quoted(String(decoding: bytes, as: UTF8.self)))")
        }
        var i = 0
        var negative = false
        if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0       // digits accumulated into `mantissa` (leading zeros skipped)
        var digitCount = 0
        var fractionDigits = 0
        var seenPoint = false
        while i < n {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                digitCount += 1
                if seenPoint { fractionDigits += 1 }
                if mantissa != 0 || b != 0x30 { significant += 1 }
                if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(b - 0x30) }
            } else if b == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                throw fail()
            }
            i += 1
        }
        guard digitCount > 0 else { throw fail() }
        let value: Double
        if significant <= 15 && fractionDigits <= 22 {
            // Both operands exact, one correctly rounded division: the nearest double.
            value = Double(mantissa) / powersOfTen[fractionDigits]
        } else {
            // Rare long numbers: the grammar is already checked, let the standard library round.
            guard let v = Double(String(decoding: bytes[(negative || bytes[0] == UInt8(ascii: "+") ? 1 : 0)...], as: UTF8.self)) else { throw fail() }
            value = v
        }
        guard value.isFinite else {
            throw ParseFailure(kind: "out of range", reason: "out of range: \(quoted(String(decoding: bytes, as: UTF8.self)))")
        }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }
}
