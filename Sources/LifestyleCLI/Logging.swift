import Foundation
import Logging

/// Sends the library's swift-log messages to standard error: warnings and errors by default,
/// nothing below errors with --quiet, everything at LIFESTYLE_LOG_LEVEL (trace … critical) when set.
func configureLogging(quiet: Bool) {
    let level: Logger.Level
    if let name = ProcessInfo.processInfo.environment["LIFESTYLE_LOG_LEVEL"], let l = Logger.Level(rawValue: name.lowercased()) {
        level = l
    } else {
        level = quiet ? .error : .warning
    }
    LoggingBootstrap.once(level: level)
}

enum LoggingBootstrap {
    nonisolated(unsafe) static var done = false
    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
