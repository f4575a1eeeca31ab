import LifestyleCore

/// One line of `accounts.csv`: a customer's social account (a customer may have several).
public struct AccountLink: Sendable, Equatable {
    public var customerID: String
    public var userID: String
    /// Line number in the file (1-based, the header is line 1).
    public var line: Int

    public init(customerID: String, userID: String, line: Int = 0) {
        self.customerID = customerID
        self.userID = userID
        self.line = line
    }
}

/// The customer ↔ account links of `accounts.csv`, both ways.
public struct AccountLinks: Sendable, Equatable {
    /// User ids of each customer, in file order.
    public private(set) var usersByCustomer: [String: [String]] = [:]
    /// The one customer of each user id.
    public private(set) var customerByUser: [String: String] = [:]
    /// Customers in order of first appearance.
    public private(set) var customers: [String] = []

    public init() {}

    /// Builds the links, keeping the first customer of a user id linked twice.
    public init(_ links: [AccountLink]) {
        for link in links { add(link) }
    }

    /// Number of (customer, user) links.
    public var count: Int { customerByUser.count }

    /// User ids linked to `customerID`, in file order (empty when none).
    public func userIDs(of customerID: String) -> [String] { usersByCustomer[customerID] ?? [] }

    /// Adds a link; false (and no change) when the user id is already linked.
    @discardableResult
    public mutating func add(_ link: AccountLink) -> Bool {
        guard customerByUser[link.userID] == nil else { return false }
        customerByUser[link.userID] = link.customerID
        if usersByCustomer[link.customerID] == nil { customers.append(link.customerID) }
        usersByCustomer[link.customerID, default: []].append(link.userID)
        return true
    }
}

/// Streams `accounts.csv`: a header holding at least `customer_id,user_id` (any order,
/// case-insensitive, extra columns ignored, byte order mark tolerated), then one link per line.
///
/// Bad lines (wrong field count, an empty id, a user id already linked to another customer) are
/// reported as `file:line: field: reason`, counted and skipped, or thrown with `strict`; a line
/// repeating an earlier link is skipped and counted (`user_id: duplicate of line 4`). A bad
/// header, an empty file and a file without one valid link are fatal.
public struct AccountsReader {
    public static let columns = ["customer_id", "user_id"]

    public let path: String
    public let strict: Bool

    public init(path: String, strict: Bool = false) {
        self.path = path
        self.strict = strict
    }

    /// Calls `body` for every valid, new link in file order; returns the summary.
    @discardableResult
    public func forEach(progress: ((Int) -> Void)? = nil, _ body: (AccountLink) throws -> Void) throws -> ReadSummary {
        var owners: [String: (customerID: String, line: Int)] = [:]
        return try CSVRecords(path: path, strict: strict, required: Self.columns, what: "account links").forEach(progress: progress) {
            fields, columns, line throws(LineProblem) -> AccountLink in
            let customerID = trimmedBlanks(fields[columns.positions[0]])
            let userID = trimmedBlanks(fields[columns.positions[1]])
            guard !customerID.isEmpty else { throw LineProblem(file: path, line: line, field: "customer_id", reason: "empty") }
            guard !userID.isEmpty else { throw LineProblem(file: path, line: line, field: "user_id", reason: "empty") }
            if let owner = owners[userID] {
                if owner.customerID == customerID {
                    throw LineProblem(file: path, line: line, field: "user_id", reason: "duplicate of line \(owner.line)", kind: "duplicate line")
                }
                throw LineProblem(file: path, line: line, field: "user_id",
                                  reason: "\(quoted(userID)) already linked to customer \(owner.customerID) (line \(owner.line))",
                                  kind: "already linked to another customer")
            }
            return AccountLink(customerID: customerID, userID: userID, line: line)
        } _: { link, line in
            owners[link.userID] = (link.customerID, line)
            try body(link)
        }
    }

    /// Reads the whole file into `AccountLinks`.
    public static func load(_ path: String, strict: Bool = false,
                            progress: ((Int) -> Void)? = nil) throws -> (links: AccountLinks, summary: ReadSummary) {
        var links = AccountLinks()
        let summary = try AccountsReader(path: path, strict: strict).forEach(progress: progress) { links.add($0) }
        return (links, summary)
    }
}
