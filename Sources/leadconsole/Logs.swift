import Logging

/// Logs go to stderr, warnings and worse unless --verbose. Nothing logged ever holds the key:
/// requests are logged through their redacting description.
enum Logs {
    /// `quiet`: nothing at all (a full-screen console must not have log lines written over it).
    static func bootstrap(verbose: Bool, quiet: Bool = false) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .critical : verbose ? .debug : .warning
            return handler
        }
    }
}
