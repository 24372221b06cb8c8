import ConsoleState
import ContactCards
import Foundation
import LeadOutbox
import Testing

@testable import LeadConsoleUI

/// A scanner's keys (a key a millisecond) told from a person's (a tenth of a second apart).
@Suite("scan reader")
struct ScanReaderTests {
    /// Keys for `text` as a scanner types it: "\n" is Enter.
    static func keys(_ text: String) -> [Key] {
        text.map { $0 == "\n" ? .enter : .character($0) }
    }

    /// Feeds `keys` `gap` seconds apart from `start`; returns what came out, and the time after.
    static func feed(
        _ reader: inout ScanReader, _ keys: [Key], gap: TimeInterval, from start: Date
    ) -> (out: [Key], end: Date) {
        var out: [Key] = []
        var time = start
        for key in keys {
            out += reader.feed(key, at: time)
            time = time.addingTimeInterval(gap)
        }
        return (out, time)
    }

    static let vCard = "BEGIN:VCARD\nVERSION:3.0\nN:Kumar;Rahul\nTEL;TYPE=CELL:+919820011111\nEND:VCARD\n"
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func aVCardAtMachineSpeedIsOneScanAndItsLastEnterIsSwallowed() {
        var reader = ScanReader()
        let keys = Self.keys(Self.vCard + "Asha")
        let (out, end) = Self.feed(&reader, keys, gap: 0.001, from: start)
        // The scan, then what was typed after it (the trailing Enter is the scanner's).
        guard case .scan(let text, let from)? = out.first else {
            Issue.record("no scan: \(out)")
            return
        }
        #expect(text == String(Self.vCard.dropLast()))
        #expect(from == Array(keys.prefix(Self.vCard.count - 1)))
        // "Asha": A is no scan's start, so it and what follows are typed at once.
        #expect(Array(out.dropFirst()) == Self.keys("Asha"))
        #expect(reader.deadline == nil && reader.expire(at: end.addingTimeInterval(1)) == [])
    }

    @Test func aPersonTypingAMarkerTypesIt() {
        var reader = ScanReader()
        // "tel:9" a tenth of a second a key: the console finds no key waiting between them. A key
        // that may begin a scan ("t", "9") comes out once that quiet shows it is a person's;
        // the others at once.
        var time = start
        var out: [Key] = []
        for key in Self.keys("tel:9") {
            out += reader.feed(key, at: time)
            #expect(reader.expire(at: time.addingTimeInterval(0.01)) == [])
            time = time.addingTimeInterval(0.1)
            out += reader.expire(at: time)
        }
        #expect(out == Self.keys("tel:9") && reader.deadline == nil)
        var first = ScanReader()
        #expect(first.feed(.character("t"), at: start) == [] && first.deadline != nil)
        // Keys read far apart that sat in the buffer together (the console was busy) are still
        // one scan: only a quiet where input ran dry ends a hold.
        var busy = ScanReader()
        let (scanned, _) = Self.feed(&busy, Self.keys("tel:9820011111\n"), gap: 0.2, from: start)
        #expect(scanned == [.scan("tel:9820011111", keys: Self.keys("tel:9820011111\n"))])
    }

    @Test func aFloodOfPlainTextIsTypedInOrder() {
        var reader = ScanReader()
        let text = "Bhavna Mehta, walk-in from the Pune office; 2 units"
        let (out, end) = Self.feed(&reader, Self.keys(text), gap: 0, from: start)
        #expect((out + reader.expire(at: end.addingTimeInterval(1))) == Self.keys(text))
    }

    @Test func aNumberEndedByEnterIsAScanAndOneWithoutIsTyping() {
        var reader = ScanReader()
        let (out, _) = Self.feed(&reader, Self.keys("+91 98200 11111\n"), gap: 0.002, from: start)
        #expect(out == [.scan("+91 98200 11111", keys: Self.keys("+91 98200 11111\n"))])
        // Digits then quiet: typed where the cursor is (a person, or a paste the terminal did not bracket).
        var typed = ScanReader()
        let (held, end) = Self.feed(&typed, Self.keys("9820011111"), gap: 0.002, from: start)
        #expect(held.isEmpty && typed.deadline != nil)
        #expect(typed.expire(at: end.addingTimeInterval(ScanReader.machineGap)) == Self.keys("9820011111"))
        // A short number and Enter (a year, a quantity) is typing too.
        var short = ScanReader()
        #expect(Self.feed(&short, Self.keys("2026\n"), gap: 0, from: start).out == Self.keys("2026\n"))
    }

