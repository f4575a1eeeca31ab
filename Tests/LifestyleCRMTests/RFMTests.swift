import LifestyleCore
import Testing
@testable import LifestyleCRM

/// Hand-made purchases; `D` is 2026-04-24. Reference values worked out by hand:
///
/// | customer | lines (order sku amount day)                                  | orders | net  | last (recency) |
/// |----------|---------------------------------------------------------------|--------|------|----------------|
/// | a        | o1 S1 100 D-10, o1 S2 50 D-10, o2 S1 200 D-5, o2 S1 -200 D-3  | 1 (o2 nets 0) | 150 | D-10 (10): o2 was returned in full, so o1 is the last purchase |
/// | b        | o3 S1 0.1, 0.2, -0.3 on D-1, D-1, D                            | 0      | 0 (not 5.6e-17) | D-1 (1) |
/// | c        | o4 S1 300 D, o5 S1 300 D-400                                   | 2      | 600  | D (0)          |
/// | e        | o6 S1 1000 D-400                                              | 1      | 1000 | D-400 (400)    |
/// | f        | o7 S9 150 D-2                                                 | 1      | 150  | D-2 (2)        |
/// | h        | o9 S1 -50 D-1 (a return only)                                 | 0      | -50  | D-1 (1)        |
private let D = ISODate.daysFromCivil(year: 2026, month: 4, day: 24)

private func purchases() -> [Purchase] {
    var line = 1
    func p(_ c: String, _ o: String, _ sku: String, _ amount: Double, _ day: Int) -> Purchase {
        line += 1
        return Purchase(customerID: c, orderID: o, sku: sku, amount: amount, day: day, line: line)
    }
    return [
        p("a", "o1", "S1", 100, D - 10), p("a", "o1", "S2", 50, D - 10),
        p("b", "o3", "S1", 0.1, D - 1),
        p("a", "o2", "S1", 200, D - 5),
        p("c", "o4", "S1", 300, D),
        p("b", "o3", "S1", 0.2, D - 1),
        p("a", "o2", "S1", -200, D - 3),
        p("e", "o6", "S1", 1000, D - 400),
        p("c", "o5", "S1", 300, D - 400),
        p("f", "o7", "S9", 150, D - 2),
        p("b", "o3", "S1", -0.3, D),
        p("h", "o9", "S1", -50, D - 1),
    ]
}

