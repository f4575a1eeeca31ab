import LifestyleCore

/// How quality customers are chosen from their recency, frequency and monetary value.
public struct RFMOptions: Sendable, Equatable {
    /// The reference day (days since 1970-01-01); nil means the newest purchase day in the data.
    /// Purchases dated after it are left out.
    public var asOf: Int?
    /// The recency window: a customer is active when their last purchase falls within the
    /// `recencyDays` days ending with `asOf` (`asOf` included), i.e. recency < `recencyDays`.
    public var recencyDays: Int
    /// Fewest orders (distinct order ids with a positive net amount) of a quality customer.
    public var minOrders: Int
    /// Share of the eligible customers kept, the best by monetary value first (0 < share ≤ 1).
    public var topMonetary: Double
    /// Optional floor on the net monetary value of a quality customer.
    public var minMonetary: Double?

    public init(asOf: Int? = nil, recencyDays: Int = 365, minOrders: Int = 1,
                topMonetary: Double = 0.5, minMonetary: Double? = nil) {
        self.asOf = asOf
        self.recencyDays = recencyDays
        self.minOrders = minOrders
        self.topMonetary = topMonetary
        self.minMonetary = minMonetary
    }

    /// Throws an `InputError` naming the command-line option of the first bad value.
    public func validate() throws {
        guard topMonetary > 0 && topMonetary <= 1 else {
            throw InputError(field: "--top-monetary", reason: "\(NumberFormat.plain(topMonetary)) should be in (0, 1]")
        }
        guard recencyDays >= 1 else {
            throw InputError(field: "--recency-days", reason: "\(recencyDays) should be at least 1")
        }
        guard minOrders >= 1 else {
            throw InputError(field: "--min-orders", reason: "\(minOrders) should be at least 1")
        }
        if let minMonetary, !minMonetary.isFinite {
            throw InputError(field: "--min-monetary", reason: "\(minMonetary) should be a finite number")
        }
    }
}

/// One customer's recency, frequency and monetary value as of a day.
///
/// Amounts are netted: a return (negative amount) cancels the purchase it refunds. Net sums are
/// rounded to 1e-6 so that a full refund gives exactly 0 whatever the floating-point order.
public struct CustomerRFM: Sendable, Equatable {
    public var customerID: String
    /// `asOf` − `lastDay`.
    public var recencyDays: Int
    /// Distinct order ids whose net amount is positive.
    public var orders: Int
    /// Net sum of all amounts (returns netted out).
    public var monetary: Double
    /// First and last day with a purchase (a positive amount) in an order that nets positive, so
    /// a fully returned order does not make a customer recent; failing that, the first and last
    /// day with any purchase, or with any line when the customer has none.
    public var firstDay: Int
    public var lastDay: Int
    /// Purchase lines counted (dated on or before `asOf`).
    public var lines: Int
    /// Net amount per SKU.
    public var skuAmounts: [String: Double]
    /// Per SKU, the distinct orders in which its net amount is positive.
    public var skuOrders: [String: Int]

    public init(customerID: String, recencyDays: Int, orders: Int, monetary: Double, firstDay: Int, lastDay: Int,
                lines: Int, skuAmounts: [String: Double] = [:], skuOrders: [String: Int] = [:]) {
        self.customerID = customerID
        self.recencyDays = recencyDays
        self.orders = orders
        self.monetary = monetary
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.lines = lines
        self.skuAmounts = skuAmounts
        self.skuOrders = skuOrders
    }
}

/// RFM values of every customer with a purchase line on or before `asOf`, by customer id.
public struct RFMTable: Sendable, Equatable {
    public var asOf: Int
    /// True when `asOf` was the newest purchase day (no day given in the options).
    public var asOfIsNewestPurchase: Bool
    /// Sorted by customer id.
    public var customers: [CustomerRFM]
    /// Purchase lines given, and those left out because they are dated after `asOf`.
    public var purchaseLines: Int
    public var linesAfterAsOf: Int
    /// Distinct customer ids among all lines (including those only seen after `asOf`).
    public var customersInFile: Int

    public subscript(customerID: String) -> CustomerRFM? {
        var lo = 0, hi = customers.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if customers[mid].customerID < customerID { lo = mid + 1 } else { hi = mid }
        }
        return lo < customers.count && customers[lo].customerID == customerID ? customers[lo] : nil
    }
}

