/// Carries a value across threads where the caller guarantees data-race freedom (disjoint
/// writes through a pointer, or exclusive use on one queue at a time).
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}

/// A value guarded by a mutex.
public final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLockLite()

    public init(_ value: T) { self.value = value }

    public func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
        try lock.withLock { try body(&value) }
    }
}
