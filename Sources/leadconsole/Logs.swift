import Logging

/// Logs go to stderr, warnings and worse unless --verbose. Nothing logged ever holds the key:
/// requests are logged through their redacting description.
enum Logs {
    static func bootstrap(verbose: Bool) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .warning
            return handler
        }
    }
}