@Suite struct RFMTests {
    @Test func valuesByHandWithDefaultAsOf() throws {
        let table = try RFM.compute(purchases())
        #expect(table.asOf == D)  // the newest purchase day
        #expect(table.asOfIsNewestPurchase)
        #expect(table.purchaseLines == 12)
        #expect(table.linesAfterAsOf == 0)
        #expect(table.customersInFile == 6)
        #expect(table.customers.map(\.customerID) == ["a", "b", "c", "e", "f", "h"])
        #expect(table["a"] == CustomerRFM(customerID: "a", recencyDays: 10, orders: 1, monetary: 150, firstDay: D - 10,
                                          lastDay: D - 10, lines: 4, skuAmounts: ["S1": 100, "S2": 50], skuOrders: ["S1": 1, "S2": 1]))
        #expect(table["b"] == CustomerRFM(customerID: "b", recencyDays: 1, orders: 0, monetary: 0, firstDay: D - 1,
                                          lastDay: D - 1, lines: 3, skuAmounts: ["S1": 0], skuOrders: [:]))
        #expect(table["c"] == CustomerRFM(customerID: "c", recencyDays: 0, orders: 2, monetary: 600, firstDay: D - 400,
                                          lastDay: D, lines: 2, skuAmounts: ["S1": 600], skuOrders: ["S1": 2]))
        #expect(table["e"]?.recencyDays == 400)
        #expect(table["f"]?.monetary == 150)
        #expect(table["h"] == CustomerRFM(customerID: "h", recencyDays: 1, orders: 0, monetary: -50, firstDay: D - 1,
                                          lastDay: D - 1, lines: 1, skuAmounts: ["S1": -50], skuOrders: [:]))
        #expect(table["zz"] == nil)
    }

    @Test func qualityDefaultsBreakTiesByCustomerID() throws {
        let q = try QualitySelection.make(purchases())
        // Active: a b c f h (e is 400 days old). ≥ 1 order: a c f. Positive: a c f.
        // Top 50% of 3 → ⌈1.5⌉ = 2: c (600), then a and f tie at 150 and a wins on its id.
        #expect(q.funnel == QualityFunnel(purchaseLines: 12, linesAfterAsOf: 0, customers: 6, active: 5, withMinOrders: 3,
                                          positiveMonetary: 3, atLeastMinMonetary: nil, quality: 2))
        #expect(q.customerIDs == ["a", "c"])
        #expect(q.monetaryCutoff == 150)
        #expect(q.asOf == D)
    }

    @Test func explicitAsOfLeavesLaterPurchasesOut() throws {
        let options = RFMOptions(asOf: D - 3)
        let table = try RFM.compute(purchases(), options: options)
        // After D-3: b's three lines, c's o4, f's o7, h's return.
        #expect(table.linesAfterAsOf == 6)
        #expect(table.customersInFile == 6)
        #expect(table.customers.map(\.customerID) == ["a", "c", "e"])
        #expect(table["a"]?.recencyDays == 7)  // o2 is returned on D-3 itself
        #expect(table["c"] == CustomerRFM(customerID: "c", recencyDays: 397, orders: 1, monetary: 300, firstDay: D - 400,
                                          lastDay: D - 400, lines: 1, skuAmounts: ["S1": 300], skuOrders: ["S1": 1]))
        let q = try QualitySelection.make(table, options: options)
        #expect(q.funnel == QualityFunnel(purchaseLines: 12, linesAfterAsOf: 6, customers: 6, active: 1, withMinOrders: 1,
                                          positiveMonetary: 1, atLeastMinMonetary: nil, quality: 1))
        #expect(q.customerIDs == ["a"])
        #expect(!q.asOfIsNewestPurchase)
        #expect(q.lines()[1] == "12 purchase lines (6 dated after 2026-04-21 left out)")
    }

    @Test func recencyFollowsOrdersThatNetPositive() throws {
        // A partial return keeps its order (and its day); a full return removes it.
        let lines = [
            Purchase(customerID: "x", orderID: "o1", sku: "S1", amount: 100, day: D - 30, line: 2),
            Purchase(customerID: "x", orderID: "o2", sku: "S1", amount: 80, day: D - 4, line: 3),
            Purchase(customerID: "x", orderID: "o2", sku: "S1", amount: -30, day: D - 1, line: 4),
            Purchase(customerID: "y", orderID: "o3", sku: "S1", amount: 100, day: D - 30, line: 5),
            Purchase(customerID: "y", orderID: "o4", sku: "S1", amount: 80, day: D - 4, line: 6),
            Purchase(customerID: "y", orderID: "o4", sku: "S1", amount: -80, day: D - 1, line: 7),
        ]
        let table = try RFM.compute(lines, options: RFMOptions(asOf: D))
        #expect(table["x"]?.recencyDays == 4)
        #expect(table["x"]?.orders == 2)
        #expect(table["y"]?.recencyDays == 30)
        #expect(table["y"]?.orders == 1)
    }

    @Test func recencyWindowExcludesItsEnd() throws {
        // e's last purchase is 400 days before asOf: outside a 400-day window, inside a 401-day one.
        let q400 = try QualitySelection.make(purchases(), options: RFMOptions(recencyDays: 400, topMonetary: 1))
        #expect(q400.funnel.active == 5)
        #expect(q400.customerIDs == ["a", "c", "f"])
        let q401 = try QualitySelection.make(purchases(), options: RFMOptions(recencyDays: 401, topMonetary: 1))
        #expect(q401.funnel.active == 6)
        #expect(q401.customerIDs == ["a", "c", "e", "f"])
        let q1 = try QualitySelection.make(purchases(), options: RFMOptions(recencyDays: 1, topMonetary: 1))
        #expect(q1.funnel.active == 1)  // only c bought on asOf itself
        #expect(q1.customerIDs == ["c"])
    }

    @Test func minOrdersAndMinMonetary() throws {
        let two = try QualitySelection.make(purchases(), options: RFMOptions(minOrders: 2))
        #expect(two.funnel.withMinOrders == 1)
        #expect(two.customerIDs == ["c"])
        let floor = try QualitySelection.make(purchases(), options: RFMOptions(topMonetary: 1, minMonetary: 150))
        #expect(floor.funnel.atLeastMinMonetary == 3)
        #expect(floor.customerIDs == ["a", "c", "f"])
        let high = try QualitySelection.make(purchases(), options: RFMOptions(topMonetary: 1, minMonetary: 150.01))
        #expect(high.funnel.atLeastMinMonetary == 1)
        #expect(high.customerIDs == ["c"])
        #expect(high.monetaryCutoff == 600)
    }

    @Test func topShareWithTies() throws {
        // Five customers; b, c and d tie at 200. The top 40% is 2: a (300), then b wins the tie on its id.
        let ps = ["a": 300.0, "d": 200, "c": 200, "b": 200, "e": 100].map {
            Purchase(customerID: $0.key, orderID: "o-\($0.key)", sku: "S", amount: $0.value, day: D)
        }
        let q = try QualitySelection.make(ps, options: RFMOptions(topMonetary: 0.4))
        #expect(q.customerIDs == ["a", "b"])
        #expect(q.monetaryCutoff == 200)
        let q60 = try QualitySelection.make(ps, options: RFMOptions(topMonetary: 0.6))
        #expect(q60.customerIDs == ["a", "b", "c"])
        // Order of input does not matter.
        #expect(try QualitySelection.make(ps.reversed(), options: RFMOptions(topMonetary: 0.4)).customerIDs == ["a", "b"])
    }

    @Test func keptCountRoundsUpButNotOnNoise() {
        #expect(QualitySelection.keptCount(share: 0.5, of: 820) == 410)
        #expect(QualitySelection.keptCount(share: 0.5, of: 3) == 2)
        #expect(QualitySelection.keptCount(share: 0.3, of: 10) == 3)   // 0.3 × 10 = 3.0000000000000004
        #expect(QualitySelection.keptCount(share: 0.01, of: 5) == 1)
        #expect(QualitySelection.keptCount(share: 1, of: 7) == 7)
        #expect(QualitySelection.keptCount(share: 0.5, of: 0) == 0)
    }

    @Test func nobodyEligible() throws {
        let ps = [Purchase(customerID: "x", orderID: "o", sku: "S", amount: -5, day: D)]
        let q = try QualitySelection.make(ps)
        #expect(q.customerIDs.isEmpty)
        #expect(q.monetaryCutoff == nil)
        #expect(q.funnel.positiveMonetary == 0)
        #expect(throws: InputError.self) { try RFM.compute([]) }
        #expect(try RFM.compute([], options: RFMOptions(asOf: D)).customers.isEmpty)
    }

    @Test(arguments: [
        (RFMOptions(topMonetary: 0), "--top-monetary: 0 should be in (0, 1]"),
        (RFMOptions(topMonetary: 1.5), "--top-monetary: 1.5 should be in (0, 1]"),
        (RFMOptions(topMonetary: -0.5), "--top-monetary: -0.5 should be in (0, 1]"),
        (RFMOptions(topMonetary: .nan), "--top-monetary: nan should be in (0, 1]"),
        (RFMOptions(recencyDays: 0), "--recency-days: 0 should be at least 1"),
        (RFMOptions(minOrders: 0), "--min-orders: 0 should be at least 1"),
        (RFMOptions(minMonetary: .infinity), "--min-monetary: inf should be a finite number"),
    ])
    func badOptions(options: RFMOptions, message: String) throws {
        let error = try #require(throws: InputError.self) { try options.validate() }
        #expect(error.description == message)
        #expect(throws: InputError.self) { try RFM.compute(purchases(), options: options) }
    }

    @Test func defaultOptionsAreValid() throws {
        try RFMOptions().validate()
        try RFMOptions(asOf: 0, recencyDays: 1, minOrders: 1, topMonetary: 1, minMonetary: -3).validate()
    }
}

