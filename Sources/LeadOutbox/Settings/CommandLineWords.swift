/// A command written as one line of text, split into its program and arguments the way a shell
/// splits words (spaces; single and double quotes; a backslash before a character), and nothing
/// more: no variables, globs, pipes or redirections, since it is run without a shell.
public enum CommandLineWords {
    /// The words, or [] when a quote is left open.
    public static func split(_ line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                word.append(character)
                escaped = false
                continue
            }
            switch (quote, character) {
            case (nil, "\\"), ("\"", "\\"):
                escaped = true
                inWord = true
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case (nil, _) where character.isWhitespace:
                if inWord { words.append(word) }
                word = ""
                inWord = false
            default:
                word.append(character)
                inWord = true
            }
        }
        if quote != nil || escaped { return [] }
        if inWord { words.append(word) }
        return words
    }
}
