import Dispatch

/// Where the sandbox's request handling runs: a dispatch queue of its own, never the cooperative
/// pool of the process that started it. In a test (or the console's demo) that pool has as many
/// threads as cores, two here; a test blocked in a wait or a console busy drawing would otherwise
/// leave the server unable to answer, and a client's deadline would fire for a reason that is
/// not the server's. Child tasks (one per connection, Hummingbird's) inherit the preference, and
/// the ledger actor runs on whichever executor calls it, so the whole server stays here.
final class SandboxExecutor: TaskExecutor, @unchecked Sendable {
    // Serial and overcommitting: libdispatch gives it a thread when one is wanted, apart from
    // the cooperative pool's. The handlers are short; one thread answers thousands a second.
    private let queue = DispatchQueue(label: "leadconsole.sandbox", qos: .userInitiated)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
