import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP port on 127.0.0.1 that is bound but never listens: a connection to it is refused at
/// once, and while it is held the kernel gives the port to no one else (a port freed by stopping
/// a server was given to a sandbox another test started meanwhile, whose "Not authorized" the
/// test then got). Closed once, by `close()` or when it goes.
public final class BoundSilentPort: Sendable {
    public let number: Int
    private let descriptor: Mutex<Int32?>

    public struct Failure: Error { public let call: String }

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(fd)
            throw Failure(call: "bind")
        }
        descriptor = Mutex(fd)
        number = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Frees the port (for a server that is to take it).
    public func close() {
        descriptor.withLock { fd in
            if let open = fd { Glibc.close(open) }
            fd = nil
        }
    }

    deinit { close() }
}
