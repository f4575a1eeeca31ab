import LifestyleCore
import Testing
@testable import LifestyleCRM

@Suite struct ISODateTests {
    /// 2026-04-24 is day 20,567: 56 years of 365 days, 14 leap days (1972…2024), then 31 + 28 + 31 + 23.
    static let d20260424 = 20_567
    static let s20260424: Int64 = 20_567 * 86_400

    @Test func referenceDays() {
        #expect(ISODate.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(ISODate.daysFromCivil(year: 2026, month: 1, day: 1) == 56 * 365 + 14)
        #expect(ISODate.daysFromCivil(year: 2026, month: 4, day: 24) == Self.d20260424)
        #expect(ISODate.daysFromCivil(year: 2000, month: 2, day: 29) == 10_957 + 31 + 28)
        #expect(ISODate.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
        #expect(ISODate.format(day: 0) == "1970-01-01")
        #expect(ISODate.format(day: -1) == "1969-12-31")
        #expect(ISODate.format(day: Self.d20260424) == "2026-04-24")
        #expect(ISODate.format(day: 11_016) == "2000-02-29")
    }

    @Test func civilRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = ISODate.civilFromDays(days)
            #expect(ISODate.daysFromCivil(year: y, month: m, day: d) == days)
            #expect(d >= 1 && d <= ISODate.daysInMonth(year: y, month: m))
        }
    }

    @Test(arguments: [
        ("1970-01-01", Int64(0), 0),
        ("2026-04-24", s20260424, d20260424),
        ("2026-04-24T00:28:09", s20260424 + 1689, d20260424),
        ("2026-04-24 00:28:09", s20260424 + 1689, d20260424),
        ("2026-04-24t00:28:09z", s20260424 + 1689, d20260424),
        ("2026-04-24T00:28:09.123456Z", s20260424 + 1689, d20260424),
        ("2026-04-24T00:28:09,5", s20260424 + 1689, d20260424),
        ("2026-04-24T00:28", s20260424 + 1680, d20260424),
        ("2026-04-24T08:00:00+08:00", s20260424, d20260424),
        ("2026-04-24T08:00:00+0800", s20260424, d20260424),
        ("2026-04-24T08:00:00+08", s20260424, d20260424),
        ("2026-04-24T01:00:00+02:00", s20260424 - 3600, d20260424 - 1),      // the day before in UTC
        ("2026-04-24T23:30:00-01:00", s20260424 + 86_400 + 1800, d20260424 + 1),  // the day after
        ("2026-04-24T05:30:00+05:30", s20260424, d20260424),
        ("2024-02-29", Int64(19_782) * 86_400, 19_782),
        ("2000-02-29T23:59:59Z", Int64(11_016) * 86_400 + 86_399, 11_016),
        ("1969-12-31T23:59:59Z", Int64(-1), -1),
    ] as [(String, Int64, Int)])
    func validDates(text: String, seconds: Int64, day: Int) throws {
        let r = try #require(ISODate.parse(text))
        #expect(r.seconds == seconds)
        #expect(r.day == day)
    }

    @Test(arguments: [
        ("2026-02-30", "impossible date", #"impossible date "2026-02-30""#),
        ("2023-02-29", "impossible date", #"impossible date "2023-02-29""#),
        ("1900-02-29", "impossible date", #"impossible date "1900-02-29""#),   // not a leap year
        ("2026-04-31", "impossible date", #"impossible date "2026-04-31""#),
        ("2026-13-01", "impossible date", #"impossible date "2026-13-01""#),
        ("2026-00-10", "impossible date", #"impossible date "2026-00-10""#),
        ("2026-01-00T10:00:00", "impossible date", #"impossible date "2026-01-00T10:00:00""#),
        ("2026-04-24T24:00:00", "impossible time", #"impossible time "2026-04-24T24:00:00""#),
        ("2026-04-24T12:60", "impossible time", #"impossible time "2026-04-24T12:60""#),
        ("2026-04-24T23:59:60", "impossible time", #"impossible time "2026-04-24T23:59:60""#),  // no leap seconds
        ("2026-04-24T10:00:00+24:00", "impossible offset", #"impossible offset "2026-04-24T10:00:00+24:00""#),
        ("2026-04-24T10:00:00+05:60", "impossible offset", #"impossible offset "2026-04-24T10:00:00+05:60""#),
        ("", "not an ISO 8601 date", #"not an ISO 8601 date: """#),
        ("2026/04/24", "not an ISO 8601 date", #"not an ISO 8601 date: "2026/04/24""#),
        ("24-04-2026", "not an ISO 8601 date", #"not an ISO 8601 date: "24-04-2026""#),
        ("2026-4-24", "not an ISO 8601 date", #"not an ISO 8601 date: "2026-4-24""#),
        ("20260424", "not an ISO 8601 date", #"not an ISO 8601 date: "20260424""#),
        ("2026-04-24T", "not an ISO 8601 date", #"not an ISO 8601 date: "2026-04-24T""#),
        ("2026-04-24T10", "not an ISO 8601 date", #"not an ISO 8601 date: "2026-04-24T10""#),
        ("2026-04-24T10:00:00.", "not an ISO 8601 date", #"not an ISO 8601 date: "2026-04-24T10:00:00.""#),
        ("2026-04-24T10:00:00Zx", "not an ISO 8601 date", #"not an ISO 8601 date: "2026-04-24T10:00:00Zx""#),
        ("2026-04-24T10:00:00+8", "not an ISO 8601 date", #"not an ISO 8601 date: "2026-04-24T10:00:00+8""#),
        ("2026-04-24Z", "not an ISO 8601 date", #"not an ISO 8601 date: "2026-04-24Z""#),
        ("２０２６-04-24", "not an ISO 8601 date", #"not an ISO 8601 date: "２０２６-04-24""#),
    ])
    func invalidDates(text: String, kind: String, reason: String) {
        #expect(ISODate.parse(text) == nil)
        #expect(throws: ParseFailure(kind: kind, reason: reason)) { try ISODate.decode(text) }
    }
}

@Suite struct AmountTests {
    @Test(arguments: [
        ("428.36", 428.36), ("-12.5", -12.5), ("+3", 3.0), ("0", 0.0), (".5", 0.5), ("7.", 7.0),
        ("0.1", 0.1), ("00012.340", 12.34), ("-0.01", -0.01),
        ("12345678901234567890", 12345678901234567890.0),      // long: standard-library rounding
        ("0.1000000000000000055511151231257827", 0.1),
    ])
    func valid(text: String, value: Double) {
        #expect(Amount.parse(text) == value)
    }

    @Test(arguments: ["", "-", "+", ".", "1e3", "1E3", "nan", "NaN", "inf", "-inf", "1,234", "12,5x", " 1", "1 ",
                      "0x10", "--1", "1.2.3", "¥12", "12元", "1_000"])
    func invalid(text: String) {
        #expect(Amount.parse(text) == nil)
        #expect(throws: ParseFailure(kind: "not a decimal number", reason: "not a decimal number: \"\(text)\"")) {
            try Amount.decode(text)
        }
    }

    @Test func hugeIsOutOfRange() {
        let text = "1" + String(repeating: "0", count: 400)
        #expect(throws: ParseFailure.self) { try Amount.decode(text) }
        #expect((try? Amount.decode(text)) == nil)
        do {
            _ = try Amount.decode(text)
        } catch {
            #expect(error.kind == "out of range")
        }
    }
}

@Suite struct FormatTests {
    @Test func numbers() {
        #expect(NumberFormat.grouped(0) == "0")
        #expect(NumberFormat.grouped(999) == "999")
        #expect(NumberFormat.grouped(2122) == "2,122")
        #expect(NumberFormat.grouped(1_234_567) == "1,234,567")
        #expect(NumberFormat.grouped(-1026) == "-1,026")
        #expect(NumberFormat.fixed2(512.3) == "512.30")
        #expect(NumberFormat.fixed2(0) == "0.00")
        #expect(NumberFormat.fixed2(1234.567) == "1,234.57")
        #expect(NumberFormat.fixed2(-3.5) == "-3.50")
        #expect(NumberFormat.percent(0.5) == "50%")
        #expect(NumberFormat.percent(1) == "100%")
        #expect(NumberFormat.percent(0.125) == "12.5%")
        #expect(NumberFormat.plain(0) == "0")
        #expect(NumberFormat.plain(1.5) == "1.5")
    }
}
