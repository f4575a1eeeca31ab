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
        try bytes.withUnsafeBufferPointer { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    let msg = errnoText()
                    close(fd)
                    throw RuntimeFailure("\(path): write failed: \(msg)")
                }
                off += n
            }
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

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
