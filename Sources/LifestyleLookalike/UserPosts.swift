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

    /// Calls `body` with batches of users in file order.
    public func forEachBatch(progress: ((Int) -> Void)? = nil, _ body: (PostBatch) throws -> Void) throws -> Outcome {
        var batch = PostBatch()
        var current: [UInt8] = []
        var hasCurrent = false
        var outcome = Outcome(summary: ReadSummary(file: path))
        // Recently finished users: a direct-mapped table of 64-bit id hashes (8 MiB, fixed).
        let tableSize = 1 << 20
        var finished = [UInt64](repeating: 0, count: tableSize)
        outcome.summary = try PostsReader(path: path, strict: strict).forEachBytes(progress: progress) { post in
            if hasCurrent && Self.sameID(current, post.userID) {
                batch.appendPost(post.text)
                return
            }
            if hasCurrent {
                let h = Self.hash(current)
                finished[Int(h & UInt64(tableSize - 1))] = h
            }
            let h = Self.hash(post.userID)
            if finished[Int(h & UInt64(tableSize - 1))] == h {
                if stopOnRegroup { throw RegroupDetected() }
                outcome.regrouped += 1
                if outcome.firstRegrouped.count < 5 {
                    outcome.firstRegrouped.append("\(String(decoding: post.userID, as: UTF8.self)) (line \(post.line))")
                }
            }
            if batch.userCount == batchSize {
                try body(batch)
                outcome.users += batch.userCount
                batch.removeAll()
            }
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: post.userID)
            hasCurrent = true
            batch.appendUser(String(decoding: post.userID, as: UTF8.self))
            batch.appendPost(post.text)
        }
        if batch.userCount > 0 {
            try body(batch)
            outcome.users += batch.userCount
        }
        return outcome
    }

    /// The same id as `String` compares them (canonical equivalence: é precomposed or as e and
    /// a combining accent), on the bytes when they are equal or ASCII.
    static func sameID(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.elementsEqual(b) { return true }
        guard a.contains(where: { $0 >= 0x80 }) || b.contains(where: { $0 >= 0x80 }) else { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }

    /// FNV-1a over the UTF-8 bytes, never 0 (0 marks an empty slot).
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h == 0 ? 1 : h
    }
}

/// Users and their posts as UTF-8 bytes in one buffer: what `lifestyle score` moves from the
/// reader to the scoring threads, with no string per post.
public struct PostBatch: Sendable {
    public private(set) var ids: [String] = []
    /// User u's posts are posts `userStart[u] ..< userStart[u + 1]`.
    public private(set) var userStart: [Int] = [0]
    /// Post p's text is `bytes[textStart[p] ..< textStart[p + 1]]`.
    public private(set) var textStart: [Int] = [0]
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// The users `ids` with their posts (aligned).
    public init(ids: [String], posts: [[String]]) {
        precondition(ids.count == posts.count)
        for (id, texts) in zip(ids, posts) {
            appendUser(id)
            for t in texts { appendPost(t.utf8) }
        }
    }

    public var userCount: Int { ids.count }

    public mutating func appendUser(_ id: String) {
        ids.append(id)
        userStart.append(userStart[userStart.count - 1])
    }

    /// Adds a post to the last user.
    public mutating func appendPost<C: Collection>(_ text: C) where C.Element == UInt8 {
        precondition(!ids.isEmpty, "a post needs a user")
        bytes.append(contentsOf: text)
        textStart.append(bytes.count)
        userStart[userStart.count - 1] += 1
    }

    public mutating func removeAll() {
        ids.removeAll(keepingCapacity: true)
        userStart.removeAll(keepingCapacity: true)
        userStart.append(0)
        textStart.removeAll(keepingCapacity: true)
        textStart.append(0)
        bytes.removeAll(keepingCapacity: true)
    }

    /// The byte range of post p.
    public func text(_ p: Int) -> Range<Int> { textStart[p] ..< textStart[p + 1] }
}
