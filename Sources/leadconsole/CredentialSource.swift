import Foundation
import LeadStore
import ParamantraAPI

/// Where the submit command finds its credentials: the environment, or a key file that only its
/// owner can read. The key is never a command-line value (it would show in `ps`).
enum CredentialSource {
    /// The credentials from the effective settings, or the message that says what to set.
    static func credentials(_ effective: EffectiveSettings) throws(CommandFailure) -> Credentials {
        let settings = effective.settings
        guard !settings.apiKey.isEmpty else {
            throw CommandFailure(
                message:
                    "error: no API key: set PARAMANTRA_API_KEY, pass --api-key-file PATH (a file only you can read), or run: leadconsole config set-key",
                status: ExitStatus.configuration)
        }
        guard !settings.appName.isEmpty else {
            throw CommandFailure(
                message:
                    "error: no app name: set PARAMANTRA_APP_NAME, pass --app-name, or run: leadconsole config set app_name NAME (the ACTION-ON value Paramantra gave you)",
                status: ExitStatus.configuration)
        }
        guard let credentials = settings.credentials else {
            throw CommandFailure(
                message: "error: the endpoint \"\(TerminalText.clean(settings.endpoint))\" is not a URL",
                status: ExitStatus.configuration)
        }
        if let problem = credentials.problems().first {
            throw CommandFailure(message: "error: \(problem)", status: ExitStatus.configuration)
        }
        return credentials
    }

    /// Reads a key file, refusing one that is not the user's own or that others can read, as
    /// OpenSSH does with private keys.
    static func readKeyFile(_ path: String) throws(CommandFailure) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CommandFailure(
                message: "error: cannot read the key file \(path): \(String(cString: strerror(errno)))",
                status: ExitStatus.configuration)
        }
        if let problem = TrustedPaths.check(URL(fileURLWithPath: path), .secretFile) {
            throw CommandFailure(message: "error: the key file \(problem)", status: ExitStatus.configuration)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(message: "error: cannot read the key file \(path)", status: ExitStatus.configuration)
        }
        let key = String(decoding: data, as: UTF8.self).trimmingSpace()
        if key.isEmpty {
            throw CommandFailure(message: "error: the key file \(path) is empty", status: ExitStatus.configuration)
        }
        return key
    }
}
