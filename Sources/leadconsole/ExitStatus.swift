import ArgumentParser

/// Exit statuses, from sysexits(3) where one fits, so scripts can tell outcomes apart.
enum ExitStatus {
    static let delivered: Int32 = 0
    static let rejected: Int32 = 1
    static let usage: Int32 = 64       // EX_USAGE (ArgumentParser uses it too)
    static let invalidLead: Int32 = 65 // EX_DATAERR
    static let noInput: Int32 = 66     // EX_NOINPUT: a file to read is missing or unreadable
    static let temporary: Int32 = 75   // EX_TEMPFAIL
    static let unauthorized: Int32 = 77 // EX_NOPERM
    static let cannotCreate: Int32 = 73 // EX_CANTCREAT: the data folder or database
    static let configuration: Int32 = 78 // EX_CONFIG
}

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

import Foundation
