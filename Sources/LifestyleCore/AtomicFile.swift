#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes (temporary file in the same directory, fsync, rename),
/// so a reader never sees a half-written file and a crash leaves the old file intact.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically; creates missing parent directories.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let dir = parentDirectory(of: path)
        try createDirectories(dir)
        let tmp = "\(dir)/.\(baseName(of: path)).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RuntimeFailure("\(path): cannot create temporary file: \(errnoText())") }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        do {
            try writeAll(fd, bytes, path: path)
        } catch {
            close(fd)
            throw error
        }
        if fsync(fd) != 0 {
            let msg = errnoText()
            close(fd)
            throw RuntimeFailure("\(path): fsync failed: \(msg)")
        }
        close(fd)
        guard rename(tmp, path) == 0 else { throw RuntimeFailure("\(path): rename failed: \(errnoText())") }
        ok = true
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Reads a whole file; the error names the file.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(file: path, reason: "cannot open: \(errnoText())") }
        defer { close(fd) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, reason: "read failed: \(errnoText())")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// `mkdir -p`.
    public static func createDirectories(_ path: String) throws {
        if path.isEmpty || isDirectory(path) { return }
        let parent = parentDirectory(of: path)
        if parent != path { try createDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw RuntimeFailure("\(path): cannot create directory: \(errnoText())")
        }
    }

    /// The size of a file in bytes (0 when it cannot be read, e.g. standard input).
    public static func size(of path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBufferPointer { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw RuntimeFailure("\(path): write failed: \(errnoText())")
                }
                off += n
            }
        }
    }

    /// A file written piece by piece through a 64 KiB buffer into a temporary file next to
    /// `path`, fsynced and renamed into place by `commit`; `-` streams to standard output.
    /// Dropped without `commit`, it leaves nothing behind.
    public final class Stream {
        public let path: String
        private let fd: Int32
        private let temporary: String?
        private var buffer: [UInt8] = []
        private var closed = false
        private var committed = false

        public init(path: String) throws {
            self.path = path
            if path == "-" {
                fd = STDOUT_FILENO
                temporary = nil
            } else {
                let dir = parentDirectory(of: path)
                try createDirectories(dir)
                let tmp = "\(dir)/.\(baseName(of: path)).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
                fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw RuntimeFailure("\(path): cannot create: \(errnoText())") }
                temporary = tmp
            }
            buffer.reserveCapacity(1 << 16)
        }

        deinit {
            if let temporary, !committed {
                if !closed { close(fd) }
                unlink(temporary)
            }
        }

        public func write(_ s: String) throws {
            buffer.append(contentsOf: s.utf8)
            if buffer.count >= 1 << 16 { try flush() }
        }

        public func flush() throws {
            guard !buffer.isEmpty else { return }
            try writeAll(fd, buffer, path: path)
            buffer.removeAll(keepingCapacity: true)
        }

        /// Flushes; for a file, fsyncs and renames it into place.
        public func commit() throws {
            try flush()
            guard let temporary else { return }
            guard fsync(fd) == 0 else { throw RuntimeFailure("\(path): fsync failed: \(errnoText())") }
            close(fd)
            closed = true
            guard rename(temporary, path) == 0 else { throw RuntimeFailure("\(path): rename failed: \(errnoText())") }
            committed = true
        }
    }

    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// The text of the current `errno`.
public func errnoText() -> String { String(cString: strerror(errno)) }
