import Foundation
import ParamantraAPI

/// The terminal settings to put back if a signal arrives while echo is off. Written once before
/// the handlers are installed and only read by them.
nonisolated(unsafe) private var savedTerminal = termios()

/// Reads one secret line from standard input: with echo off when it is a terminal (restored on
/// every way out, Ctrl-C and SIGTERM included), plainly when it is a pipe
/// (`leadconsole config set-key < keyfile`).
enum SecretInput {
    static func read(prompt: String) throws(CommandFailure) -> String {
        let isTerminal = isatty(STDIN_FILENO) == 1
        if isTerminal {
            FileHandle.standardError.write(Data(prompt.utf8))
            tcgetattr(STDIN_FILENO, &savedTerminal)
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig) { number in
                    tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal)
                    _exit(128 + number)
                }
            }
            var quiet = savedTerminal
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal)
                for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = readLine(strippingNewline: true) else { return "" }
        return line.trimmingSpace()
    }
}
