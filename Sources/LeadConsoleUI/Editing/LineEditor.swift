/// Editing keys on a field's text and caret: Left/Right, Home/End, Backspace/Delete,
/// Ctrl-A/E/U/K/W, Ctrl-Left/Right (a word), Ctrl-Delete/Backspace (a word), typing and pasting. Pure and per field, so a key costs the length of one
/// field, never of the history. Works on Characters: a Devanagari syllable or an emoji with its
/// modifiers is one step and is erased whole.
public enum LineEditor {
    public enum Outcome: Equatable, Sendable {
        /// New text, and the caret in it.
        case edited(String, caret: Int)
        /// Same text, caret moved.
        case moved(Int)
    }

    /// What `key` does to `text` with the caret at `caret`; nil when it is not an editing key.
    /// In a multi-line field Home/End and Ctrl-U/K work on the caret's line and Enter is a new line.
    /// `length`: the text's length in characters when the caller knows it (then typing at the end
    /// does not count the text to find its end).
    public static func apply(
        _ key: Key, to text: String, caret: Int, multiline: Bool = false, length: Int? = nil
    ) -> Outcome? {
        // Typing at the end, the common case: appended without taking the text apart, so a key
        // into a long Notes costs about what it costs into an empty one. After it the caret is
        // still at the end: the caret is the new length.
        if let typed = typedText(key, multiline: multiline), caret >= (length ?? text.count) {
            // A mark or joiner typed after the text can join its last character: only that
            // character and what is typed are counted, never the whole text.
            let joined = text.last.map { (String($0) + typed).count - 1 } ?? typed.count
            return .edited(text + typed, caret: caret + joined)
        }
        var characters = Array(text)
        let caret = max(0, min(caret, characters.count))
        let lineStart = multiline ? (characters[..<caret].lastIndex(of: "\n").map { $0 + 1 } ?? 0) : 0
        let lineEnd = multiline ? (characters[caret...].firstIndex(of: "\n") ?? characters.count) : characters.count
        func edited(_ replacing: Range<Int>, with insert: String = "") -> Outcome {
            characters.replaceSubrange(replacing, with: Array(insert))
            return .edited(String(characters), caret: replacing.lowerBound + insert.count)
        }
        switch key {
        case .left: return .moved(max(0, caret - 1))
        case .right: return .moved(min(characters.count, caret + 1))
        case .home, .control("a"): return .moved(lineStart)
        case .end, .control("e"): return .moved(lineEnd)
        case .backspace: return caret > 0 ? edited(caret - 1..<caret) : nil
        case .delete: return caret < characters.count ? edited(caret..<caret + 1) : nil
        case .control("u"): return caret > lineStart ? edited(lineStart..<caret) : nil
        case .control("k"): return lineEnd > caret ? edited(caret..<lineEnd) : nil
        case .control("w"), .eraseWordBefore:
            // The word before the caret and the spaces after it, like a shell.
            let start = wordStart(characters, before: caret, from: lineStart)
            return start < caret ? edited(start..<caret) : nil
        case .eraseWordAfter:
            let end = wordEnd(characters, after: caret, to: lineEnd)
            return end > caret ? edited(caret..<end) : nil
        case .wordLeft: return .moved(wordStart(characters, before: caret, from: lineStart))
        case .wordRight: return .moved(wordEnd(characters, after: caret, to: lineEnd))
        case .enter where multiline: return edited(caret..<caret, with: "\n")
        case .character(let character): return edited(caret..<caret, with: String(character))
        case .paste(let pasted, _): return pasted.isEmpty ? nil : edited(caret..<caret, with: pasted)
        default: return nil
        }
    }

    /// The text `key` types (a character, a paste, a new line in a multi-line field), if any.
    public static func typedText(_ key: Key, multiline: Bool) -> String? {
        switch key {
        case .character(let character): String(character)
        case .paste(let pasted, _) where !pasted.isEmpty: pasted
        case .enter where multiline: "\n"
        default: nil
        }
    }

    /// Where the word before `caret` starts (spaces right before the caret skipped first).
    static func wordStart(_ characters: [Character], before caret: Int, from lineStart: Int) -> Int {
        var start = caret
        while start > lineStart, characters[start - 1].isWhitespace { start -= 1 }
        while start > lineStart, !characters[start - 1].isWhitespace { start -= 1 }
        return start
    }

    /// Where the word after `caret` ends (spaces right after the caret skipped first).
    static func wordEnd(_ characters: [Character], after caret: Int, to lineEnd: Int) -> Int {
        var end = caret
        while end < lineEnd, characters[end].isWhitespace { end += 1 }
        while end < lineEnd, !characters[end].isWhitespace { end += 1 }
        return end
    }
}
