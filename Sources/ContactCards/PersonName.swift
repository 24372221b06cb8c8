import Foundation
import ParamantraAPI

/// Names as people write them on a sign-up sheet, into the first and last name the CRM keeps:
/// "Das, Rohan" is Rohan Das; "Dr. Anil Mehta", "Fatima Khan (Mr.)" and "Smt Lata" keep their
/// titles and bracketed remarks out of the name, as notes. Pure, a table test.
public enum PersonName {
    /// Titles written before Indian and English names, compared without case or a final dot.
    static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "shri", "sri", "shree", "smt", "shrimati", "kum", "kumari", "km"
    ]

    public struct Parts: Equatable, Sendable {
        public var first: String
        public var last: String
        /// Titles and remarks taken out of the name ("Title: Dr.", "Name remark: expo day 2").
        public var notes: [String]

        public init(first: String, last: String, notes: [String]) {
            self.first = first
            self.last = last
            self.notes = notes
        }
    }

    static func isHonorific(_ word: some StringProtocol) -> Bool {
        var word = word.lowercased()
        if word.hasSuffix(".") { word.removeLast() }
        return honorifics.contains(word)
    }

    /// A name without its bracketed remarks and titles, and what was taken out.
    public static func strip(_ text: String) -> (name: String, notes: [String]) {
        var notes: [String] = []
        var kept = ""
        var remark = ""
        var depth = 0
        for character in text {
            switch character {
            case "(", "[":
                if depth > 0 { remark.append(character) }
                depth += 1
            case ")",
                "]" where depth > 0:
                depth -= 1
                if depth == 0 {
                    let inside = remark.trimmingSpace(newlines: false)
                    if isHonorific(inside) {
                        notes.append("Title: \(inside)")
                    } else if !inside.isEmpty {
                        notes.append("Name remark: \(inside)")
                    }
                    remark = ""
                } else {
                    remark.append(character)
                }
            default:
                if depth > 0 { remark.append(character) } else { kept.append(character) }
            }
        }
        if depth > 0 { kept += "(" + remark }  // an unclosed bracket is part of the name
        var words = kept.split(whereSeparator: \.isWhitespace)
        // Titles lead the name; a name that is only a title keeps it (someone is called that).
        while words.count > 1, isHonorific(words[0]) {
            notes.append("Title: \(words.removeFirst())")
        }
        return (words.joined(separator: " "), notes)
    }

    /// A whole name from one cell: "Last, First" swapped (one comma, a word on each side), then
    /// the first word is the first name and the rest the last name.
    public static func split(_ text: String) -> Parts {
        let (name, notes) = strip(text)
        var first = ""
        var last = ""
        let halves = name.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingSpace(newlines: false)
        }
        if halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty {
            // A title may follow the comma: "Khan, Dr. Fatima".
            let given = strip(halves[1])
            return Parts(first: given.name, last: halves[0], notes: notes + given.notes)
        }
        let words = name.split(whereSeparator: \.isWhitespace)
        first = words.first.map(String.init) ?? ""
        last = words.dropFirst().joined(separator: " ")
        return Parts(first: first, last: last, notes: notes)
    }
}
