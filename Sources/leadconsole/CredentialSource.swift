import Foundation
import LeadOutbox
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
        if let problem = TrustedPaths.check(URL(fileURLWithPath: path), .secretFile) {
            throw CommandFailure(message: "error: the key file \(problem)", status: ExitStatus.configuration)
        }
        // Judged again on the file opened (a name can be swapped between a check and an open);
        // never blocks on a FIFO, never reads more than a key.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw CommandFailure(
                message: "error: cannot read the key file \(path): \(String(cString: strerror(errno)))",
                status: ExitStatus.configuration)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw CommandFailure(message: "error: cannot read the key file \(path)", status: ExitStatus.configuration)
        }
        let facts = TrustedPaths.Facts(
            owner: info.st_uid, mode: info.st_mode, isDirectory: info.st_mode & S_IFMT == S_IFDIR)
        if let problem = TrustedPaths.problem(path, .secretFile, facts, me: geteuid()) {
            throw CommandFailure(message: "error: the key file \(problem)", status: ExitStatus.configuration)
        }
        // A key and its newline; a longer file is not a key file (a sheet, a log given by mistake).
        let limit = Settings.maximumKeyBytes + 2
        if info.st_size > limit {
            throw CommandFailure(
                message:
                    "error: the key file \(path) is \(info.st_size) bytes long; a Paramantra key is at most \(Settings.maximumKeyBytes): check it is the key file",
                status: ExitStatus.configuration)
        }
        var bytes = [UInt8](repeating: 0, count: limit)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else {
            throw CommandFailure(message: "error: cannot read the key file \(path)", status: ExitStatus.configuration)
        }
        let key = String(decoding: bytes[0..<count], as: UTF8.self).trimmingSpace()
        if key.isEmpty {
            throw CommandFailure(message: "error: the key file \(path) is empty", status: ExitStatus.configuration)
        }
        return key
    }
}
