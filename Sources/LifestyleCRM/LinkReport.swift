import LifestyleCore

/// A quality customer with the linked accounts that have posts.
public struct LinkedCustomer: Sendable, Equatable {
    public var customerID: String
    /// Linked user ids with posts, in `accounts.csv` order.
    public var userIDs: [String]

    public init(customerID: String, userIDs: [String]) {
        self.customerID = customerID
        self.userIDs = userIDs
    }
}

/// How many quality customers can be followed to social accounts with posts, and the seed users
/// (their accounts) for the lookalike stage. Accounts without posts are reported, not errors.
public struct LinkReport: Sendable, Equatable {
    public var selection: QualitySelection
    /// Quality customers, those with at least one linked account, and those with a linked
    /// account that has posts.
    public var qualityCustomers: Int
    public var withAccount: Int
    public var withPosts: Int
    /// Quality customers with a linked account that has posts, by customer id.
    public var linked: [LinkedCustomer]
    /// Every linked user with posts of a quality customer: unique, sorted.
    public var seedUserIDs: [String]
    /// Accounts of quality customers whose user has no posts.
    public var accountsWithoutPosts: Int

    /// Quality customers lost for lack of an account, and with accounts that have no posts.
    public var withoutAccount: Int { qualityCustomers - withAccount }
    public var accountWithoutPosts: Int { withAccount - withPosts }

    public static func make(quality: QualitySelection, links: AccountLinks, usersWithPosts: Set<String>) -> LinkReport {
        var withAccount = 0
        var linked: [LinkedCustomer] = []
        var seeds = Set<String>()
        var accountsWithoutPosts = 0
        for customerID in quality.customerIDs {
            let users = links.userIDs(of: customerID)
            guard !users.isEmpty else { continue }
            withAccount += 1
            let posting = users.filter { usersWithPosts.contains($0) }
            accountsWithoutPosts += users.count - posting.count
            guard !posting.isEmpty else { continue }
            linked.append(LinkedCustomer(customerID: customerID, userIDs: posting))
            seeds.formUnion(posting)
        }
        return LinkReport(selection: quality, qualityCustomers: quality.customerIDs.count, withAccount: withAccount,
                          withPosts: linked.count, linked: linked, seedUserIDs: seeds.sorted(),
                          accountsWithoutPosts: accountsWithoutPosts)
    }

    /// The whole funnel on one line, e.g. `2,122 purchase lines → 1,026 customers → 820 active in
    /// 365 days → 410 quality (top 50% by monetary ≥ ¥512.30) → 246 with a linked account → 240
    /// with posts (lost: 164 without account, 6 account without posts)`. Steps that only matter
    /// when they drop someone (minimum orders, positive net amount, minimum amount) appear then.
    public func summary(currency: String = "¥") -> String {
        let f = selection.funnel
        let o = selection.options
        var steps = ["\(NumberFormat.grouped(f.purchaseLines)) purchase lines"]
        steps.append("\(NumberFormat.grouped(f.customers)) customers")
        steps.append("\(NumberFormat.grouped(f.active)) active in \(NumberFormat.grouped(o.recencyDays)) days")
        var previous = f.active
        if o.minOrders > 1 || f.withMinOrders != previous {
            steps.append("\(NumberFormat.grouped(f.withMinOrders)) with ≥ \(o.minOrders) order\(o.minOrders == 1 ? "" : "s")")
            previous = f.withMinOrders
        }
        if f.positiveMonetary != previous {
            steps.append("\(NumberFormat.grouped(f.positiveMonetary)) with a positive net amount")
            previous = f.positiveMonetary
        }
        if let n = f.atLeastMinMonetary, let floor = o.minMonetary {
            steps.append("\(NumberFormat.grouped(n)) with ≥ \(currency)\(NumberFormat.fixed2(floor))")
        }
        steps.append("\(NumberFormat.grouped(f.quality)) quality (\(selection.qualityClause(currency: currency)))")
        steps.append("\(NumberFormat.grouped(withAccount)) with a linked account")
        steps.append("\(NumberFormat.grouped(withPosts)) with posts (lost: \(NumberFormat.grouped(withoutAccount)) without account, "
                     + "\(NumberFormat.grouped(accountWithoutPosts)) account without posts)")
        return steps.joined(separator: " → ")
    }

    /// The funnel step by step, one line each, for the CLI: the selection's lines, then linking.
    public func lines(currency: String = "¥") -> [String] {
        var out = selection.lines(currency: currency)
        out.append("\(NumberFormat.grouped(withAccount)) with a linked account (\(NumberFormat.grouped(withoutAccount)) without)")
        var posts = "\(NumberFormat.grouped(withPosts)) with a linked account that has posts"
        posts += " (\(NumberFormat.grouped(accountWithoutPosts)) whose accounts have none; "
        posts += "\(NumberFormat.grouped(accountsWithoutPosts)) account\(accountsWithoutPosts == 1 ? "" : "s") without posts in all)"
        out.append(posts)
        out.append("\(NumberFormat.grouped(seedUserIDs.count)) seed user\(seedUserIDs.count == 1 ? "" : "s")")
        return out
    }
}

extension LinkReport: CustomStringConvertible {
    public var description: String { summary() }
}

extension QualitySelection: CustomStringConvertible {
    public var description: String { lines().joined(separator: "\n") }
}
