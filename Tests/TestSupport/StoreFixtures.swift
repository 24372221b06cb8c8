import Foundation
import ParamantraAPI

/// A fresh data folder in the temp directory, removed afterwards.
public struct TempFolder: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("leadstore-\(UUID().uuidString)")
        // 0700, as LeadConsole creates its data folder (a looser one is refused).
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }

    public static func with<T>(_ body: (TempFolder) async throws -> T) async throws -> T {
        let folder = try TempFolder()
        defer { folder.remove() }
        return try await body(folder)
    }
}

public func validLead(
    _ phone: String = "9876543210", first: String = "Asha", last: String = "Rao", email: String = "asha@example.in"
) -> ValidLead {
    try! Lead(
        firstName: first, lastName: last, phone: phone, email: email, subject: "Walk-in", channel: "Walk-in",
        rep: "smith"
    )
    .validated().get()
}

public func mode(_ path: String) -> Int {
    var info = stat()
    stat(path, &info)
    return Int(info.st_mode & 0o777)
}
