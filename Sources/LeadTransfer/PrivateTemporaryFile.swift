import Foundation

/// A scratch file only this user can read (mkstemp: created 0600 with O_EXCL, so nobody can
/// plant it first in a shared /tmp), removed when this value goes. Converted sheets hold
/// customers' details.
final class PrivateTemporaryFile {
    let url: URL
    let handle: FileHandle

    init(suffix: String) throws(ImportError) {
        let folder = FileManager.default.temporaryDirectory.path
        var template = Array((folder + "/leadconsole-XXXXXX" + suffix).utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count)) }
        guard descriptor >= 0 else {
            throw .unreadable("cannot make a scratch file in \(folder): errno \(errno)")
        }
        url = URL(
            fileURLWithPath: String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    deinit {
        try? handle.close()
        unlink(url.path)
    }
}