    @Test func twoCardsBackToBackAreTwoScans() {
        var reader = ScanReader()
        let mecard = "MECARD:N:Kumar,Rahul;TEL:+919820011111;;\n"
        let (out, _) = Self.feed(&reader, Self.keys(mecard + Self.vCard), gap: 0.001, from: start)
        let texts = out.compactMap { key -> String? in
            if case .scan(let text, _) = key { return text }
            return nil
        }
        #expect(texts == [String(mecard.dropLast()), String(Self.vCard.dropLast())])
        #expect(out.count == 2)
    }

    @Test func aTelLinkEndsAtItsEnterAndACardCutShortAtTheQuiet() {
        var reader = ScanReader()
        let (out, _) = Self.feed(&reader, Self.keys("tel:+919820011111\nx"), gap: 0.001, from: start)
        #expect(out.first == .scan("tel:+919820011111", keys: Self.keys("tel:+919820011111\n")))
        #expect(out.dropFirst().first == .character("x"))
        var cut = ScanReader()
        let (none, end) = Self.feed(&cut, Self.keys("BEGIN:VCARD\nN:Kumar"), gap: 0.001, from: start)
        #expect(none.isEmpty)
        // Past the gap of a person's keys it is still a scan: only the scan's quiet ends it.
        #expect(cut.expire(at: end.addingTimeInterval(0.1)) == [])
        let ended = cut.expire(at: end.addingTimeInterval(ScanReader.scanQuiet + 0.01))
        #expect(ended == [.scan("BEGIN:VCARD\nN:Kumar", keys: Self.keys("BEGIN:VCARD\nN:Kumar"))])
    }

    @Test func aPastedCardIsAScanAndAPastedLineIsAPaste() {
        var reader = ScanReader()
        #expect(reader.feed(.paste(Self.vCard), at: start) == [.scan(Self.vCard, keys: [.paste(Self.vCard)])])
        #expect(reader.feed(.paste("9820011111"), at: start) == [.paste("9820011111")])
    }

    @Test func aBadgeLineIsAScanOnlyWithABadgeFormat() throws {
        let line = "Rahul Kumar|Acme|9820011111|r@x.in\n"
        var plain = ScanReader()
        #expect(Self.feed(&plain, Self.keys(line), gap: 0.001, from: start).out == Self.keys(line))
        var badges = ScanReader(format: try ScanFormat("name|company|phone|email"))
        let (out, _) = Self.feed(&badges, Self.keys(line), gap: 0.001, from: start)
        #expect(out == [.scan(String(line.dropLast()), keys: Self.keys(line))])
    }

    @Test func aKeyThatIsNoTextEndsTheHoldAndComesAfterIt() {
        var reader = ScanReader()
        let (out, _) = Self.feed(&reader, Self.keys("98") + [.control("s")], gap: 0, from: start)
        #expect(out == Self.keys("98") + [.control("s")])
    }

    /// The key map: a scan fills the form; a number scanned into Phone itself, or a scan where
    /// no form is on screen, is typed as its keys came.
    @Test func aScanIsTypedWhereItIsNoScan() {
        var state = AppState(settings: Settings())
        let number = Self.keys("98200 11111\n")
        #expect(KeyMap.handle(.scan("98200 11111", keys: number), state).actions == [.scanned("98200 11111")])
        _ = reduce(&state, .focus(.phone))
        // In Phone: the digits typed, then Enter moves on, as if the keys had come one by one.
        let typed = KeyMap.handle(.scan("98200 11111", keys: number), state).actions
        var after = state
        for action in typed { _ = reduce(&after, action) }
        #expect(after.form.lead.phone == "98200 11111" && after.form.focus == MainView.formFields[2])
        #expect(!typed.contains(.scanned("98200 11111")))
        // On the history screen, into its search: the same keys, searched for.
        state.screen = .history
        state.historyScreen.searchDraft = ""
        let searched = KeyMap.handle(.scan("98200 11111", keys: number), state).actions
        #expect(searched.contains(.editSearch("98200 11111")) && searched.last == .applySearch)
    }
}
