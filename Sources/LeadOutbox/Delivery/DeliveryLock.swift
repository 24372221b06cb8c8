import Foundation

/// Only one process delivers at a time: the holder of an exclusive `flock` on `deliver.lock` in
/// the data folder. Others only enqueue. The kernel drops the lock when the holder dies, even by
/// `kill -9`, so a crash never leaves the outbox without a deliverer.
public final class DeliveryLock: Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// nil when another process holds the lock.
    public static func tryAcquire(_ url: URL) throws -> DeliveryLock? {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io(url.path, String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        return DeliveryLock(fd: fd)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
