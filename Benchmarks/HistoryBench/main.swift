import ConsoleState
// The history, outbox and stats queries on a large database: what the history pane, the
// deliverer and the stats screen pay per call once a rep has sent a million leads. Prints one
// line per query: the median and worst of several runs.
// Usage: leadconsole-bench [LEADS] [path/to/leadconsole] (default 1,000,000; with the binary,
// `leadconsole report --since 30d` is timed on the same database too).
import Foundation
import GRDB
import LeadConsoleUI
import LeadOutbox
import ParamantraAPI
import Synchronization

let total = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadconsole-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: folder) }

func lead(_ n: Int) -> ValidLead {
    let phone = String(9_000_000_000 + n)
    return try! Lead(
        firstName: "Lead\(n)", lastName: n % 7 == 0 ? "नमस्ते" : "Rao", phone: phone, email: "lead\(n)@example.in",
        subject: "Walk-in", channel: "Walk-in", rep: "smith"
    ).validated().get()
}

func measure(_ label: String, runs: Int = 9, _ body: () async throws -> Void) async throws {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    times.sort()
    print(
        String(
            format: "  %-44@ median %8.3f ms   worst %8.3f ms", label as NSString, times[times.count / 2], times.last!))
}

let database = try LeadDatabase(directory: folder)
let clock = ContinuousClock()
let fillStart = clock.now
let batch = 10_000
var n = 0
while n < total {
    let count = min(batch, total - n)
    _ = try await database.enqueue(batch: (n..<(n + count)).map(lead))
    n += count
}
let fillTime = clock.now - fillStart
// A realistic history: nearly everything delivered, a few rejected, held or still queued; saved
// over the last 1,000 days up to now (1,000 a day at a million), by six channels, four reps and
// twelve projects, each answered 0.2-3 s after Ctrl-S. (The triggers keep the stats tallies.)
let raw = try DatabasePool(path: folder.appendingPathComponent("leads.sqlite").path)
let now = Date().timeIntervalSince1970
let spacing = 1_000 * 86_400 / Double(total)
try await raw.write { db in
    try db.execute(
        sql: """
            UPDATE lead SET state = CASE WHEN id % 1000 = 0 THEN 'queued' WHEN id % 997 = 0 THEN 'rejected'
                                         WHEN id % 50 = 0 THEN 'duplicate' ELSE 'accepted' END,
                            crm_id = CASE WHEN id % 1000 = 0 OR id % 997 = 0 THEN NULL ELSE CAST(id + 2880 AS TEXT) END,
                            attempts = 1,
                            created_at = ? - (? - id) * ?,
                            updated_at = ? - (? - id) * ? + 0.2 + (id % 29) / 10.0,
                            channel = 'Channel ' || (id * 7 % 6), rep = 'rep' || (id * 13 % 4),
                            project = 'Tower ' || (id * 31 % 12)
            """, arguments: [now, total, spacing, now, total, spacing])
}
print(
    "history of \(total) leads: filled in \(fillTime) (\(Int(Double(total) / (Double(fillTime.components.seconds) + 0.001))) leads/s, batches of \(batch))"
)

