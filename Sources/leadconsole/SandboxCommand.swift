import ArgumentParser
import Foundation
import LeadStore
import Logging
import ParamantraSandbox

/// `leadconsole sandbox`: a local server that answers like Paramantra, for practice and tests.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local server that behaves like Paramantra (for practice, demos and tests).",
        discussion: """
            The first line printed is the endpoint URL; then the API key and app name it expects. Runs until SIGINT or SIGTERM. Faults: POST /__sandbox/faults (see README); what arrived: GET /__sandbox/leads.

            The sandbox's key is a practice key for this local server, not a Paramantra secret, so it may be given here.
            """
    )

    @Option(help: "Address to listen on (loopback by default).") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port = 8080
    @Option(help: "The practice key to expect; a new one is generated when absent.") var apiKey: String?
    @Option(help: "The app name (ACTION-ON) to expect.") var appName = "LEADCONSOLE-DEMO"
    @Option(
        help: ArgumentHelp("Keep leads in this JSON-lines file across restarts.", valueName: "file"),
        completion: .file())
    var data: String?
    @Flag(help: "Log every request to stderr.") var verbose = false

    mutating func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        if let apiKey, apiKey.isEmpty || apiKey.contains(":") || apiKey.contains(where: \.isWhitespace) {
            throw ValidationError("--api-key must be non-empty, without spaces or colons")
        }
    }

    func run() async throws {
        Logs.bootstrap(verbose: verbose)
        let configuration = SandboxConfiguration(
            host: host, port: port, apiKey: apiKey ?? SandboxConfiguration.generateKey(), appName: appName,
            dataFile: data.map { URL(fileURLWithPath: $0) })
        let sandbox: Sandbox
        do {
            sandbox = try await Sandbox.start(configuration, handleSignals: true)
        } catch {
            // Not 1: that status means only "the CRM rejected a lead".
            writeLine("error: \(error)", toError: true)
            throw ExitCode(ExitStatus.unavailable)
        }
        writeLine(sandbox.endpoint.absoluteString)
        writeLine("api key: \(configuration.apiKey)")
        writeLine("app name: \(configuration.appName)")
        writeLine("stop with Ctrl-C", toError: true)
        await sandbox.waitUntilStopped()
    }
}
