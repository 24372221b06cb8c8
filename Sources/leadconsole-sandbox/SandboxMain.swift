import ArgumentParser
import Foundation
import Glibc
import Logging
import ParamantraSandbox
import SandboxCommandLine

/// `leadconsole-sandbox` (also run as `leadconsole sandbox`, and by `leadconsole --demo`): a local
/// server that answers like Paramantra. A program of its own so that the console's binary, which
/// a rep starts all day, carries no server.
@main
struct SandboxMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadconsole-sandbox", abstract: SandboxOptions.abstract, discussion: SandboxOptions.discussion)

    @OptionGroup var options: SandboxOptions
    /// For `leadconsole --demo`: stop when standard input closes, which it does when the console
    /// ends in any way (a crash or a kill included), so no server outlives its console.
    @Flag(help: .hidden) var untilInputCloses = false

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = options.verbose ? .debug : .warning
            return handler
        }
        let configuration = SandboxConfiguration(
            host: options.host, port: options.port, apiKey: options.apiKey ?? SandboxConfiguration.generateKey(),
            appName: options.appName, dataFile: options.data.map { URL(fileURLWithPath: $0) })
        let sandbox: Sandbox
        do {
            sandbox = try await Sandbox.start(configuration, handleSignals: true)
        } catch {
            // Not 1: that status means only "the CRM rejected a lead".
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(SandboxOptions.unavailable)
        }
        // One write, flushed: a console reading these lines through a pipe sees them at once.
        let lines =
            "\(sandbox.endpoint.absoluteString)\napi key: \(configuration.apiKey)\napp name: \(configuration.appName)\n"
        FileHandle.standardOutput.write(Data(lines.utf8))
        if untilInputCloses {
            Thread.detachNewThread {
                var byte: UInt8 = 0
                while true {
                    let count = read(STDIN_FILENO, &byte, 1)
                    if count > 0 || (count < 0 && errno == EINTR) { continue }
                    break  // end of input, or an error reading it: the console is gone
                }
                Task { await sandbox.stop() }
            }
        } else {
            FileHandle.standardError.write(Data("stop with Ctrl-C\n".utf8))
        }
        await sandbox.waitUntilStopped()
    }
}
