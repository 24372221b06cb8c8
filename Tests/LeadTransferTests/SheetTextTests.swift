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

/// Hostile and broken text files, refused before parsing with where and why.
@Suite("Sheet scan: limits, NULs and undecodable bytes")
struct SheetScanTests {
    static func refusal(_ bytes: [UInt8], encoding: SheetText.Encoding? = nil) throws -> ImportError? {
        let url = try CSVImportTests.file(bytes)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        do {
            _ = try CSVLeadFile(url: url, encoding: encoding)
            return nil
        } catch {
            return ImportError(
                rawMessage: error.description.replacingOccurrences(of: url.path, with: "FILE"), like: error)
        }
    }

    @Test func aTwentyMegabyteCellIsRefusedAtItsSixtyFifthKilobyte() throws {
        var bytes = Array("Name,Phone\nAsha,9820012345\n\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 20_000_000)
        bytes += Array("\",9820012346\n".utf8)
        // The scan stops at the limit: row 3 starts at byte 27; its quote and 64 KB follow.
        #expect(
            try Self.refusal(bytes)
                == .tooLarge(
                    "FILE: row 3 (line 3, byte \(27 + 65_536)): a cell of more than 64 KB; the file is damaged or not a sign-up sheet"
                ))
    }

    @Test func rowsAndColumnsPastTheLimitsAreRefused() throws {
        let wide = Array(("Phone" + String(repeating: ",x", count: 1_000) + "\n").utf8)
        #expect(
            try Self.refusal(wide)
                == .tooLarge(
                    "FILE: row 1 (line 1, byte 2003): more than 1,000 columns; the file is damaged or not a sign-up sheet"
                ))
        let long = Array(
            ("Phone,Notes\n1," + String(repeating: String(repeating: "y", count: 60_000) + ",", count: 20)).utf8)
        #expect(try Self.refusal(long).map { if case .tooLarge = $0 { true } else { false } } == true)
        // Quoted line breaks and delimiters do not count as rows or columns.
        let quoted = Array(("Phone,Notes\n9820012345,\"a,b\nc\"\n").utf8)
        #expect(try Self.refusal(quoted) == nil)
    }

    @Test func nulBytesAndUndecodableTextSayWhereAndWhatToTry() throws {
        #expect(
            try Self.refusal(Array("Name,Phone\nAs\u{0}ha,1\n".utf8))
                == .undecodable("FILE: row 2 (line 2, byte 13): a NUL byte; the file is damaged or not a text sheet"))
        // UTF-16 without its byte-order mark: NULs between ASCII letters.
        let utf16 = Array("Name,Phone\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(
            try Self.refusal(utf16)
                == .undecodable(
                    "FILE: row 1 (line 1, byte 1): a NUL byte; the file looks like UTF-16 without a byte-order mark: try --encoding utf-16le"
                ))
        // Told it is UTF-8, a Windows-1252 é is a fault at its byte.
        #expect(
            try Self.refusal(Array("Name,Phone\nJos".utf8) + [0xE9] + Array(",1\n".utf8), encoding: .utf8)
                == .undecodable(
                    "FILE: row 2 (line 2, byte 14): not UTF-8; if Excel on Windows wrote it, try --encoding windows-1252"
                ))
        // Not UTF-8, and a byte Windows-1252 leaves undefined: neither.
        #expect(
            try Self.refusal(Array("Name,Phone\nJos".utf8) + [0xE9, 0x20, 0x81] + Array(",1\n".utf8))
                == .undecodable(
                    "FILE: row 2 (line 2, byte 16): neither UTF-8 nor Windows-1252; give its encoding with --encoding"))
        // UTF-16 cut in the middle of a character.
        #expect(
            try Self.refusal([0xFF, 0xFE] + Array("P\0h\0o\0n\0e\0\n\0".utf8) + [0x41])
                == .undecodable(
                    "FILE: row 2 (line 2, byte 14): not utf-16le (a cut or unpaired character); try --encoding utf-8"))
        #expect(ImportError.undecodable("").exitStatus == 66 && ImportError.tooLarge("").exitStatus == 65)
    }
}

extension ImportError {
    /// The same kind of error with another message (tests compare messages without temp paths).
    init(rawMessage: String, like error: ImportError) {
        switch error {
        case .badMapping: self = .badMapping(rawMessage)
        case .unreadable: self = .unreadable(rawMessage)
        case .noHeader: self = .noHeader(rawMessage)
        case .undecodable: self = .undecodable(rawMessage)
        case .tooLarge: self = .tooLarge(rawMessage)
        case .malformed: self = .malformed(rawMessage)
        case .stopped: self = .stopped(rawMessage)
        }
    }
}