@Suite struct LinkReportTests {
    @Test func linksQualityCustomersToAccountsWithPosts() throws {
        let q = try QualitySelection.make(purchases())  // a and c
        let links = AccountLinks([
            AccountLink(customerID: "a", userID: "ua1"), AccountLink(customerID: "a", userID: "ua2"),
            AccountLink(customerID: "c", userID: "uc1"), AccountLink(customerID: "f", userID: "uf"),
        ])
        let r = LinkReport.make(quality: q, links: links, usersWithPosts: ["ua2", "uf", "nobody"])
        #expect(r.qualityCustomers == 2)
        #expect(r.withAccount == 2)
        #expect(r.withPosts == 1)
        #expect(r.withoutAccount == 0)
        #expect(r.accountWithoutPosts == 1)
        #expect(r.accountsWithoutPosts == 2)  // ua1 and uc1
        #expect(r.linked == [LinkedCustomer(customerID: "a", userIDs: ["ua2"])])
        #expect(r.seedUserIDs == ["ua2"])
        #expect(r.summary() == "12 purchase lines → 6 customers → 5 active in 365 days → 3 with ≥ 1 order → "
                + "2 quality (top 50% by monetary ≥ ¥150.00) → 2 with a linked account → 1 with posts "
                + "(lost: 0 without account, 1 account without posts)")
        #expect(r.lines() == [
            "as of 2026-04-24 (the newest purchase)",
            "12 purchase lines",
            "6 customers",
            "5 active in the last 365 days",
            "3 with ≥ 1 order",
            "3 with a positive net amount",
            "2 quality: top 50% by monetary ≥ ¥150.00",
            "2 with a linked account (0 without)",
            "1 with a linked account that has posts (1 whose accounts have none; 2 accounts without posts in all)",
            "1 seed user",
        ])
    }

    @Test func seedsAreUniqueAndSorted() throws {
        let ps = [
            Purchase(customerID: "c2", orderID: "o1", sku: "S", amount: 10, day: D),
            Purchase(customerID: "c1", orderID: "o2", sku: "S", amount: 20, day: D),
            Purchase(customerID: "c3", orderID: "o3", sku: "S", amount: 30, day: D),
        ]
        let q = try QualitySelection.make(ps, options: RFMOptions(topMonetary: 1))
        let links = AccountLinks([
            AccountLink(customerID: "c2", userID: "z"), AccountLink(customerID: "c2", userID: "m"),
            AccountLink(customerID: "c1", userID: "b"), AccountLink(customerID: "c1", userID: "q"),
        ])
        let r = LinkReport.make(quality: q, links: links, usersWithPosts: ["z", "m", "b"])
        #expect(r.linked == [LinkedCustomer(customerID: "c1", userIDs: ["b"]), LinkedCustomer(customerID: "c2", userIDs: ["z", "m"])])
        #expect(r.seedUserIDs == ["b", "m", "z"])
        #expect(r.withoutAccount == 1)  // c3
        #expect(r.accountsWithoutPosts == 1)  // q
    }

    @Test func summaryMatchesTheSpecExample() {
        let funnel = QualityFunnel(purchaseLines: 2122, linesAfterAsOf: 0, customers: 1026, active: 820, withMinOrders: 820,
                                   positiveMonetary: 820, atLeastMinMonetary: nil, quality: 410)
        let q = QualitySelection(asOf: D, asOfIsNewestPurchase: true, options: RFMOptions(), monetaryCutoff: 512.3,
                                 customerIDs: [], funnel: funnel)
        let r = LinkReport(selection: q, qualityCustomers: 410, withAccount: 246, withPosts: 240, linked: [], seedUserIDs: [],
                           accountsWithoutPosts: 6)
        #expect(r.description == "2,122 purchase lines → 1,026 customers → 820 active in 365 days → 410 quality "
                + "(top 50% by monetary ≥ ¥512.30) → 246 with a linked account → 240 with posts "
                + "(lost: 164 without account, 6 account without posts)")
    }

    @Test func endToEndFromFiles() throws {
        let dir = Scratch()
        let purchases = try dir.write("purchases.csv", """
            customer_id,order_id,sku,amount,purchased_at
            c1,o1,SKU-A,100,2026-04-01T10:00:00+08:00
            c1,o1,SKU-A,-100,2026-04-02
            c1,o2,SKU-B,30,2026-04-03
            c2,o3,SKU-A,80,2026-04-10
            c3,o4,SKU-A,5,2025-01-01
            """)
        let accounts = try dir.write("accounts.csv", "customer_id,user_id\nc1,u1\nc2,u2\nc2,u3\n")
        let (ps, _) = try PurchasesReader.load(purchases)
        let q = try QualitySelection.make(ps)
        // asOf 2026-04-10; c3 is 464 days old. c2 (80) and c1 (30 net) are eligible; the top half is c2.
        #expect(q.asOf == ISODate.daysFromCivil(year: 2026, month: 4, day: 10))
        #expect(q.customerIDs == ["c2"])
        let (links, _) = try AccountsReader.load(accounts)
        let r = LinkReport.make(quality: q, links: links, usersWithPosts: ["u3"])
        #expect(r.seedUserIDs == ["u3"])
    }
}
