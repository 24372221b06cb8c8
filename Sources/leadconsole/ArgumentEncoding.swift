import Foundation

/// Arguments as the kernel handed them over, checked for UTF-8 before ArgumentParser sees them:
/// Swift's `CommandLine.arguments` repairs invalid bytes to U+FFFD, and a customer's name would
/// reach the CRM as "Jos�". A script in another encoding (Latin-1, cp1252) gets exit 65 with the
/// option named instead.
enum ArgumentEncoding {
    /// The first argument that is not valid UTF-8, named by its option; nil when all are valid.
    static func invalidArgument(_ raw: [[UInt8]]) -> String? {
        for (index, bytes) in raw.enumerated() where index > 0 {
            guard String(validating: bytes, as: UTF8.self) == nil else { continue }
            // "--first-name=Jos\xE9" names itself; "--first-name Jos\xE9" is named by the word before.
            if bytes.starts(with: Array("-".utf8)), let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
                return String(decoding: bytes[..<equals], as: UTF8.self)
            }
            let previous = String(decoding: raw[index - 1], as: UTF8.self)
            if index > 1, previous.hasPrefix("-") { return previous }
            return "argument \(index)"
        }
        return nil
    }

    /// This process's arguments, byte for byte.
    static var processArguments: [[UInt8]] {
        (0..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
            return Array(
                UnsafeBufferPointer(
                    start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
        }
    }
}
