import Foundation
import TestSupport

/// The real `curl` binary, as a user of the vendor's document would run it.
struct Curl {
    struct Answer {
        let status: Int
        let body: String
        let headers: [String: String]
        /// curl's own complaint, when it had one ("Empty reply from server").
        let error: String
    }

    /// Runs curl with `arguments`, plus flags that capture the status and the headers.
    static func run(_ arguments: [String]) async throws -> Answer {
        let headerFile = NSTemporaryDirectory() + "/curl-headers-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: headerFile) }
        let result = try await Spawn.run(
            "/usr/bin/curl", ["-s", "-S", "--max-time", "20", "-D", headerFile, "-w", "\n%{http_code}"] + arguments)
        var text = result.stdout
        let statusLine = text.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        text = String(text.dropLast(statusLine.count + 1))
        var headers: [String: String] = [:]
        let raw = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        for line in raw.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return Answer(status: Int(statusLine) ?? 0, body: text, headers: headers, error: result.stderr)
    }
}
