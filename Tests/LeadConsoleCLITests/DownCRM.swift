import Foundation
import ParamantraSandbox
import TestSupport

/// A console's settings against a CRM that is down: a free loopback port with nothing on it
/// (learnt from a sandbox started and stopped), and the environment and defaults to reach it.
/// `comeBack()` starts the sandbox on that port, as a CRM back up.
struct DownCRM {
    let key = "tmux-key-0123456789"
    /// Held while the CRM is down, so that no sandbox another test starts is given the port.
    let hold: BoundSilentPort
    var port: Int { hold.number }
    var endpoint: String { "http://127.0.0.1:\(port)\(SandboxConfiguration.leadPath)" }
    let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
    var environment: [String: String]

    static func start(channel: String = "Walk-in", extra: [String: String] = [:]) async throws -> DownCRM {
        let crm = DownCRM(hold: try BoundSilentPort(), environment: [:])
        var done = crm
        done.environment = [
            "PARAMANTRA_URL": crm.endpoint, "PARAMANTRA_API_KEY": crm.key, "PARAMANTRA_APP_NAME": "TMUX",
            "LEADCONSOLE_DATA_DIR": crm.folder + "/data", "LEADCONSOLE_CONFIG_DIR": crm.folder + "/config",
            "HOME": crm.folder, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        ].merging(extra) { $1 }
        for (name, value) in [("default_subject", "Walk-in"), ("default_channel", channel), ("default_rep", "smith")] {
            _ = try await Binary.run(["config", "set", name, value], environment: done.environment)
        }
        return done
    }

    func comeBack() async throws -> Sandbox {
        hold.close()
        return try await Sandbox.start(SandboxConfiguration(port: port, apiKey: key, appName: "TMUX"))
    }

    func remove() {
        hold.close()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
