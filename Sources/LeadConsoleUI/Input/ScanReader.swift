import ContactCards
import Foundation
import ParamantraAPI

/// Tells a badge scanner's typing from a person's. A 2D scanner in keyboard mode types what it
/// read a key every few milliseconds, usually with an Enter after each line; a person's keys are
/// tens of milliseconds apart at the fastest. Keys that may begin a scan (the start of
/// `BEGIN:VCARD`, `MECARD:`, `BIZCARD:` or `tel:`, the characters of a phone number, anything
/// when a badge format is set) are held while they keep coming at machine speed; once a marker
/// is whole the rest is read to the scan's end and handed on as one `.scan` key, never typed.
/// Held keys that turn out not to be a scan are handed on as they came, in order, so a person
/// sees them at most `machineGap` late and a flood of plain keys still goes where the cursor is.
/// Pure: the console passes the time each key was read, and calls `expire` only when no key is
/// waiting to be read: a quiet is measured where input ran dry, never between two keys that sat
/// in the buffer together while the console was busy (or descheduled on a loaded machine).
public struct ScanReader: Sendable {
    /// Keys closer together than this are a machine's (scanners type every 1-10 ms).
    public static let machineGap: TimeInterval = 0.04
    /// A scan whose marker was read but whose end was not ends after this much quiet (a
    /// Bluetooth scanner can pause mid-card).
    public static let scanQuiet: TimeInterval = 0.3
    /// A scan's text is kept up to here (a QR code holds under 3 KB); the rest is read and dropped.
    public static let keptCharacters = 16 * 1024
    /// Unmarked text held in case it is a badge: longer, and it is typing.
    static let badgeCharacters = 512

    /// The expo's badge format (`scan_format`): with one, any machine-speed line may be a badge.
    public var format: ScanFormat?

    /// Keys held back, as they came (handed on if they are not a scan).
    private var held: [Key] = []
    /// Their text, lines joined by "\n".
    private var text = ""
    private var kept = 0
    private var last: Date?
    /// A marker was read: everything up to the scan's end is the scan.
    private var scanning = false
    /// The Enter a scanner sends after a card that ended by itself (END:VCARD, `;;`).
    private var swallowEnterUntil: Date?

    public init(format: ScanFormat? = nil) { self.format = format }

    /// When the held keys must be decided if no other key comes; nil when nothing is held.
    public var deadline: Date? {
        guard !held.isEmpty, let last else { return nil }
        return last.addingTimeInterval(scanning ? Self.scanQuiet : Self.machineGap)
    }

    /// One key, read at `time`: the keys to handle now (typed keys, or one `.scan`).
    public mutating func feed(_ key: Key, at time: Date) -> [Key] {
        if swallowEnterUntil != nil {
            swallowEnterUntil = nil
            if key == .enter { return [] }
        }
        defer { last = time }
        if scanning { return continueScan(key, at: time) }
        switch key {
        case .paste(let pasted, _):
            // A pasted card is a scan too; a pasted number or line is typing where the cursor is.
            if CardScan.marker(of: pasted.trimmingSpace()) != nil { return release() + [.scan(pasted, keys: [key])] }
            return release() + [key]
        case .character(let character):
            let candidate = text + String(character)
            guard mayBeScan(candidate) else { return release() + [key] }
            hold(key, character)
            if CardScan.marker(of: candidate) != nil { scanning = true }
            return []
        case .enter:
            guard !held.isEmpty else { return [key] }
            // A line at machine speed, ended by Enter: a number or a badge is a scan.
            if CardScan.isBarePhone(text) || format?.read(text) != nil { return [finish(with: key)] }
            return release() + [key]
        default:
            return release() + [key]
        }
    }

    /// No key is waiting to be read at `time`: what the quiet since the last key ends. Held keys
    /// that were not a scan are typing; a scan cut short ends (and will say so); the Enter a
    /// finished card may still send is no longer expected.
    public mutating func expire(at time: Date) -> [Key] {
        if let until = swallowEnterUntil, time > until { swallowEnterUntil = nil }
        guard let deadline, time > deadline else { return [] }
        return scanning ? [finish(with: nil)] : release()
    }

    /// Whether `candidate` (held text plus the new character) may still be a scan.
    private func mayBeScan(_ candidate: String) -> Bool {
        if CardScan.mayStartMarker(candidate) || CardScan.marker(of: candidate) != nil { return true }
        if candidate.allSatisfy(CardScan.isPhoneCharacter), candidate.filter(\.isNumber).count <= 15 {
            // A number starts with a digit or a plus, not with a space or a bracket typed alone.
            return candidate.first?.isNumber == true || candidate.first == "+"
        }
        return format != nil && candidate.count <= Self.badgeCharacters
    }

    private mutating func hold(_ key: Key, _ character: Character) {
        held.append(key)
        append(String(character))
    }

    /// Past `keptCharacters` a scan's keys are read and dropped (a runaway scanner, not a card).
    private mutating func append(_ piece: String) {
        guard kept < Self.keptCharacters else { return }
        text += piece
        kept += piece.count
    }

    private mutating func keep(_ key: Key) {
        if kept < Self.keptCharacters { held.append(key) }
    }

    /// A key while a scan is read: its text, or its end.
    private mutating func continueScan(_ key: Key, at time: Date) -> [Key] {
        switch key {
        case .character(let character):
            keep(key)
            append(String(character))
            // Only a key that can end a card is worth looking at the card's end for.
            if character == ";" || character == "D" || character == "d", CardScan.isComplete(text) {
                swallowEnterUntil = time.addingTimeInterval(Self.machineGap)
                return [finish(with: nil)]
            }
            return []
        case .enter:
            // A tel: link is one line; a card's lines go on.
            if CardScan.marker(of: text) == .telLink { return [finish(with: key)] }
            keep(key)
            append("\n")
            return []
        case .tab:
            keep(key)
            append("\t")
            return []
        case .paste(let pasted, _):
            keep(key)
            append(pasted)
            return []
        default:
            // Anything else (an arrow, Ctrl-S) is a person's: the scan ends before it.
            return [finish(with: nil), key]
        }
    }

    /// The held keys as one scan (`last`: the key that ended it, part of it).
    private mutating func finish(with last: Key?) -> Key {
        let keys = held + (last.map { [$0] } ?? [])
        let scan = Key.scan(text, keys: keys)
        reset()
        return scan
    }

    /// The held keys handed on as typed.
    private mutating func release() -> [Key] {
        let keys = held
        reset()
        return keys
    }

    private mutating func reset() {
        held = []
        text = ""
        kept = 0
        scanning = false
    }
}
