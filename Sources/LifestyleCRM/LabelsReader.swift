import LifestyleCore

/// Ground truth for evaluation: a CSV with a header holding `user_id` and `purchaser`
/// (`1`/`0`, `true`/`false`, `yes`/`no`; other columns ignored), read like every CRM file.
public enum LabelsReader {
    public static let columns = ["user_id", "purchaser"]

    /// User id → purchaser (a later line for the same user wins).
    public static func load(_ path: String, strict: Bool = false) throws -> (labels: [String: Bool], summary: ReadSummary) {
        var labels: [String: Bool] = [:]
        let summary = try CSVRecords(path: path, strict: strict, required: columns, what: "labels").forEach(progress: nil) {
            fields, header, line throws(LineProblem) -> (String, Bool) in
            let user = trimmedBlanks(fields[header.positions[0]])
            guard !user.isEmpty else { throw LineProblem(file: path, line: line, field: "user_id", reason: "empty") }
            let value = trimmedBlanks(fields[header.positions[1]])
            switch value.lowercased() {
            case "1", "true", "yes": return (user, true)
            case "0", "false", "no": return (user, false)
            default:
                throw LineProblem(file: path, line: line, field: "purchaser", reason: "\(quoted(value)) is not 1/0/true/false", kind: "not 1/0/true/false")
            }
        } _: { pair, _ in
            labels[pair.0] = pair.1
        }
        return (labels, summary)
    }
}
