/// An error in user-supplied input, carrying where it came from.
///
/// Prints as `file:line: field: reason` (the parts that are known), the way compilers and
/// linters report problems, so editors and terminals can jump to the spot.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var field: String?
    public var reason: String

    public init(file: String? = nil, line: Int? = nil, field: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var parts: [String] = []
        if let file {
            parts.append(line.map { "\(file):\($0)" } ?? file)
        } else if let line {
            parts.append("line \(line)")
        }
        if let field { parts.append(field) }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }
}

/// A runtime failure that is not the user's input: I/O, corrupt model files, resource limits.
public struct RuntimeFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension InputError {
    /// A JSON file that did not decode, named by the field path (`corpus.asOf`, `files[2]`) and
    /// what was wrong there, instead of the decoder's debug dump. `context` prefixes the reason
    /// (`invalid manifest`).
    public init(file: String, decoding error: Error, context: String) {
        guard let error = error as? DecodingError else {
            self.init(file: file, reason: "\(context): \(error)")
            return
        }
        func path(_ codingPath: [CodingKey], _ last: CodingKey? = nil) -> String? {
            let keys = codingPath + (last.map { [$0] } ?? [])
            guard !keys.isEmpty else { return nil }
            var out = ""
            for key in keys {
                if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out
        }
        switch error {
        case .keyNotFound(let key, let c):
            self.init(file: file, field: path(c.codingPath, key), reason: "\(context): missing (written by another version of Lifestyle?)")
        case .typeMismatch(let type, let c):
            self.init(file: file, field: path(c.codingPath), reason: "\(context): expected \(Self.jsonName(type))")
        case .valueNotFound(let type, let c):
            self.init(file: file, field: path(c.codingPath), reason: "\(context): null where \(Self.jsonName(type)) is expected")
        case .dataCorrupted(let c):
            let detail = (c.underlyingError.map { "\($0)" } ?? c.debugDescription)
            self.init(file: file, field: path(c.codingPath), reason: "\(context): \(c.codingPath.isEmpty ? "not valid JSON" : detail)")
        @unknown default:
            self.init(file: file, reason: "\(context): \(error)")
        }
    }

    static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            "\(type)".hasPrefix("Array") ? "an array" : "\(type)".hasPrefix("Dictionary") ? "an object" : "a \(type)"
        }
    }
}
