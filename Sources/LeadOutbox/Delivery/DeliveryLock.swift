import Foundation
import Synchronization

/// Only one process delivers at a time: the holder of an exclusive `flock` on `deliver.lock` in
/// the data folder. Others only enqueue. The kernel drops the lock when the holder dies, even by
/// `kill -9`, so a crash never leaves the outbox without a deliverer.
public final class DeliveryLock: Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    private static func open(_ url: URL) throws -> Int32 {
        let fd = Glibc.open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io(url.path, String(cString: strerror(errno))) }
        return fd
    }

    /// nil when another process holds the lock.
    public static func tryAcquire(_ url: URL) throws -> DeliveryLock? {
        let fd = try open(url)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        return DeliveryLock(fd: fd)
    }

    /// Waits for the lock in a thread of its own, blocked in `flock`: the kernel wakes it the
    /// moment the holder lets go or dies, where looking again every so often would wake this
    /// process for nothing. `acquired` is called (from that thread) once the lock is here to
    /// `take`. A waiter given up (`abandon`) lets the lock go as soon as it gets it.
    public final class Waiter: Sendable {
        private enum State {
            case waiting
            case acquired(DeliveryLock)
            case done
        }
        private let state = Mutex(State.waiting)

        public init(_ url: URL, acquired: @escaping @Sendable () -> Void) throws {
            let fd = try DeliveryLock.open(url)
            let thread = Thread { [self] in
                while flock(fd, LOCK_EX) != 0, errno == EINTR {}
                let lock = DeliveryLock(fd: fd)
                let kept = self.state.withLock { state -> Bool in
                    guard case .waiting = state else { return false }
                    state = .acquired(lock)
                    return true
                }
                if kept { acquired() }  // else `lock` ends here, and with it the flock
            }
            thread.name = "leadconsole.delivery-lock"
            thread.start()
        }

        /// The lock, once acquired; it is then the caller's.
        public func take() -> DeliveryLock? {
            state.withLock { state in
                guard case .acquired(let lock) = state else { return nil }
                state = .done
                return lock
            }
        }

        /// Not wanted any more: the lock is let go if it came, and at once if it comes later.
        public func abandon() { state.withLock { $0 = .done } }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
