import CLifestyleShims
import Foundation
import LifestyleCore
#if canImport(Glibc)
import Glibc
#endif

/// The on-disk model format version; loading refuses any other.
public let modelFormatVersion = 1

/// Writes a model directory so that readers never see a mix of old and new files.
///
/// Files go into a hidden staging directory next to the target (`.NAME.staging-PID`); `commit`
/// writes `manifest.json` last (with the SHA-256 of every other file), then swaps the staging
/// directory into place with one `renameat2(RENAME_EXCHANGE)` (or, where the file system cannot,
/// two renames) and removes the old contents. A failure before `commit` leaves the target as it was.
public final class ModelDirectoryWriter {
    public let target: String
    public let staging: String
    private(set) var checksums: [String: String] = [:]
    private var committed = false

    public init(target: String) throws {
        var t = target
        while t.count > 1 && t.hasSuffix("/") { t.removeLast() }
        self.target = t
        let parent = AtomicFile.parentDirectory(of: t)
        try AtomicFile.createDirectories(parent)
        staging = "\(parent)/.\(AtomicFile.baseName(of: t)).staging-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        try AtomicFile.createDirectories(staging)
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(atPath: staging) }
    }

    /// Path of a file inside the staging directory (for writers that take a directory).
    public func stagedPath(_ name: String) -> String { "\(staging)/\(name)" }

    /// Writes one file and records its checksum.
    public func put(_ name: String, _ bytes: [UInt8]) throws {
        try AtomicFile.write(bytes, to: stagedPath(name))
        checksums[name] = SHA256.hex(bytes)
    }

    public func put(_ name: String, json value: some Encodable) throws {
        try put(name, Self.encodeJSON(value))
    }

    /// Records the checksum of a file some other writer already put into the staging directory.
    public func adopt(_ name: String) throws {
        checksums[name] = SHA256.hex(try AtomicFile.read(stagedPath(name)))
    }

    /// Writes the manifest (given the checksums) and moves the directory into place.
    public func commit(manifest: (_ files: [String: String]) throws -> [UInt8]) throws {
        try AtomicFile.write(try manifest(checksums), to: stagedPath(ModelDirectory.manifestName))
        if AtomicFile.exists(target) {
            guard AtomicFile.isDirectory(target) else { throw InputError(file: target, reason: "exists and is not a directory") }
            guard Self.isReplaceable(target) else {
                throw InputError(file: target, reason: "exists and is neither empty nor a Lifestyle model directory: refusing to replace it (choose a new path such as \(target)/NAME)")
            }
            if lifestyle_rename_exchange(staging, target) == 0 {
                // staging now holds the old model.
                try? FileManager.default.removeItem(atPath: staging)
            } else {
                let old = "\(AtomicFile.parentDirectory(of: target))/.\(AtomicFile.baseName(of: target)).old-\(getpid())"
                guard rename(target, old) == 0 else { throw RuntimeFailure("\(target): cannot move the old model aside: \(errnoText())") }
                guard rename(staging, target) == 0 else {
                    let message = errnoText()
                    _ = rename(old, target)
                    throw RuntimeFailure("\(target): cannot move the new model into place: \(message)")
                }
                try? FileManager.default.removeItem(atPath: old)
            }
        } else {
            guard rename(staging, target) == 0 else { throw RuntimeFailure("\(target): cannot move the new model into place: \(errnoText())") }
        }
        committed = true
    }

    /// An existing directory may be replaced only when it is empty or holds a Lifestyle model
    /// (a manifest of our format): never a folder of other things given by mistake.
    static func isReplaceable(_ path: String) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        if entries.isEmpty { return true }
        guard let bytes = try? AtomicFile.read("\(path)/\(ModelDirectory.manifestName)") else { return false }
        struct Header: Decodable { var format: String? }
        return (try? JSONDecoder().decode(Header.self, from: Data(bytes)))?.format == ModelDirectory.format
    }

    static func encodeJSON(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [0x0A]
    }
}

/// Reads a model directory: checks the manifest's format and version, then the SHA-256 of every
/// file it names, before anything is used.
public struct ModelDirectory: Sendable {
    public static let manifestName = "manifest.json"
    public static let format = "lifestyle.model"

    public let path: String
    /// The raw manifest (decoded into the caller's type with `manifest(as:)`).
    public let manifestBytes: [UInt8]
    public let files: [String: String]
    /// Every listed file's bytes, read and verified once at open.
    private let contents: [String: [UInt8]]

    /// Opens `path`, refusing a missing manifest, another format or version, a missing file or a
    /// checksum mismatch — each with the file named.
    public init(path: String) throws {
        self.path = path
        let manifestPath = "\(path)/\(Self.manifestName)"
        guard AtomicFile.isDirectory(path) else { throw InputError(file: path, reason: "not found: expected a model directory (made by `lifestyle train`)") }
        guard AtomicFile.exists(manifestPath) else { throw InputError(file: manifestPath, reason: "not found: is \(path) a model directory?") }
        let bytes = try AtomicFile.read(manifestPath)
        struct Header: Decodable { var format: String?; var formatVersion: Int?; var files: [String: String]? }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(bytes)) else {
            throw InputError(file: manifestPath, reason: "not valid JSON: the manifest is corrupt")
        }
        guard header.format == Self.format else {
            throw InputError(file: manifestPath, field: "format", reason: "\(header.format.map { "\"\($0)\"" } ?? "missing"), expected \"\(Self.format)\"")
        }
        guard header.formatVersion == modelFormatVersion else {
            throw InputError(file: manifestPath, field: "formatVersion",
                             reason: "version \(header.formatVersion.map(String.init) ?? "missing") is not supported (this build reads version \(modelFormatVersion)); retrain with this version of lifestyle")
        }
        guard let files = header.files, !files.isEmpty else { throw InputError(file: manifestPath, field: "files", reason: "missing") }
        var contents: [String: [UInt8]] = [:]
        for (name, expected) in files.sorted(by: { $0.key < $1.key }) {
            guard !name.contains("/"), !name.hasPrefix(".") else { throw InputError(file: manifestPath, field: "files", reason: "unexpected file name \"\(name)\"") }
            let filePath = "\(path)/\(name)"
            guard AtomicFile.exists(filePath) else { throw InputError(file: filePath, reason: "missing (the manifest lists it)") }
            let fileBytes = try AtomicFile.read(filePath)
            let actual = SHA256.hex(fileBytes)
            guard actual == expected else {
                throw InputError(file: filePath, reason: "checksum mismatch (SHA-256 \(actual.prefix(12))…, manifest says \(expected.prefix(12))…): the file is corrupt or was modified; refusing to load")
            }
            contents[name] = fileBytes
        }
        self.manifestBytes = bytes
        self.files = files
        self.contents = contents
    }

    public func manifest<T: Decodable>(as type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(manifestBytes))
        } catch {
            throw InputError(file: "\(path)/\(Self.manifestName)", decoding: error, context: "invalid manifest")
        }
    }

    /// A file's bytes, as read and verified at open.
    public func bytes(_ name: String) throws -> [UInt8] {
        guard let bytes = contents[name] else { throw InputError(file: "\(path)/\(Self.manifestName)", field: "files", reason: "no entry for \(name)") }
        return bytes
    }

    public func json<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let b = try bytes(name)
        do {
            return try JSONDecoder().decode(type, from: Data(b))
        } catch {
            throw InputError(file: "\(path)/\(name)", decoding: error, context: "invalid JSON")
        }
    }

    public func has(_ name: String) -> Bool { files[name] != nil }
}
