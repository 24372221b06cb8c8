import Foundation
import ParamantraSandbox
import TestSupport

/// The sandbox as its own process (`leadconsole sandbox`), driven over its HTTP controls. For the
/// heavy tests: thousands of requests served inside the test process would take its two
/// cooperative threads from every other test running beside it.
struct ExternalSandbox {
    let child: Spawn.Child
    let endpoint: String
    let key: String

    struct Listing: Decodable {
        struct Lead: Decodable {
            let contactNumber: String
            enum CodingKeys: String, CodingKey { case contactNumber = "contact_number" }
        }
        let leads: [Lead]
        let leadRequests: Int
        let malformedRequests: Int
        enum CodingKeys: String, CodingKey {
            case leads
            case leadRequests = "lead_requests"
            case malformedRequests = "malformed_requests"
        }
    }

    static func with(_ body: (ExternalSandbox, _ folder: String) async throws -> Void) async throws {
        let key = "ext-key-\(UUID().uuidString.prefix(13))"
        // A practice key: the sandbox takes it on its command line.
        let child = try Spawn.start(
            Binary.path, ["sandbox", "--port", "0", "--api-key", key, "--app-name", "CLITEST"],
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        defer { child.signal(SIGTERM) }
        guard await waitUntil(timeout: .seconds(30), { child.stdout.contains("\n") }),
            let endpoint = child.stdout.split(separator: "\n").first.map(String.init)
        else {
            throw NSError(
                domain: "ExternalSandbox", code: 1,
                userInfo: [NSLocalizedDescriptionKey: "sandbox did not start: \(child.stderr)"])
        }
        let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await body(ExternalSandbox(child: child, endpoint: endpoint, key: key), folder)
        _ = await child.wait(timeout: .seconds(30))
    }

    var control: String { endpoint.components(separatedBy: "/paramantra/").first! + "/__sandbox" }

    func listing() async throws -> Listing {
        let result = try await Spawn.run("/usr/bin/curl", ["-s", control + "/leads"])
        return try JSONDecoder().decode(Listing.self, from: Data(result.stdout.utf8))
    }

    func setFaults(_ json: String) async throws {
        _ = try await Spawn.run("/usr/bin/curl", ["-s", "-X", "POST", control + "/faults", "-d", json])
    }

    func environment(folder: String) -> [String: String] {
        [
            "PARAMANTRA_URL": endpoint, "PARAMANTRA_API_KEY": key, "PARAMANTRA_APP_NAME": "CLITEST",
            "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config", "HOME": folder,
            "LANG": "C.UTF-8",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        ]
    }
}
