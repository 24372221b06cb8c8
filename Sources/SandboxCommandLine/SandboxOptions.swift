import ArgumentParser
import Glibc

/// The sandbox's command line, read by both `leadconsole sandbox` (which hands it on) and
/// `leadconsole-sandbox` (which runs the server). A module of its own so that the console's binary
/// carries the options' help without the server (Hummingbird and what it brings: 4.5 MB).
public struct SandboxOptions: ParsableArguments {
    public static let abstract = "Run a local server that behaves like Paramantra (for practice, demos and tests)."
    public static let discussion = """
        The first line printed is the endpoint URL; then the API key and app name it expects. Runs until SIGINT or SIGTERM. Faults: POST /__sandbox/faults (see docs/sandbox.md); what arrived: GET /__sandbox/leads.

        The sandbox's key is a practice key for this local server, not a Paramantra secret, so it may be given here.
        """
    /// EX_UNAVAILABLE (sysexits.h), as the README's table says: the port is taken or not allowed,
    /// or the sandbox's program is missing.
    public static let unavailable: Int32 = 69

    @Option(help: "Address to listen on (loopback by default).") public var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") public var port = 8080
    @Option(help: "The practice key to expect; a new one is generated when absent.") public var apiKey: String?
    @Option(help: "The app name (ACTION-ON) to expect.") public var appName = "LEADCONSOLE-DEMO"
    @Option(
        help: ArgumentHelp("Keep leads in this JSON-lines file across restarts.", valueName: "file"),
        completion: .file())
    public var data: String?
    @Flag(help: "Log every request to stderr.") public var verbose = false

    public init() {}

    public mutating func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        if let apiKey, apiKey.isEmpty || apiKey.contains(":") || apiKey.contains(where: \.isWhitespace) {
            throw ValidationError("--api-key must be non-empty, without spaces or colons")
        }
    }

    /// The options as arguments again, for the sandbox's own program.
    public var arguments: [String] {
        var words = ["--host", host, "--port", String(port), "--app-name", appName]
        if let apiKey { words += ["--api-key", apiKey] }
        if let data { words += ["--data", data] }
        if verbose { words.append("--verbose") }
        return words
    }

    /// The sandbox's program: `leadconsole-sandbox` beside the running `leadconsole` (the build
    /// folder, or the bin folder both are installed to), never one found in PATH.
    public static func program() -> String {
        let own = (try? resolvedExecutable()) ?? CommandLine.arguments[0]
        let folder = own.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (folder.isEmpty ? "." : folder) + "/leadconsole-sandbox"
    }

    private static func resolvedExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { throw ValidationError("no /proc/self/exe") }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
