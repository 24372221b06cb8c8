import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// How to run a sandbox.
public struct SandboxConfiguration: Sendable {
    public static let leadPath = "/paramantra/api/data/new/format/json"

    public var host: String
    /// 0 picks a free port.
    public var port: Int
    public var apiKey: String
    public var appName: String
    /// A JSON-lines file that keeps the leads across restarts.
    public var dataFile: URL?

    public init(
        host: String = "127.0.0.1", port: Int = 0, apiKey: String = SandboxConfiguration.generateKey(),
        appName: String = "LEADCONSOLE-DEMO", dataFile: URL? = nil
    ) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.appName = appName
        self.dataFile = dataFile
    }

    /// A fresh demo key: 24 letters and digits, like the vendor's masked sample.
    public static func generateKey() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var random = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &random)! })
    }
}

/// A running sandbox: a real HTTP server on loopback that answers like Paramantra.
/// Start it in-process with `start`, ask it for `endpoint`, stop it with `stop`.
public final class Sandbox: Sendable {
    public let configuration: SandboxConfiguration
    /// The URL to send leads to, with the port actually bound.
    public let endpoint: URL
    public let port: Int
    private let ledger: SandboxLedger
    private let group: ServiceGroup
    private let runTask: Task<Void, Never>

    private init(
        configuration: SandboxConfiguration, port: Int, ledger: SandboxLedger, group: ServiceGroup,
        runTask: Task<Void, Never>
    ) {
        self.configuration = configuration
        self.port = port
        self.ledger = ledger
        self.group = group
        self.runTask = runTask
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        self.endpoint = URL(string: "http://\(host):\(port)\(SandboxConfiguration.leadPath)")!
    }

    /// Binds and starts serving; returns once the port is known. With `handleSignals`, SIGINT and
    /// SIGTERM stop it gracefully (for the `sandbox` command).
    public static func start(
        _ configuration: SandboxConfiguration, handleSignals: Bool = false,
        logger: Logger = Logger(label: "leadconsole.sandbox")
    ) async throws -> Sandbox {
        let ledger = try SandboxLedger(dataFile: configuration.dataFile)
        let router = SandboxRoutes.router(configuration: configuration, ledger: ledger)
        let (ports, portSink) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                portSink.yield(.success(channel.localAddress?.port ?? configuration.port))
            },
            logger: quiet
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [app],
                gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                logger: quiet))
        let runTask = Task(executorPreference: SandboxExecutor()) {
            do {
                try await group.run()
                portSink.yield(.failure(SandboxError.bind("the server stopped before it started")))
            } catch {
                portSink.yield(.failure(SandboxError.bind("\(error)")))
            }
            portSink.finish()
            await ledger.close()
        }
        for await result in ports {
            let port = try result.get()
            return Sandbox(configuration: configuration, port: port, ledger: ledger, group: group, runTask: runTask)
        }
        throw SandboxError.bind("the server stopped before it started")
    }

    /// Stops serving and waits until the port is closed.
    public func stop() async {
        await ledger.beginStopping()
        await group.triggerGracefulShutdown()
        await runTask.value
    }

    /// Waits until the server stops (by a signal, when started with `handleSignals`).
    public func waitUntilStopped() async {
        await runTask.value
    }

    public func leads() async -> [SandboxLead] { await ledger.leads }
    public func leadRequestCount() async -> Int { await ledger.leadRequests }
    public func malformedRequestCount() async -> Int { await ledger.malformedRequests }
    public func setFaults(_ faults: SandboxFaults) async { await ledger.setFaults(faults) }
}