let newest = try await database.history(HistoryQuery(limit: 1)).first!.id
try await measure("first page (50 newest)") { _ = try await database.history(HistoryQuery(limit: 50)) }
try await measure("a page 900,000 leads deep (keyset)") {
    _ = try await database.history(HistoryQuery(before: max(1, newest - 900_000), limit: 50))
}
try await measure("first page of rejected") {
    _ = try await database.history(HistoryQuery(state: .rejected, limit: 50))
}
try await measure("search \"lead12345\" (trigram)") {
    _ = try await database.history(HistoryQuery(search: "lead12345", limit: 50))
}
try await measure("search \"9000054321\" (a phone)") {
    _ = try await database.history(HistoryQuery(search: "9000054321", limit: 50))
}
try await measure("search \"ra\" (two letters: scan, limit 50)") {
    _ = try await database.history(HistoryQuery(search: "ra", limit: 50))
}
try await measure("search \"+91 90000 54321\" (a phone as a person spells it)") {
    _ = try await database.history(HistoryQuery(search: "+91 90000 54321", limit: 50))
}
try await measure("search \"90000 5432\" (nine digits: prefix or anywhere in the number)") {
    _ = try await database.history(HistoryQuery(search: "90000 5432", limit: 50))
}
try await measure("returning-customer card (as the phone is typed)") {
    _ = try await database.customer(phone: PhoneNumber(tenDigits: "9000054321"))
}
try await measure("counts per state") { _ = try await database.counts() }
try await measure("duplicate look-up by phone") {
    _ = try await database.previousLead(phone: PhoneNumber(tenDigits: "9000054321"))
}
try await measure("next due time") { _ = try await database.nextDueDate() }
try await measure("claim the oldest due lead + record it", runs: 5) {
    if let claimed = try await database.claimNextDue() {
        try await database.record(
            DeliveryReport(outcome: .accepted(crmID: "1"), httpStatus: 200, rawBody: "", elapsed: .zero),
            for: claimed.id, policy: .standard)
    }
}
try await measure("enqueue one lead (fsync'd commit)", runs: 5) {
    _ = try await database.enqueue(lead(total + Int.random(in: 0..<1_000_000)))
}

// The stats screen's first draw (the period read from the tallies, then drawn at 200x60) and
// `leadconsole report --since 30d` as a rep runs it (the process, from start to exit).
print("stats of that history (target: under 50 ms each):")
let theme = Theme(color: true)
for named in [StatsPeriod.Named.today, .month] {
    try await measure("stats screen, \(named.title): read + draw 200x60") {
        let stats = try await database.stats(.named(named, now: Date(), timeZone: .current))
        var state = AppState(settings: Settings())
        state.screen = .stats
        state.stats.figures = stats
        _ = StatsView.render(state, columns: 200, rows: 60, theme: theme, now: Date())
    }
}
if CommandLine.arguments.count > 2 {
    let binary = CommandLine.arguments[2]
    var environment = ProcessInfo.processInfo.environment
    environment["LEADCONSOLE_DATA_DIR"] = folder.path
    environment["LEADCONSOLE_CONFIG_DIR"] = folder.appendingPathComponent("config").path
    try await measure("leadconsole report --since 30d (the process)") {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["report", "--since", "30d", "--width", "100"]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { fatalError("report exited \(process.terminationStatus)") }
    }
}

// doctor on that history (issue 23): the check of a sound file (integrity check, every id
// accounted for), and a salvage of a copy whose header is overwritten: every lead read from
// the pages and written into a new database. Once each: the salvage moves its file aside.
print("doctor on that history:")
try await raw.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
try await measure("doctor, sound file", runs: 1) { _ = try await DatabaseDoctor.run(directory: folder) }
let damaged = folder.appendingPathComponent("damaged")
try FileManager.default.createDirectory(at: damaged, withIntermediateDirectories: true)
chmod(damaged.path, 0o700)
try FileManager.default.copyItem(
    at: folder.appendingPathComponent("leads.sqlite"), to: damaged.appendingPathComponent("leads.sqlite"))
let header = try FileHandle(forUpdating: damaged.appendingPathComponent("leads.sqlite"))
try header.write(contentsOf: Data("XXXXXXXXXXXXXXXX".utf8))
try header.close()
var salvaged: DatabaseDoctor.Report?
let phaseStart = Mutex(ContinuousClock.now)
try await measure("doctor, header overwritten: read every page, rebuild", runs: 1) {
    salvaged = try await DatabaseDoctor.run(directory: damaged) { phase in
        // Each phase's start, from the run's: where the time goes.
        let since = phaseStart.withLock { ContinuousClock.now - $0 }
        print(
            String(
                format: "    at %8.1f ms: %@",
                Double(since.components.attoseconds) / 1e15 + Double(since.components.seconds) * 1000, phase))
    }
}
let held = try await database.counts().values.reduce(0, +)
print(
    "  saved \(salvaged?.savedTotal ?? 0) of \(held) leads, \(salvaged?.missingCount ?? 0) missing "
        + "(the bench's leads claim an attempt they have no row for: \(salvaged?.attemptsLost ?? 0) notes)")
