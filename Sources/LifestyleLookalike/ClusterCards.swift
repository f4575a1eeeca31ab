import Foundation
import LifestyleCore
import LifestyleVectors

/// What a quality customer is worth and buys (from RFM), aligned with the clustered rows.
public struct CustomerValue: Sendable, Codable, Equatable {
    public var customerID: String
    public var monetary: Double
    public var orders: Int
    /// SKU → number of orders containing it.
    public var skuOrders: [String: Int]

    public init(customerID: String, monetary: Double, orders: Int, skuOrders: [String: Int]) {
        self.customerID = customerID
        self.monetary = monetary
        self.orders = orders
        self.skuOrders = skuOrders
    }
}

/// One lifestyle cluster, described for people: who, how many, worth what, saying what, buying what.
public struct ClusterCard: Sendable, Codable, Equatable {
    public struct Term: Sendable, Codable, Equatable {
        public var term: String
        /// Weighted log-odds z-score of the term in the cluster vs the whole population.
        public var z: Double
        /// Share of the cluster's members who use the term.
        public var coverage: Double
    }

    public struct Affinity: Sendable, Codable, Equatable {
        public var sku: String
        public var orders: Int
        /// Share of the cluster's (distinct) orders that contain the SKU.
        public var share: Double
        /// `share` over the same share among all quality customers.
        public var lift: Double
    }

    public var id: Int
    /// A short name from the two most distinctive terms (e.g. "宝宝 · 奶粉").
    public var label: String
    /// Seed users (linked quality-customer accounts) in the cluster.
    public var size: Int
    /// Distinct quality customers behind those users.
    public var customers: Int
    /// Share of all clustered quality customers.
    public var share: Double
    public var meanMonetary: Double
    public var medianMonetary: Double
    public var meanOrders: Double
    /// Mean cosine of the members' lifestyle mixes (√θ) to their cluster's (how tight the lifestyle is).
    public var cohesion: Double
    public var terms: [Term]
    /// Posts of members nearest the centroid (empty with `--no-examples`).
    public var examples: [String]
    public var affinity: [Affinity]
}

/// Builds cluster cards from the clustering and the population's term counts.
public struct CardBuilder {
    /// Terms per card.
    public var topTerms = 12
    /// Representative posts per card (0 = none).
    public var examples = 5
    /// Prior strength of the weighted log-odds (Monroe et al. 2008's α₀), in units of the
    /// population's total count.
    public var priorScale = 0.01
    /// Longest example kept, in characters.
    public var exampleLength = 140

    public init() {}

    /// Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
    /// "Fightin' Words"): each term's z-score in a group's counts vs the population's.
    ///
    /// - Parameters:
    ///   - group: term counts of the group (column → count).
    ///   - population: term counts of the whole population (every column).
    /// - Returns: column → z, for columns with a count in the group.
    public static func weightedLogOdds(group: [Int32: Double], population: [Double], priorScale: Double) -> [(Int32, Double)] {
        let nPop = population.reduce(0, +)
        let nGroup = group.values.reduce(0, +)
        guard nPop > 0, nGroup > 0 else { return [] }
        let a0 = max(1, priorScale * nPop)
        var out: [(Int32, Double)] = []
        out.reserveCapacity(group.count)
        for (j, y) in group {
            let pop = population[Int(j)]
            let rest = max(0, pop - y)          // the population without the group
            let nRest = max(1, nPop - nGroup)
            let a = a0 * pop / nPop
            guard a > 0 else { continue }
            let g = log((y + a) / (nGroup + a0 - y - a))
            let r = log((rest + a) / (nRest + a0 - rest - a))
            let variance = 1 / (y + a) + 1 / (rest + a)
            out.append((j, (g - r) / variance.squareRoot()))
        }
        return out
    }