/// Recency, frequency, monetary.
public enum RFM {
    /// Computes every customer's RFM values; validates `options` first. Throws an `InputError`
    /// when `asOf` must default to the newest purchase day but there are no purchases.
    public static func compute(_ purchases: [Purchase], options: RFMOptions = RFMOptions()) throws -> RFMTable {
        try options.validate()
        guard let asOf = options.asOf ?? purchases.lazy.map(\.day).max() else {
            throw InputError(reason: "no purchases to compute RFM from")
        }
        var accumulators: [String: Accumulator] = [:]
        var allCustomers = Set<String>()
        var after = 0
        for p in purchases {
            allCustomers.insert(p.customerID)
            if p.day > asOf {
                after += 1
                continue
            }
            accumulators[p.customerID, default: Accumulator()].add(p)
        }
        var customers = accumulators.map { $0.value.result(customerID: $0.key, asOf: asOf) }
        customers.sort { $0.customerID < $1.customerID }
        return RFMTable(asOf: asOf, asOfIsNewestPurchase: options.asOf == nil, customers: customers,
                        purchaseLines: purchases.count, linesAfterAsOf: after, customersInFile: allCustomers.count)
    }

    /// `x` rounded to 1e-6 (net sums: a full refund nets to exactly 0).
    static func net(_ x: Double) -> Double {
        let r = (x * 1e6).rounded() / 1e6
        return r == 0 ? 0 : r
    }

    private struct Accumulator {
        var lines = 0
        var total = 0.0
        var orderNets: [String: Double] = [:]
        /// Per order, the first and last day of its purchase (positive) lines.
        var orderDays: [String: (first: Int, last: Int)] = [:]
        var orderSKUNets: [OrderSKU: Double] = [:]
        var skuTotals: [String: Double] = [:]
        var firstAny = Int.max, lastAny = Int.min
        var firstBought = Int.max, lastBought = Int.min

        mutating func add(_ p: Purchase) {
            lines += 1
            total += p.amount
            orderNets[p.orderID, default: 0] += p.amount
            orderSKUNets[OrderSKU(order: p.orderID, sku: p.sku), default: 0] += p.amount
            skuTotals[p.sku, default: 0] += p.amount
            firstAny = min(firstAny, p.day)
            lastAny = max(lastAny, p.day)
            if p.amount > 0 {
                firstBought = min(firstBought, p.day)
                lastBought = max(lastBought, p.day)
                let d = orderDays[p.orderID] ?? (p.day, p.day)
                orderDays[p.orderID] = (min(d.first, p.day), max(d.last, p.day))
            }
        }

        func result(customerID: String, asOf: Int) -> CustomerRFM {
            var firstKept = Int.max, lastKept = Int.min
            for (order, days) in orderDays where RFM.net(orderNets[order] ?? 0) > 0 {
                firstKept = min(firstKept, days.first)
                lastKept = max(lastKept, days.last)
            }
            let bought = firstBought != Int.max
            let first = firstKept != Int.max ? firstKept : bought ? firstBought : firstAny
            let last = lastKept != Int.min ? lastKept : bought ? lastBought : lastAny
            var skuOrders: [String: Int] = [:]
            for (key, value) in orderSKUNets where RFM.net(value) > 0 { skuOrders[key.sku, default: 0] += 1 }
            return CustomerRFM(
                customerID: customerID, recencyDays: asOf - last,
                orders: orderNets.values.reduce(0) { $0 + (RFM.net($1) > 0 ? 1 : 0) },
                monetary: RFM.net(total), firstDay: first, lastDay: last, lines: lines,
                skuAmounts: skuTotals.mapValues(RFM.net), skuOrders: skuOrders)
        }
    }

    private struct OrderSKU: Hashable {
        var order: String
        var sku: String
    }
}

/// How many customers survive each step of the quality selection.
public struct QualityFunnel: Sendable, Equatable {
    /// Purchase lines given, and those dated after `asOf` (left out).
    public var purchaseLines: Int
    public var linesAfterAsOf: Int
    /// Distinct customers among all purchase lines.
    public var customers: Int
    /// Customers whose last purchase is within the recency window.
    public var active: Int
    /// … with at least `minOrders` orders.
    public var withMinOrders: Int
    /// … with a positive net monetary value.
    public var positiveMonetary: Int
    /// … at or above `minMonetary`, when one is set.
    public var atLeastMinMonetary: Int?
    /// … kept as the top share by monetary value: the quality customers.
    public var quality: Int
}

