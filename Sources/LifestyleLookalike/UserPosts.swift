import LifestyleCore

/// Every user's posts, kept as separate posts (for representative posts and per-post scoring)
/// and joinable into one document per user.
public struct UserPosts: Sendable {
    /// Users in order of first appearance.
    public var ids: [String]
    /// Posts of user `u` are `posts[postStart[u] ..< postStart[u + 1]]`, in file order.
    public var postStart: [Int]
    public var posts: [String]
    public var summary: ReadSummary

    public var userCount: Int { ids.count }

    public func posts(of u: Int) -> ArraySlice<String> { posts[postStart[u] ..< postStart[u + 1]] }

    /// All of a user's posts as one document (joined by newlines).
    public func document(_ u: Int) -> String { posts(of: u).joined(separator: "\n") }

    public func documents() -> [String] { (0..<ids.count).map(document) }

    public init(ids: [String], postStart: [Int], posts: [String], summary: ReadSummary) {
        self.ids = ids
        self.postStart = postStart
        self.posts = posts
        self.summary = summary
    }

    /// Reads a posts file (JSON Lines or CSV); a file with no valid post is an error.
    public static func load(_ path: String, strict: Bool = false, progress: ((Int) -> Void)? = nil) throws -> UserPosts {
        var position: [String: Int] = [:]
        var ids: [String] = []
        var perUser: [[String]] = []
        let summary = try PostsReader(path: path, strict: strict).forEach(progress: progress) { post in
            if let u = position[post.userID] {
                perUser[u].append(post.text)
            } else {
                position[post.userID] = ids.count
                ids.append(post.userID)
                perUser.append([post.text])
            }
        }
        guard !ids.isEmpty else {
            var reason = "no valid posts (\(summary.linesRead) lines read)"
            if let first = summary.firstErrors.first { reason += "; first problem: \(first)" }
            throw InputError(file: path, reason: reason)
        }
        var start = [0]
        start.reserveCapacity(ids.count + 1)
        var flat: [String] = []
        flat.reserveCapacity(summary.kept)
        for p in perUser {
            flat.append(contentsOf: p)
            start.append(flat.count)
        }
        return UserPosts(ids: ids, postStart: start, posts: flat, summary: summary)
    }

    /// The subset of users at `rows` (in that order).
    public func subset(_ rows: [Int]) -> UserPosts {
        var start = [0], flat: [String] = []
        for u in rows {
            flat.append(contentsOf: posts(of: u))
            start.append(flat.count)
        }
        return UserPosts(ids: rows.map { ids[$0] }, postStart: start, posts: flat, summary: summary)
    }
}

/// Streams users from a posts file whose posts are grouped by user (each user's posts on
/// consecutive lines, as a batch engine writes a partition sorted by user), holding one batch of
/// users at a time: memory does not grow with the file.
///
/// A user whose posts reappear after other users' posts is detected with a fixed-size table of
/// recently finished users and reported (`regrouped`) — the second group is scored separately.
public struct UserStream {
    public let path: String
    public let strict: Bool
    public let batchSize: Int

    /// Stop with `RegroupDetected` at the first user whose posts come back (the caller can
    /// then start over with the posts grouped in memory).
    public let stopOnRegroup: Bool

    public struct RegroupDetected: Error {}

    public init(path: String, strict: Bool = false, batchSize: Int = 4096, stopOnRegroup: Bool = false) {
        self.path = path
        self.strict = strict
        self.batchSize = batchSize
        self.stopOnRegroup = stopOnRegroup
    }

    public struct Outcome: Sendable {
        public var summary: ReadSummary
        public var users = 0
        /// Users whose posts were not contiguous (their id appeared again after another user's).
        public var regrouped = 0
        public var firstRegrouped: [String] = []
        /// The input was not grouped by user and was read into memory instead.
        public var groupedInMemory = false
    }

    /// Calls `body` with batches of users (ids and posts, aligned) in file order.
    public func forEachBatch(progress: ((Int) -> Void)? = nil,
                             _ body: (_ ids: [String], _ posts: [[String]]) throws -> Void) throws -> Outcome {
        var ids: [String] = []
        var posts: [[String]] = []
        var current: String?
        var outcome = Outcome(summary: ReadSummary(file: path))
        // Recently finished users: a direct-mapped table of 64-bit id hashes (8 MiB, fixed).
        let tableSize = 1 << 20
        var finished = [UInt64](repeating: 0, count: tableSize)
        func finish(_ id: String) {
            let h = Self.hash(id)
            finished[Int(h & UInt64(tableSize - 1))] = h
        }
        func seenBefore(_ id: String) -> Bool {
            let h = Self.hash(id)
            return finished[Int(h & UInt64(tableSize - 1))] == h
        }
        outcome.summary = try PostsReader(path: path, strict: strict).forEach(progress: progress) { post in
            if post.userID == current {
                posts[posts.count - 1].append(post.text)
                return
            }
            if let current { finish(current) }
            if seenBefore(post.userID) {
                if stopOnRegroup { throw RegroupDetected() }
                outcome.regrouped += 1
                if outcome.firstRegrouped.count < 5 { outcome.firstRegrouped.append("\(post.userID) (line \(post.line))") }
            }
            if ids.count == batchSize {
                try body(ids, posts)
                outcome.users += ids.count
                ids.removeAll(keepingCapacity: true)
                posts.removeAll(keepingCapacity: true)
            }
            current = post.userID
            ids.append(post.userID)
            posts.append([post.text])
        }
        if !ids.isEmpty {
            try body(ids, posts)
            outcome.users += ids.count
        }
        return outcome
    }

    /// FNV-1a over the UTF-8 bytes, never 0 (0 marks an empty slot).
    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h == 0 ? 1 : h
    }
}