    /// - Parameters:
    ///   - labels: cluster of each seed row.
    ///   - k: number of clusters.
    ///   - counts: raw term counts of every population user (rows = users).
    ///   - seedRows: population row of each seed row.
    ///   - values: customer value of each seed row.
    ///   - cohesion: per-seed cosine to its centroid.
    ///   - termName: column → term.
    ///   - isWord: whether a column is a descriptive term (preferred on cards).
    ///   - isHidden: columns never shown (mentions, URLs).
    ///   - examples: for each cluster, candidate posts ranked best first (already chosen by the caller).
    public func cards(labels: [Int32], k: Int, counts: CSRMatrix, seedRows: [Int], values: [CustomerValue],
                      cohesion: [Float], termName: (Int) -> String, isWord: (Int) -> Bool,
                      isHidden: (Int) -> Bool = { _ in false }, examples: [[String]]) -> [ClusterCard] {
        var population = [Double](repeating: 0, count: counts.columns)
        for i in 0..<counts.nnz { population[Int(counts.columnIndices[i])] += Double(counts.values[i]) }

        // Quality-wide SKU order shares (each customer counted once).
        // Shares are of distinct orders (an order with two SKUs counts for both).
        var allSku: [String: Int] = [:]
        var allOrders = 0
        var seenCustomers = Set<String>()
        for v in values where seenCustomers.insert(v.customerID).inserted {
            for (s, n) in v.skuOrders { allSku[s, default: 0] += n }
            allOrders += v.orders
        }
        let totalCustomers = seenCustomers.count

        var cards: [ClusterCard] = []
        for c in 0..<k {
            let members = labels.indices.filter { labels[$0] == Int32(c) }
            var group: [Int32: Double] = [:]
            var users: [Int32: Int] = [:]
            for m in members {
                let r = seedRows[m]
                for p in counts.rowPointers[r] ..< counts.rowPointers[r + 1] {
                    let j = counts.columnIndices[p]
                    group[j, default: 0] += Double(counts.values[p])
                    users[j, default: 0] += 1
                }
            }
            let scored = Self.weightedLogOdds(group: group, population: population, priorScale: priorScale)
                .filter { $0.1 > 0 && !isHidden(Int($0.0)) }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            // Words first: single characters only when there are too few words.
            let words = scored.filter { isWord(Int($0.0)) }
            let chosen = (words.count >= topTerms ? words : words + scored.filter { !isWord(Int($0.0)) }).prefix(topTerms)
            let terms = chosen.map { ClusterCard.Term(term: termName(Int($0.0)), z: ($0.1 * 100).rounded() / 100,
                                                      coverage: members.isEmpty ? 0 : Double(users[$0.0] ?? 0) / Double(members.count)) }

            var customers: [String: CustomerValue] = [:]
            for m in members { customers[values[m].customerID] = values[m] }
            let monetary = customers.values.map(\.monetary).sorted()
            var skuOrders: [String: Int] = [:]
            for v in customers.values { for (s, n) in v.skuOrders { skuOrders[s, default: 0] += n } }
            let clusterOrders = customers.values.map(\.orders).reduce(0, +)
            let affinity = skuOrders.map { sku, n -> ClusterCard.Affinity in
                let share = clusterOrders > 0 ? Double(n) / Double(clusterOrders) : 0
                let base = allOrders > 0 ? Double(allSku[sku] ?? 0) / Double(allOrders) : 0
                return ClusterCard.Affinity(sku: sku, orders: n, share: share, lift: base > 0 ? share / base : 0)
            }.sorted { $0.share != $1.share ? $0.share > $1.share : $0.sku < $1.sku }

            let cohesionMean = members.isEmpty ? 0 : members.reduce(0.0) { $0 + Double(cohesion[$1]) } / Double(members.count)
            let label = terms.prefix(2).map(\.term).joined(separator: " · ")
            cards.append(ClusterCard(
                id: c, label: label.isEmpty ? "cluster \(c)" : label, size: members.count, customers: customers.count,
                share: totalCustomers > 0 ? Double(customers.count) / Double(totalCustomers) : 0,
                meanMonetary: monetary.isEmpty ? 0 : monetary.reduce(0, +) / Double(monetary.count),
                medianMonetary: median(monetary),
                meanOrders: customers.isEmpty ? 0 : Double(customers.values.map(\.orders).reduce(0, +)) / Double(customers.count),
                cohesion: cohesionMean, terms: terms,
                examples: Array(examples[c].prefix(self.examples)).map { truncate($0) },
                affinity: affinity))
        }
        return cards
    }

    func truncate(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= exampleLength ? flat : String(flat.prefix(exampleLength)) + "…"
    }
}

func median(_ sorted: [Double]) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}
