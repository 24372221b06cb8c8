import Testing

@testable import ParamantraAPI

@Suite("Cleaning outside text for the terminal")
struct TerminalTextTests {
    @Test(
        "escape sequences vanish whole",
        arguments: [
            ("\u{1B}[2J\u{1B}[31mred\u{1B}[0m", "red"),
            ("a\u{1B}]0;evil title\u{07}b", "ab"),
            ("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b", "alinkb"),
            ("a\u{1B}Pdcs data\u{1B}\\b", "ab"),
            ("a\u{1B}cb", "ab"),
            ("a\u{1B}(Bb", "ab"),
            ("a\u{9B}31mb", "ab"),
            ("bell\u{07}s and\u{0} nul\u{7F}", "bells and nul"),
            ("trailing escape\u{1B}", "trailing escape"),
            ("नमस्ते 👩🏽‍💻 José", "नमस्ते 👩🏽‍💻 José")
        ])
    func clean(input: String, expected: String) {
        #expect(TerminalText.clean(input) == expected)
        #expect(TerminalText.isClean(TerminalText.clean(input)))
    }

    @Test func newlinesAreSpacesUnlessKept() {
        #expect(TerminalText.clean("a\nb\r\nc\rd") == "a b c d")
        #expect(TerminalText.clean("a\nb\r\nc\rd", keepNewlines: true) == "a\nb\nc\nd")
    }

    @Test func escapingMakesControlsVisible() {
        #expect(TerminalText.escapeControls("a\u{1B}[31m\n\\") == "a\\u{1B}[31m\\n\\\\")
        #expect(TerminalText.isClean(TerminalText.escapeControls("\u{0}\u{1}\u{9F}\r\t")))
    }

    @Test(
        "invisible format characters: removed on the way in, shown when stored",
        arguments: [
            (
                "\u{202A}+91 98200\u{200B} 11111\u{202C}", "+91 98200 11111",
                "\\u{202A}+91 98200\\u{200B} 11111\\u{202C}"
            ),
            ("Rao\u{202E}exe.txt", "Raoexe.txt", "Rao\\u{202E}exe.txt"),
            ("\u{FEFF}Asha\u{2060}", "Asha", "\\u{FEFF}Asha\\u{2060}"),
            ("\u{200D}9820011111", "9820011111", "\\u{200D}9820011111"),
            ("98\u{200C}20", "9820", "98\\u{200C}20"),
            // Joiners that shape text stay: an emoji sequence, a Devanagari half form, a ZWNJ in Persian.
            ("👩🏽\u{200D}💻", "👩🏽\u{200D}💻", "👩🏽\u{200D}💻"),
            ("क्\u{200D}ष", "क्\u{200D}ष", "क्\u{200D}ष"),
            ("می\u{200C}خواهم", "می\u{200C}خواهم", "می\u{200C}خواهم")
        ])
    func invisibles(input: String, removed: String, shown: String) {
        #expect(TerminalText.clean(input) == removed)
        #expect(TerminalText.clean(input, invisibles: .show) == shown)
    }
}

/// Trimming without NSString: the same answers as Foundation's trimmingCharacters(in:).
@Suite("trimming space")
struct TrimmingSpaceTests {
    @Test(arguments: [
        "  Asha Rao ", "\tनमस्ते\n", "\u{00A0}Zoë\u{3000}", "\r\n line\u{2028}", "", "   ", "plain", "a\u{0085}",
        "\u{200B}zero width stays\u{200B}"
    ])
    func matchesFoundation(text: String) {
        #expect(text.trimmingSpace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text.trimmingSpace(newlines: false) == text.trimmingCharacters(in: .whitespaces))
    }
}
