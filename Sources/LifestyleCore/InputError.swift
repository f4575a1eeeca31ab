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
