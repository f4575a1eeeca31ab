/// RFC 4180 CSV helpers: quoted fields with `""` escapes and embedded newlines.
public enum CSV {
    /// True when `bytes` holds an even number of quote characters (a record is complete).
    public static func quotesBalanced(_ bytes: [UInt8]) -> Bool {
        var count = 0
        for b in bytes where b == UInt8(ascii: "\"") { count += 1 }
        return count % 2 == 0
    }

    /// Splits one record into fields.
    public static func split(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int) throws -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var i = 0
        var quoted = false
        var fieldStart = true
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        continue
                    }
                    quoted = false
                    i += 1
                    if i < bytes.count && bytes[i] != UInt8(ascii: ",") {
                        throw InputError(file: file, line: line, field: "column \(fields.count + 1)", reason: "characters after a closing quote")
                    }
                    continue
                }
                field.append(b)
            } else if b == UInt8(ascii: ",") {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldStart = true
                i += 1
                continue
            } else if b == UInt8(ascii: "\"") && fieldStart {
                quoted = true
            } else {
                field.append(b)
            }
            fieldStart = false
            i += 1
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}

/// Column positions of a CSV posts file, found from its header.
struct CSVColumns {
    var userID: Int
    var text: Int
    var postID: Int?
    var createdAt: Int?
    var count: Int

    init(header: UnsafeBufferPointer<UInt8>, file: String) throws {
        let names = try CSV.split(header, file: file, line: 1).map {
            $0.trimmingPrefix("\u{FEFF}").lowercased()
        }
        guard let u = names.firstIndex(of: "user_id") else {
            throw InputError(file: file, line: 1, field: "user_id", reason: "missing from header (found: \(names.joined(separator: ",")))")
        }
        guard let t = names.firstIndex(of: "text") else {
            throw InputError(file: file, line: 1, field: "text", reason: "missing from header (found: \(names.joined(separator: ",")))")
        }
        userID = u
        text = t
        postID = names.firstIndex(of: "post_id")
        createdAt = names.firstIndex(of: "created_at")
        count = names.count
    }

    func post(_ fields: [String], file: String, line: Int) throws -> Post? {
        if fields.count == 1 && fields[0].isEmpty { return nil }
        guard fields.count == count else {
            throw InputError(file: file, line: line, reason: "expected \(count) fields, found \(fields.count)")
        }
        guard !fields[userID].isEmpty else { throw InputError(file: file, line: line, field: "user_id", reason: "empty") }
        return Post(userID: fields[userID], text: fields[text], postID: postID.map { fields[$0] },
                    createdAt: createdAt.map { fields[$0] }, line: line)
    }
}

extension String {
    fileprivate func trimmingPrefix(_ p: String) -> String { hasPrefix(p) ? String(dropFirst(p.count)) : self }
}
