#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file (or standard input for `-`) line by line without holding it in memory.
///
/// Lines are handed out as byte buffers valid only during the callback; a trailing `\r` is
/// stripped, so CRLF files read like LF files. Memory: one read buffer plus the longest line.
public struct LineReader: ~Copyable {
    public let path: String
    private let fd: Int32
    private let ownsFD: Bool

    /// Opens `path`; `-` means standard input.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = STDIN_FILENO
            ownsFD = false
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw InputError(file: path, reason: "cannot open: \(errnoText())") }
            ownsFD = true
        }
    }

    deinit {
        if ownsFD { close(fd) }
    }

    /// Calls `body(lineNumber, bytes)` for every line (1-based numbers); `body` returns false to stop.
    /// Also reports the bytes consumed so far through `progress` after each chunk.
    public func forEachLine(
        chunkSize: Int = 1 << 22,
        progress: ((Int) -> Void)? = nil,
        _ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Bool
    ) throws {
        var pending = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var lineNumber = 0
        var consumed = 0
        func emit(_ line: UnsafeBufferPointer<UInt8>) throws -> Bool {
            lineNumber += 1
            var n = line.count
            if n > 0 && line[n - 1] == 0x0D { n -= 1 }
            return try body(lineNumber, UnsafeBufferPointer(rebasing: line[0..<n]))
        }
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, reason: "read failed: \(errnoText())")
            }
            if n == 0 { break }
            consumed += n
            let stop: Bool = try chunk.withUnsafeBufferPointer { buf in
                var start = 0
                var i = 0
                while i < n {
                    // memchr is several times faster than a byte loop on long lines.
                    guard let hit = memchr(buf.baseAddress! + i, 0x0A, n - i) else { break }
                    let end = buf.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if pending.isEmpty {
                        if try !emit(UnsafeBufferPointer(rebasing: buf[start..<end])) { return true }
                    } else {
                        pending.append(contentsOf: buf[start..<end])
                        let keepGoing = try pending.withUnsafeBufferPointer { try emit($0) }
                        pending.removeAll(keepingCapacity: true)
                        if !keepGoing { return true }
                    }
                    start = end + 1
                    i = start
                }
                pending.append(contentsOf: buf[start..<n])
                return false
            }
            progress?(consumed)
            if stop { return }
        }
        if !pending.isEmpty {
            _ = try pending.withUnsafeBufferPointer { try emit($0) }
        }
    }

    /// Size in bytes when `path` is a regular file (for progress bars), else nil.
    public var fileSize: Int? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }
}
