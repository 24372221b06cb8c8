import Foundation
import Testing

@testable import LeadTransfer

/// The workbook's XML reader, fed whole and a byte at a time.
@Suite("XML events")
struct XMLEventsTests {
    final class Recorder: XMLEventHandler {
        var events: [String] = []
        var stopAt: String?
        func start(_ name: Substring, _ attributes: [String: String]) -> Bool {
            events.append(
                "<\(name)" + attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined() + ">")
            return stopAt != String(name)
        }
        func end(_ name: Substring) -> Bool {
            events.append("</\(name)>")
            return true
        }
        func text(_ text: String) -> Bool {
            if let last = events.last, last.hasPrefix("'") {
                events[events.count - 1] = String(last.dropLast()) + text + "'"
            } else {
                events.append("'\(text)'")
            }
            return true
        }
    }

    static func events(_ xml: String, byteAtATime: Bool = false) throws -> [String] {
        let recorder = Recorder()
        var reader = XMLEvents()
        let bytes = Array(xml.utf8)
        if byteAtATime {
            for byte in bytes { try reader.feed([byte], recorder) }
        } else {
            try reader.feed(bytes, recorder)
        }
        try reader.finish(recorder)
        return recorder.events
    }

    @Test(arguments: [false, true])
    func elementsAttributesTextAndEntities(byteAtATime: Bool) throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!-- Excel --><x:c r="A1" t='inlineStr' note="a > b &amp; &quot;c&quot;"><x:is><x:t xml:space="preserve"> Rao &amp; Sons &lt;3 &#x0928;&#2350; </x:t></x:is></x:c><v/><t><![CDATA[<raw> & text]]></t>
            """
        #expect(
            try Self.events(xml, byteAtATime: byteAtATime) == [
                "'\n'", "<x:c note=a > b & \"c\" r=A1 t=inlineStr>", "<x:is>", "<x:t xml:space=preserve>",
                "' Rao & Sons <3 नम '", "</x:t>", "</x:is>", "</x:c>", "<v>", "</v>", "<t>", "'<raw> & text'", "</t>"
            ])
    }

    @Test func longTextArrivesInPiecesCutBetweenCharactersAndEntities() throws {
        let recorder = Recorder()
        var reader = XMLEvents()
        let body = String(repeating: "नमस्ते &amp; ", count: 20_000)  // about 400 KB
        try reader.feed(Array("<t>\(body)</t>".utf8), recorder)
        try reader.finish(recorder)
        #expect(recorder.events.count == 3)
        #expect(recorder.events[1] == "'" + body.replacingOccurrences(of: "&amp;", with: "&") + "'")
    }

    @Test func whatAWorkbookMustNotHoldIsRefused() throws {
        #expect(throws: XMLEvents.Malformed.self) {
            try Self.events(#"<!DOCTYPE lolz [<!ENTITY lol "lol">]><t>&lol;</t>"#)
        }
        #expect(throws: XMLEvents.Malformed.self) { try Self.events("<t>&nbsp;</t>") }
        #expect(throws: XMLEvents.Malformed.self) { try Self.events("<c r=A1></c>") }
        #expect(throws: XMLEvents.Malformed.self) { try Self.events("<row><c r=\"A1\"") }
        #expect(throws: XMLEvents.Malformed.self) { try Self.events("<" + String(repeating: "a", count: 70_000)) }
    }

    @Test func aHandlerCanStopTheReading() throws {
        let recorder = Recorder()
        recorder.stopAt = "b"
        try XMLEvents.parse(Data("<a><b/><c/></a>".utf8), into: recorder)
        #expect(recorder.events == ["<a>", "<b>"])
    }
}
