import Foundation

/// Hands rows from the thread that parses a sheet's XML (Foundation's parser pushes) to the
/// importer (which pulls), holding at most `capacity` rows so memory stays flat whatever the
/// sheet's length. The reader going away stops the parser at its next row.
final class RowQueue: @unchecked Sendable {
    typealias Row = (number: Int, cells: [String])
    private let condition = NSCondition()
    private var rows: [Row] = []
    private var head = 0
    private var finished = false
    private var failure: ImportError?
    private var cancelled = false
    let capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// Called by the parser; false once nobody reads any more (the parser should stop).
    func put(_ row: Row) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while rows.count - head >= capacity, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        rows.append(row)
        condition.broadcast()
        return true
    }

    /// Called by the parser when the sheet ends, or fails.
    func finish(_ error: ImportError? = nil) {
        condition.lock()
        finished = true
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// The next row, nil at the end; throws what the parser met.
    func take() throws(ImportError) -> Row? {
        condition.lock()
        defer { condition.unlock() }
        while head == rows.count, !finished { condition.wait() }
        if head < rows.count {
            let row = rows[head]
            head += 1
            // Drop what was read in one go now and then, not on every row.
            if head >= capacity {
                rows.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            return row
        }
        if let failure { throw failure }
        return nil
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
