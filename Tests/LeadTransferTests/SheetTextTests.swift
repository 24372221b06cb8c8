import Foundation
import Testing

@testable import LeadTransfer

/// Files as Excel and phones write them: encodings found from the bytes, delimiters from the header.
@Suite("Sheet text: encodings and delimiters")
struct SheetTextTests {
    @Test func theEncodingComesFromTheBytes() {
        #expect(SheetText.byteOrderMark([0xFF, 0xFE, 0x4E, 0x00]) == .utf16LE)
        #expect(SheetText.byteOrderMark([0xFE, 0xFF, 0x00, 0x4E]) == .utf16BE)
        #expect(SheetText.byteOrderMark([0xEF, 0xBB, 0xBF, 0x4E]) == .utf8)
        #expect(SheetText.byteOrderMark(Array("Name".utf8)) == nil)
        var check = SheetText.UTF8Check()
        let name = Array("José नमस्ते".utf8)
        check.feed(name.prefix(4))  // a sequence cut between two chunks
        check.feed(name.dropFirst(4))
        #expect(check.isComplete)
        var latin = SheetText.UTF8Check()
        latin.feed([0x4A, 0x6F, 0x73, 0xE9])  // "José" in Windows-1252
        #expect(!latin.isComplete)
        #expect(
            String(decoding: SheetText.utf8(fromWindows1252: [0x4A, 0x6F, 0x73, 0xE9, 0x20, 0x80, 0x93]), as: UTF8.self)
                == "José €“")
        #expect(SheetText.Encoding(named: "cp1252") == .windows1252 && SheetText.Encoding(named: "UTF8") == .utf8)
    }

    @Test func theDelimiterComesFromTheHeader() {
        #expect(SheetText.delimiter(ofHeader: "Name;Mobile No.;Notes") == ";")
        #expect(SheetText.delimiter(ofHeader: "Name\tMobile\tNotes") == "\t")
        #expect(SheetText.delimiter(ofHeader: "Name|Phone") == "|")
        #expect(SheetText.delimiter(ofHeader: "Name,Phone") == ",")
        #expect(SheetText.delimiter(ofHeader: "\"Name; full\",Phone") == ",")  // inside quotes: not counted
        #expect(SheetText.delimiter(ofHeader: "Name") == ",")
        #expect(SheetText.firstLine("a;b\r\nc;d") == "a;b")
    }

    @Test func aWindows1252SemicolonFileAndAUTF16TabFileReadAsWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sheet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let semicolon = folder.appendingPathComponent("excel-fr.csv")
        // "Nom;Téléphone\r\nJosé;98200 11111\r\n" in Windows-1252.
        try Data(
            [
                0x4E, 0x6F, 0x6D, 0x3B, 0x54, 0xE9, 0x6C, 0xE9, 0x70, 0x68, 0x6F, 0x6E, 0x65, 0x0D, 0x0A, 0x4A, 0x6F,
                0x73, 0xE9, 0x3B
            ]
                + Array("98200 11111\r\n".utf8)
        ).write(to: semicolon)
        let first = try CSVLeadFile(url: semicolon)
        #expect(first.encoding == .windows1252 && first.guessedWindows1252 && first.delimiter == ";")
        #expect(first.header == ["Nom", "Téléphone"])
        #expect(try first.next() == ["José", "98200 11111"])
        let unicodeText = folder.appendingPathComponent("excel-unicode.txt")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "Name\tPhone\r\nनमस्ते\t9820011111\r\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(utf16).write(to: unicodeText)
        let second = try CSVLeadFile(url: unicodeText)
        #expect(second.encoding == .utf16LE && second.delimiter == "\t")
        #expect(second.header == ["Name", "Phone"])
        #expect(try second.next() == ["नमस्ते", "9820011111"])
    }
}