/// The quality customers: active, frequent enough, positive net spend, in the top share by
/// monetary value (ties at the cut-off broken by customer id, so the result is deterministic).
public struct QualitySelection: Sendable, Equatable {
    public var asOf: Int
    public var asOfIsNewestPurchase: Bool
    public var options: RFMOptions
    /// Monetary value of the last customer kept (nil when nobody was eligible).
    public var monetaryCutoff: Double?
    /// Quality customer ids, sorted.
    public var customerIDs: [String]
    public var funnel: QualityFunnel

    /// Selects the quality customers of `table` (computed with the same options).
    public static func make(_ table: RFMTable, options: RFMOptions = RFMOptions()) throws -> QualitySelection {
        try options.validate()
        let active = table.customers.filter { $0.recencyDays < options.recencyDays }
        let frequent = active.filter { $0.orders >= options.minOrders }
        let positive = frequent.filter { $0.monetary > 0 }
        var eligible = positive
        if let floor = options.minMonetary { eligible = eligible.filter { $0.monetary >= floor } }
        eligible.sort { $0.monetary != $1.monetary ? $0.monetary > $1.monetary : $0.customerID < $1.customerID }
        let kept = Array(eligible.prefix(keptCount(share: options.topMonetary, of: eligible.count)))
        let funnel = QualityFunnel(
            purchaseLines: table.purchaseLines, linesAfterAsOf: table.linesAfterAsOf, customers: table.customersInFile,
            active: active.count, withMinOrders: frequent.count, positiveMonetary: positive.count,
            atLeastMinMonetary: options.minMonetary == nil ? nil : eligible.count, quality: kept.count)
        return QualitySelection(asOf: table.asOf, asOfIsNewestPurchase: table.asOfIsNewestPurchase, options: options,
                                monetaryCutoff: kept.last?.monetary, customerIDs: kept.map(\.customerID).sorted(),
                                funnel: funnel)
    }

    /// Computes RFM values and selects the quality customers in one go.
    public static func make(_ purchases: [Purchase], options: RFMOptions = RFMOptions()) throws -> QualitySelection {
        try make(RFM.compute(purchases, options: options), options: options)
    }

    /// ⌈share × n⌉ (at least one of a non-empty set), tolerant of `0.3 × 10 = 3.0000000000000004`.
    static func keptCount(share: Double, of n: Int) -> Int {
        guard n > 0 else { return 0 }
        let x = share * Double(n)
        let k = Int((x - 1e-9 * max(1, x)).rounded(.up))
        return min(n, max(1, k))
    }

    /// The selection step by step, one line each, for the CLI.
    public func lines(currency: String = "¥") -> [String] {
        let f = funnel
        var out: [String] = []
        let date = ISODate.format(day: asOf)
        out.append("as of \(date)" + (asOfIsNewestPurchase ? " (the newest purchase)" : ""))
        var first = "\(NumberFormat.grouped(f.purchaseLines)) purchase lines"
        if f.linesAfterAsOf > 0 { first += " (\(NumberFormat.grouped(f.linesAfterAsOf)) dated after \(date) left out)" }
        out.append(first)
        out.append("\(NumberFormat.grouped(f.customers)) customers")
        out.append("\(NumberFormat.grouped(f.active)) active in the last \(NumberFormat.grouped(options.recencyDays)) days")
        out.append("\(NumberFormat.grouped(f.withMinOrders)) with ≥ \(options.minOrders) order\(options.minOrders == 1 ? "" : "s")")
        out.append("\(NumberFormat.grouped(f.positiveMonetary)) with a positive net amount")
        if let n = f.atLeastMinMonetary, let floor = options.minMonetary {
            out.append("\(NumberFormat.grouped(n)) with a net amount ≥ \(currency)\(NumberFormat.fixed2(floor))")
        }
        out.append("\(NumberFormat.grouped(f.quality)) quality: \(qualityClause(currency: currency))")
        return out
    }

    /// `top 50% by monetary ≥ ¥512.30`.
    func qualityClause(currency: String) -> String {
        var s = "top \(NumberFormat.percent(options.topMonetary)) by monetary"
        if let monetaryCutoff { s += " ≥ \(currency)\(NumberFormat.fixed2(monetaryCutoff))" }
        return s
    }
}
