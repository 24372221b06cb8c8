import ConsoleState
// What a keystroke costs in the console once the history is large: key map, reducer, the whole
// frame (state → screen buffer) and its diff against the previous frame, at 200x60, with
// 100,000 leads in the database. Typing must not touch the database: the bench counts the
// effects typing asks for and fails if any does. Usage: leadconsole-ui-bench [LEADS].
import Foundation
import LeadConsoleUI
import LeadOutbox
import ParamantraAPI

let total = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
let (columns, rows) = (200, 60)
DisplayWidth.prepare()
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadconsole-ui-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: folder) }
let database = try LeadDatabase(directory: folder)
var n = 0
while n < total {
    let count = min(10_000, total - n)
    _ = try await database.enqueue(
        batch: (n..<(n + count)).map { i in
            try! Lead(
                firstName: "Lead\(i)", lastName: i % 7 == 0 ? "नमस्ते" : "Rao", phone: String(9_000_000_000 + i),
                email: "lead\(i)@example.in",
                subject: "Walk-in", channel: "Walk-in", rep: "smith"
            ).validated().get()
        })
    n += count
}

// The console's state as it stands after start-up and a look at the history screen.
var settings = Settings()
settings.apiKey = "bench-key-0123456789"
settings.appName = "BENCH"
settings.defaultSubject = "Walk-in"
settings.defaultChannel = "Walk-in"
settings.defaultRep = "smith"
var state = AppState(settings: settings)
state.historyPane.rows = try await database.history(state.historyPane.query)
state.historyPane.counts = try await database.counts()
_ = reduce(&state, .historyScreenViewport(rows: HistoryScreenView.listHeight(rows: rows)))
_ = reduce(
    &state,
    .historyScreenLoaded(
        try await database.history(HistoryQuery(limit: HistoryScreenState.pageSize)), .replace(atOldest: false),
        HistoryQuery(limit: HistoryScreenState.pageSize)))
let theme = Theme(color: true)
let now = Date()

/// Presses `key` the way the console does and returns the milliseconds it took, frame included.
/// A page the history screen asks for is read from the database inside the timing, as the
/// store would; typing must ask for nothing.
var previous: ScreenBuffer?
var effectsAsked = 0
@MainActor func press(_ key: Key) async throws -> Double {
    let start = ContinuousClock.now
    var pending = KeyMap.handle(key, state).actions
    while !pending.isEmpty {
        let effects = reduce(&state, pending.removeFirst())
        effectsAsked += effects.count
        for case .loadHistoryScreen(let query, let page) in effects {
            pending.append(.historyScreenLoaded(try await database.history(query), page, query))
        }
    }
    let frame = Console.render(state, columns: columns, rows: rows, theme: theme, now: now)
    _ = frame.changes(since: previous)
    previous = frame
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

func report(_ label: String, _ times: [Double]) {
    let sorted = times.sorted()
    let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
    print(
        String(
            format: "  %-46@ median %7.3f ms   p99 %7.3f ms   worst %7.3f ms   (%d keys)", label as NSString,
            sorted[sorted.count / 2], p99, sorted.last!, sorted.count))
}

print("console frames at \(columns)x\(rows) with \(total) leads in the history")
_ = try await press(.function(2))
effectsAsked = 0
// Typing walk-in leads: names with accents and Devanagari, a phone, notes over several lines.
var typing: [Double] = []
for round in 0..<20 {
    for character in "José नमस्ते Fernandes \(round)" { typing.append(try await press(.character(character))) }
    typing.append(try await press(.tab))
    for character in "Rao" { typing.append(try await press(.character(character))) }
    typing.append(try await press(.tab))
    for character in "98765 43210" { typing.append(try await press(.character(character))) }
    for _ in 0..<3 { typing.append(try await press(.tab)) }
    for character in "2BHK near the station, budget 80L" { typing.append(try await press(.character(character))) }
    typing.append(try await press(.enter))
    for character in "visit on Sunday with family" { typing.append(try await press(.character(character))) }
    for _ in 0..<6 { typing.append(try await press(.backspace)) }
    typing.append(try await press(.control("w")))
    typing.append(try await press(.home))
    // Back to the top for the next lead, the form cleared as after a submit.
    state.form = FormState(settings: settings)
}
report("typing in the form (key + reduce + frame + diff)", typing)
guard effectsAsked == 0 else {
    print("FAIL: typing asked for \(effectsAsked) effects (database work per key)")
    exit(1)
}
print("  typing asked for 0 effects: no key touched the database")

_ = try await press(.function(3))
var browsing: [Double] = []
for _ in 0..<150 { browsing.append(try await press(.down)) }
for _ in 0..<200 { browsing.append(try await press(.pageDown)) }
for _ in 0..<150 { browsing.append(try await press(.up)) }
report("moving in the history screen (pages read as needed)", browsing)
print(
    "  the history screen holds \(state.historyScreen.rows.count) leads in memory at most \(HistoryScreenState.windowLimit)"
)

// A key typed into a long field costs what it costs into an empty one: the key map and the
// reducer (what every key of a flood pays; frames are drawn at most every 50 ms then) into an
// empty Notes and into one holding 4,000 characters and more, in Latin and in Devanagari.
// Timed over runs of 1,000 keys, the best of 20 runs, so one key's nanoseconds are not noise.
@MainActor func typingCost(into notes: String, _ characters: [Character]) -> Double {
    var best = Double.infinity
    for _ in 0..<20 {
        var typing = AppState(settings: settings)
        _ = reduce(&typing, .focus(.notes))
        _ = reduce(&typing, .edit(.notes, notes))
        let start = ContinuousClock.now
        for character in characters {
            for action in KeyMap.handle(.character(character), typing).actions { _ = reduce(&typing, action) }
        }
        let elapsed = ContinuousClock.now - start
        precondition(typing.form.lead.notes.count == notes.count + characters.count, "every key was typed")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        best = min(best, seconds / Double(characters.count) * 1e9)
    }
    return best
}
print("a key typed into Notes (key map + reduce), nanoseconds per key, best of 20 runs of 1,000 keys")
var worstRatio = 0.0
for (label, sample) in [("Latin", "visit on Sunday with family, 2BHK "), ("Devanagari", "रविवार को परिवार के साथ ")] {
    let keys = Array(String(repeating: sample, count: 1_000 / sample.count + 1).prefix(1_000))
    let long = String(String(repeating: sample, count: 4_000 / sample.count + 1).prefix(4_000))
    let empty = typingCost(into: "", keys)
    let full = typingCost(into: long, keys)
    worstRatio = max(worstRatio, full / empty)
    print(
        String(
            format: "  %-10@ empty Notes %6.0f ns   4,000-5,000 characters %6.0f ns   ratio %.2f", label as NSString,
            empty, full, full / empty))
}
guard worstRatio <= 1.5 else {
    print(
        String(format: "FAIL: a key into a long Notes costs %.2fx a key into an empty one (at most 1.5x)", worstRatio))
    exit(1)
}
