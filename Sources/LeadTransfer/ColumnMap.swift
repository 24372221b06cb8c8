import Foundation
import ParamantraAPI

/// Which CSV column fills which lead field. Spreadsheets name columns every which way: the
/// header is matched by common names (case, spaces and punctuation ignored), and `--map
/// COLUMN=FIELD` settles the rest. A "name" column alone is split into first and last name.
public struct ColumnMap: Sendable, Equatable {
    /// Column index → what it fills.
    public private(set) var targets: [Int: Target]
    /// Header columns nothing reads (reported, so a misspelt header is noticed).
    public private(set) var unused: [String]
    /// The header as read.
    public let header: [String]
    /// Notes columns after the first: their values go into the notes under their heading
    /// ("Budget: 50 L"), so several columns can be kept.
    public private(set) var labelledNotes: Set<Int> = []
    /// The `lead_id` column of a file we wrote (rejected rows, an export): which lead a row is,
    /// the same on every machine (the lead's uuid, never the local number).
    public private(set) var identityColumn: Int?

    /// The one name of that column in every file we write; `uuid` (older exports) is read too.
    public static let identityName = "lead_id"
    static let identityNames: Set<String> = ["leadid", "uuid"]

    public enum Target: Sendable, Equatable {
        case field(LeadField)
        /// "Name": the first word is the first name, the rest the last name.
        case fullName
    }

    /// The column headings read as each field, in the form's order: the one list the matching,
    /// `import --help` and the table in docs/files.md come from.
    public static let knownColumns: [(field: String, target: Target, names: [String])] = [
        (
            "first_name", .field(.firstName),
            ["first name", "firstname", "first", "given name", "f_name", "fname", "prénom"]
        ),
        ("last_name", .field(.lastName), ["last name", "lastname", "surname", "family name", "l_name", "lname", "nom"]),
        (
            "name", .fullName,
            [
                "name", "full name", "customer name", "contact name", "customer", "name of visitor", "visitor name",
                "visitor"
            ]
        ),
        (
            "phone", .field(.phone),
            [
                "phone", "mobile", "contact number", "phone number", "mobile number", "mobile no", "phone no",
                "contact", "contact no", "phonefax", "cell", "whatsapp", "téléphone", "tel", "portable", "numéro"
            ]
        ),
        ("email", .field(.email), ["email", "e-mail", "email address", "mail", "courriel"]),
        ("project", .field(.project), ["project", "property", "project name"]),
        (
            "notes", .field(.notes),
            ["notes", "note", "comments", "comment", "remarks", "message", "requirement", "remarques", "commentaires"]
        ),
        ("subject", .field(.subject), ["subject", "enquiry", "inquiry"]),
        ("channel", .field(.channel), ["channel", "source", "lead source", "channel_id"]),
        ("rep", .field(.rep), ["rep", "sales rep", "owner", "assigned to", "rep_id", "salesperson"])
    ]

    static let commonNames: [String: Target] = {
        var names: [String: Target] = [:]
        for known in knownColumns { for name in known.names { names[normalize(name)] = known.target } }
        return names
    }()

    /// The headings as one sentence, for `import --help`.
    public static var knownColumnsSentence: String {
        knownColumns.map { "\($0.field): \($0.names.joined(separator: ", "))" }.joined(separator: "; ")
    }

    /// The headings as docs/files.md's table (a test keeps that copy equal to this).
    public static var knownColumnsTable: String {
        (["| field | headings read as it (case, accents, spaces and punctuation ignored) |", "| --- | --- |"]
            + knownColumns.map { "| `\($0.field)` | \($0.names.joined(separator: ", ")) |" }).joined(separator: "\n")
    }

