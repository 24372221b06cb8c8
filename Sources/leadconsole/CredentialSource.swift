import Foundation
import ParamantraAPI

/// Where the submit command finds its credentials: the environment, or a key file that only its
/// owner can read. The key is never a command-line value (it would show in `ps`).
enum CredentialSource {
    static func load(environment: [String: String], keyFile: String?, endpointOverride: String?, appNameOverride: String?) throws(CommandFailure) -> Credentials {
        let key: String
        if let keyFile {
            key = try readKeyFile(keyFile)
        } else if let fromEnvironment = environment["PARAMANTRA_API_KEY"], !fromEnvironment.isEmpty {
            key = fromEnvironment.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            throw CommandFailure(
                message: "error: no API key: set PARAMANTRA_API_KEY or pass --api-key-file PATH (a file only you can read)",
                status: ExitStatus.configuration)
        }

        let endpointText = endpointOverride ?? environment["PARAMANTRA_URL"]
        var endpoint = Credentials.defaultEndpoint
        if let endpointText, !endpointText.isEmpty {
            guard let parsed = Credentials.endpoint(from: endpointText) else {
                throw CommandFailure(message: "error: the endpoint \"\(TerminalText.clean(endpointText))\" is not a URL (expected https://host/paramantra/api/data/new/format/json)", status: ExitStatus.configuration)
            }
            endpoint = parsed
        }
        guard let appName = appNameOverride ?? environment["PARAMANTRA_APP_NAME"], !appName.isEmpty else {
            throw CommandFailure(message: "error: no app name: set PARAMANTRA_APP_NAME or pass --app-name (the ACTION-ON value Paramantra gave you)", status: ExitStatus.configuration)
        }
        let credentials = Credentials(endpoint: endpoint, apiKey: APIKey(key), appName: appName)
        if let problem = credentials.problems().first {
            throw CommandFailure(message: "error: \(problem)", status: ExitStatus.configuration)
        }
        return credentials
    }

    /// Reads a key file, refusing one that others can read, as OpenSSH does with private keys.
    static func readKeyFile(_ path: String) throws(CommandFailure) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CommandFailure(message: "error: cannot read the key file \(path): \(String(cString: strerror(errno)))", status: ExitStatus.configuration)
        }
        if info.st_mode & 0o077 != 0 {
            throw CommandFailure(
                message: "error: the key file \(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); fix it with: chmod 600 \(path)",
                status: ExitStatus.configuration)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(message: "error: cannot read the key file \(path)", status: ExitStatus.configuration)
        }
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if key.isEmpty {
            throw CommandFailure(message: "error: the key file \(path) is empty", status: ExitStatus.configuration)
        }
        return key
    }
}
