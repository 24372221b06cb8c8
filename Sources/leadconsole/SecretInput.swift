import Foundation

/// Reads one secret line from standard input: with echo off when it is a terminal (restored on
/// every way out), plainly when it is a pipe (`leadconsole config set-key < keyfile`).
enum SecretInput {
    static func read(prompt: String) throws(CommandFailure) -> String {
        let isTerminal = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if isTerminal {
            FileHandle.standardError.write(Data(prompt.utf8))
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = readLine(strippingNewline: true) else { return "" }
        return line.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
