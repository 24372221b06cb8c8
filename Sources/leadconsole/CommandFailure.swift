import Foundation
import LeadOutbox

/// A message for stderr and the status to leave with.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let status: Int32
    var description: String { message }
}

func writeLine(_ text: String, toError: Bool = false) {
    // write(2) on the string's own bytes: Data(text.utf8) casts to ContiguousBytes, and the
    // first cast of a run scans every conformance in the binary (14% of `--version`'s time).
    var line = text + "\n"
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(
                toError ? STDERR_FILENO : STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }  // a closed pipe or a full disk: nothing more to say
            offset += written
        }
    }
}
