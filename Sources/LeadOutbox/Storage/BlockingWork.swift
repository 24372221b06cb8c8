import Dispatch

/// Work that blocks a thread (opening and migrating a database, fsync, reading a whole file
/// page by page) run on a thread of its own, never on Swift's cooperative pool: that pool has
/// one thread per core, and a few blocked ones stall every task of the process (the console's
/// loop, delivery, and in a test run every other test).
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try work() }) }
    }
}
