import Foundation
import LeadStore

/// A message for stderr and the status to leave with.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let status: Int32
    var description: String { message }
}

func writeLine(_ text: String, toError: Bool = false) {
    let data = Data((text + "\n").utf8)
    if toError {
        FileHandle.standardError.write(data)
    } else {
        FileHandle.standardOutput.write(data)
    }
}
