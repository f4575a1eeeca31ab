/// A growable buffer of trivial values on a raw allocation: appends and subscripts without the
/// uniqueness check `ContiguousArray` pays on every write. Owned by one class, which frees it.
struct RawBuffer<T: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    init(repeating value: T, count: Int) {
        capacity = max(16, count)
        base = .allocate(capacity: capacity)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    func free() { base.deallocate() }

    @inline(__always)
    subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    @inline(__always)
    mutating func append(_ v: T) {
        if count == capacity { grow(to: capacity * 2) }
        (base + count).initialize(to: v)
        count += 1
    }

    mutating func append(contentsOf p: UnsafeBufferPointer<T>) {
        if count + p.count > capacity { grow(to: max(capacity * 2, count + p.count)) }
        for i in 0..<p.count { (base + count + i).initialize(to: p[i]) }
        count += p.count
    }

    mutating func reserve(_ n: Int) {
        // Geometric, so reserving a little more again and again stays linear overall.
        if n > capacity { grow(to: max(n, 2 * capacity)) }
    }

    mutating func removeAll() { count = 0 }

    /// Sets the count to `n` ≤ capacity: elements written through `base` beyond the old count
    /// become part of the buffer (all elements are trivial values).
    @inline(__always)
    mutating func resize(_ n: Int) {
        precondition(n <= capacity)
        count = n
    }

    private mutating func grow(to n: Int) {
        let b = UnsafeMutablePointer<T>.allocate(capacity: n)
        b.moveInitialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = n
    }

    var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }
}

