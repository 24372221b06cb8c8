import Foundation
import ParamantraAPI

@testable import LeadStore

/// A fresh data folder in the temp directory, removed afterwards.
struct TempFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("leadstore-\(UUID().uuidString)")
        // 0700, as LeadConsole creates its data folder (a looser one is refused).
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    static func with<T>(_ body: (TempFolder) async throws -> T) async throws -> T {
        let folder = try TempFolder()
        defer { folder.remove() }
        return try await body(folder)
    }
}

func validLead(
    _ phone: String = "9876543210", first: String = "Asha", last: String = "Rao", email: String = "asha@example.in"
) -> ValidLead {
    try! Lead(
        firstName: first, lastName: last, phone: phone, email: email, subject: "Walk-in", channel: "Walk-in",
        rep: "smith"
    )
    .validated().get()
}

func mode(_ path: String) -> Int {
    var info = stat()
    stat(path, &info)
    return Int(info.st_mode & 0o777)
}

func report(_ outcome: DeliveryOutcome, status: Int? = 200) -> DeliveryReport {
    DeliveryReport(outcome: outcome, httpStatus: status, rawBody: "{}", elapsed: .milliseconds(12))
}