    /// Lower-case letters and digits only, accents folded: "E-Mail Address" and
    /// "email_address" meet, and so do "Téléphone" and "telephone".
    static func normalize(_ name: String) -> String {
        String(
            name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased().unicodeScalars
                .filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// Maps `header` by common names, then applies `overrides` (column name → field name, as
    /// given to --map). Throws a readable message for an unknown column or field.
    public init(header: [String], overrides: [String: String] = [:]) throws(ImportError) {
        targets = [:]
        unused = []
        self.header = header
        let normalized = header.map(Self.normalize)
        for (index, name) in normalized.enumerated() {
            if let target = Self.commonNames[name], !targets.values.contains(target) { targets[index] = target }
        }
        for (column, fieldName) in overrides {
            guard let index = normalized.firstIndex(of: Self.normalize(column)) else {
                throw .badMapping(
                    "--map \(column)=\(fieldName): the file has no column \"\(column)\" (it has: \(header.joined(separator: ", ")))"
                )
            }
            guard let target = Self.target(named: fieldName) else {
                throw .badMapping(
                    "--map \(column)=\(fieldName): no field \"\(fieldName)\" (fields: \(Self.fieldNames.joined(separator: ", ")))"
                )
            }
            // The override wins over a column that matched by name; notes take any number.
            for (other, existing) in targets where existing == target && target != .field(.notes) {
                targets[other] = nil
            }
            targets[index] = target
        }
        let notes = targets.filter { $0.value == .field(.notes) }.keys.sorted()
        labelledNotes = Set(notes.dropFirst())
        identityColumn = normalized.indices.first { targets[$0] == nil && Self.identityNames.contains(normalized[$0]) }
        // The "problem" column of our own rejected files says why a row was refused: not data.
        unused = header.enumerated().filter {
            targets[$0.offset] == nil && $0.offset != identityColumn && !$0.element.isEmpty
                && Self.normalize($0.element) != "problem"
        }.map(\.element)
    }

    static let fieldNames = knownColumns.map(\.field)

    static func target(named name: String) -> Target? {
        switch normalize(name) {
        case "firstname": return .field(.firstName)
        case "lastname": return .field(.lastName)
        case "name", "fullname": return .fullName
        case "phone": return .field(.phone)
        case "email": return .field(.email)
        case "project": return .field(.project)
        case "notes": return .field(.notes)
        case "subject": return .field(.subject)
        case "channel": return .field(.channel)
        case "rep": return .field(.rep)
        default: return nil
        }
    }

    public func fills(_ field: LeadField) -> Bool {
        targets.values.contains(.field(field))
            || (targets.values.contains(.fullName) && (field == .firstName || field == .lastName))
    }

    /// The field a column most likely holds, for the `--map` hint of a column nothing reads:
    /// words a sign-up sheet uses for each field, else notes (any text can be kept there).
    public static func nearestField(to column: String) -> String {
        if let target = commonNames[normalize(column)] { return fieldName(of: target) }
        // Whole words, matched at their start: "Interested In" is about a project, "Visited" is
        // not about a site.
        let words = column.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            .split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let hints: [(field: String, words: [String])] = [
            ("email", ["mail", "courriel"]),
            ("phone", ["phone", "mobile", "mob", "cell", "tel", "whatsapp", "number", "portable", "numero"]),
            ("first_name", ["first", "given", "fname", "prenom"]),
            ("last_name", ["last", "surname", "family", "lname"]),
            (
                "project",
                [
                    "interest", "project", "property", "site", "tower", "unit", "flat", "bhk", "plot", "villa",
                    "product",
                    "model", "course", "plan"
                ]
            ),
            ("subject", ["subject", "enquiry", "inquiry", "purpose", "query", "topic"]),
            ("channel", ["source", "channel", "campaign", "medium", "referr", "heardfrom", "via"]),
            ("rep", ["rep", "agent", "executive", "staff", "employee", "salesperson", "owner", "assigned", "attended"]),
            ("name", ["name", "customer", "client", "visitor", "person", "contact", "who"])
        ]
        for hint in hints where words.contains(where: { word in hint.words.contains { word.hasPrefix($0) } }) {
            return hint.field
        }
        return "notes"
    }

    public static func fieldName(of target: Target) -> String {
        switch target {
        case .fullName: return "name"
        case .field(let field):
            return fieldNames.first { Self.target(named: $0) == .field(field) } ?? "notes"
        }
    }

    /// `--map` arguments for the columns nothing reads, quoted for a shell. Not for the columns
    /// LeadConsole's own export adds (state, attempts, last_error…): they describe a delivery, not
    /// the customer, and the word matching would say `last_error=last_name`.
    public var hints: [String] {
        unused.filter { !Self.isExportBookkeeping($0) }.map { "--map \"\($0)=\(Self.nearestField(to: $0))\"" }
    }

    /// A column `export` writes that import does not read (an export imported again).
    public static func isExportBookkeeping(_ column: String) -> Bool {
        exportBookkeeping.contains(normalize(column))
    }

    private static let exportBookkeeping = Set(
        LeadExport.columns.filter { target(named: $0) == nil }.map { normalize($0) })
}
