import LifestyleCore

/// One line of `purchases.csv`: a (possibly negative, for a return) amount spent by a customer
/// on one SKU of one order.
public struct Purchase: Sendable, Equatable {
    public var customerID: String
    public var orderID: String
    public var sku: String
    /// Decimal amount; negative for a return, which nets out against the purchase.
    public var amount: Double
    /// Seconds since 1970-01-01T00:00:00Z (UTC, after applying any offset in the file).
    public var seconds: Int64
    /// Days since 1970-01-01 (UTC).
    public var day: Int
    /// Line number in the file (1-based, the header is line 1).
    public var line: Int

    public init(customerID: String, orderID: String, sku: String, amount: Double, seconds: Int64, day: Int, line: Int = 0) {
        self.customerID = customerID
        self.orderID = orderID
        self.sku = sku
        self.amount = amount
        self.seconds = seconds
        self.day = day
        self.line = line
    }

    /// A purchase on `day` at midnight UTC (handy for tests and synthetic data).
    public init(customerID: String, orderID: String, sku: String, amount: Double, day: Int, line: Int = 0) {
        self.init(customerID: customerID, orderID: orderID, sku: sku, amount: amount,
                  seconds: Int64(day) * 86_400, day: day, line: line)
    }
}

/// Streams `purchases.csv`: a header holding at least `customer_id,order_id,sku,amount,purchased_at`
/// (any order, case-insensitive, extra columns ignored, byte order mark tolerated), then one
/// purchase per line.
///
/// Bad lines (wrong field count, empty ids, an amount that is not a decimal number, a date that is
/// not ISO 8601 or impossible, an order id already used by another customer) are reported as
/// `file:line: field: reason`, counted and skipped, or thrown with `strict`. A line identical in
/// (order, customer, SKU, amount, instant) to an earlier one is a duplicate: skipped and counted
/// (`order_id: duplicate of line 12`; thrown in strict mode like any bad line). Several lines of one
/// order and customer (several SKUs, a return) are legitimate. A bad header, an empty file and a
/// file without one valid purchase are fatal.
public struct PurchasesReader {
    public static let columns = ["customer_id", "order_id", "sku", "amount", "purchased_at"]

    public let path: String
    public let strict: Bool

    public init(path: String, strict: Bool = false) {
        self.path = path
        self.strict = strict
    }

    /// Calls `body` for every valid purchase in file order; returns the summary.
    @discardableResult
    public func forEach(progress: ((Int) -> Void)? = nil, _ body: (Purchase) throws -> Void) throws -> ReadSummary {
        var owners: [String: (customerID: String, line: Int)] = [:]
        var seen: [PurchaseKey: Int] = [:]
        return try CSVRecords(path: path, strict: strict, required: Self.columns, what: "purchases").forEach(progress: progress) {
            fields, columns, line throws(LineProblem) -> Purchase in
            let parsed = try parse(fields, line: line, columns: columns)
            if let owner = owners[parsed.orderID], owner.customerID != parsed.customerID {
                throw LineProblem(file: path, line: line, field: "order_id",
                                  reason: "\(quoted(parsed.orderID)) already belongs to customer \(owner.customerID) (line \(owner.line))",
                                  kind: "already belongs to another customer")
            }
            if let earlier = seen[PurchaseKey(parsed)] {
                throw LineProblem(file: path, line: line, field: "order_id", reason: "duplicate of line \(earlier)", kind: "duplicate line")
            }
            return parsed
        } _: { purchase, line in
            seen[PurchaseKey(purchase)] = line
            if owners[purchase.orderID] == nil { owners[purchase.orderID] = (purchase.customerID, line) }
            try body(purchase)
        }
    }

    /// Reads the whole file into memory.
    public static func load(_ path: String, strict: Bool = false,
                            progress: ((Int) -> Void)? = nil) throws -> (purchases: [Purchase], summary: ReadSummary) {
        var purchases: [Purchase] = []
        let summary = try PurchasesReader(path: path, strict: strict).forEach(progress: progress) { purchases.append($0) }
        return (purchases, summary)
    }

    private func parse(_ fields: [String], line: Int, columns: CSVHeader) throws(LineProblem) -> Purchase {
        let p = columns.positions
        func required(_ k: Int) throws(LineProblem) -> String {
            let v = trimmedBlanks(fields[p[k]])
            guard !v.isEmpty else { throw LineProblem(file: path, line: line, field: Self.columns[k], reason: "empty") }
            return v
        }
        let customerID = try required(0)
        let orderID = try required(1)
        let sku = try required(2)
        let amountText = try required(3)
        let dateText = try required(4)
        let amount: Double
        do throws(ParseFailure) {
            amount = try Amount.decode(amountText)
        } catch {
            throw LineProblem(file: path, line: line, field: "amount", reason: error.reason, kind: error.kind)
        }
        let stamp: (seconds: Int64, day: Int)
        do throws(ParseFailure) {
            stamp = try ISODate.decode(dateText)
        } catch {
            throw LineProblem(file: path, line: line, field: "purchased_at", reason: error.reason, kind: error.kind)
        }
        return Purchase(customerID: customerID, orderID: orderID, sku: sku, amount: amount,
                        seconds: stamp.seconds, day: stamp.day, line: line)
    }
}

/// What makes two purchase lines identical: same order, customer, SKU, amount and instant.
private struct PurchaseKey: Hashable {
    var orderID: String
    var customerID: String
    var sku: String
    var amountBits: UInt64
    var seconds: Int64

    init(_ p: Purchase) {
        orderID = p.orderID
        customerID = p.customerID
        sku = p.sku
        amountBits = p.amount == 0 ? 0 : p.amount.bitPattern  // -0 equals 0
        seconds = p.seconds
    }
}
