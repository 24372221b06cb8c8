import Foundation
import LeadOutbox
import ParamantraAPI

/// The import's rules, apart from the command line that asks for them: how its options are read,
/// what the columns are said to be, the missing-phone diagnosis, where the files for fixing go,
/// how long delivery keeps trying, and the options a fixed file is imported again with. The
/// `import` command parses arguments, prints and wires; it decides nothing of these.
public enum ImportJob {
    /// An option given wrongly: the message names it and how to write it (exit 64).
    public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// `--map COLUMN=FIELD` options as column → field.
    public static func overrides(_ mappings: [String]) throws(UsageError) -> [String: String] {
        var overrides: [String: String] = [:]
        for mapping in mappings {
            let parts = mapping.split(separator: "=", maxSplits: 1).map { $0.trimmingSpace(newlines: false) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw UsageError(
                    description: "--map \(mapping): write it as COLUMN=FIELD, e.g. --map \"Cell No=phone\"")
            }
            overrides[parts[0]] = parts[1]
        }
        return overrides
    }

    /// `--delimiter`: nil finds it from the file; `,` `;` `|` or tab.
    public static func separator(_ delimiter: String?) throws(UsageError) -> Unicode.Scalar? {
        switch delimiter?.lowercased() {
        case nil: return nil
        case "tab", "\\t", "\t": return "\t"
        case let text?
        where text.unicodeScalars.count == 1 && ",;|".unicodeScalars.contains(text.unicodeScalars.first!):
            return text.unicodeScalars.first
        case let text?: throw UsageError(description: "--delimiter \(text): give , ; tab or |")
        }
    }

    /// `--encoding`: nil finds it from the file.
    public static func encoding(_ name: String?) throws(UsageError) -> SheetText.Encoding? {
        guard let name else { return nil }
        guard let named = SheetText.Encoding(named: name) else {
            throw UsageError(description: "--encoding \(name): give utf-8, utf-16le, utf-16be or windows-1252")
        }
        return named
    }

    /// `--header-row`: the rows above the header are held while it is looked for, a thousand at most.
    public static func checkHeaderRow(_ row: Int?) throws(UsageError) {
        if let row, !(1...1000).contains(row) {
            throw UsageError(
                description: "--header-row \(row): give the row's number as the sheet shows it, 1 to 1000")
        }
    }

    /// The "columns:" line: what each column is read as, what is not read, and how to keep it.
    public static func columnsLine(_ map: ColumnMap, header: [String]) -> String {
        let described = map.targets.sorted { $0.key < $1.key }.map { index, target in
            "\(header[index]) → "
                + {
                    if case .field(let field) = target { return field.label } else { return "first and last name" }
                }()
        }
        return "columns: " + described.joined(separator: ", ")
            + (map.unused.isEmpty
                ? ""
                : "; not read: " + map.unused.joined(separator: ", ")
                    + (map.hints.isEmpty ? "" : " (to keep them: " + map.hints.joined(separator: " ") + ")"))
    }

    /// No column is read as the phone: every row would be "Phone is required". Said once, before
    /// any row, with what each column would most likely be read as. nil when there is a phone.
    public static func missingPhone(_ map: ColumnMap, header: [String], file: String) -> String? {
        guard !map.targets.values.contains(.field(.phone)) else { return nil }
        let found = header.enumerated().filter { !$0.element.isEmpty }.map { index, name in
            "\"\(name)\" (\(map.targets[index].map(ColumnMap.fieldName(of:)) ?? unread(name)))"
        }
        return
            "no column of \(file) is read as the phone; columns: \(found.joined(separator: ", ")); name the phone column with --map \"COLUMN=phone\""
    }

    /// What an unread column is: the field it most likely holds, or that our own export adds it.
    static func unread(_ column: String) -> String {
        ColumnMap.isExportBookkeeping(column)
            ? "unread; LeadConsole's export column" : "unread; nearest field: " + ColumnMap.nearestField(to: column)
    }

    /// The leads' starting values: the options given, else the settings' defaults.
    public static func defaults(
        _ settings: Settings, project: String?, subject: String?, channel: String?, rep: String?
    ) -> Lead {
        Lead(
            project: project ?? settings.defaultProject, subject: subject ?? settings.defaultSubject,
            channel: channel ?? settings.defaultChannel, rep: rep ?? settings.defaultRep,
            alertClient: settings.alertClient, alertRep: settings.alertRep)
    }

    /// Delivery during an import: retries back off from 2 s to a minute, so an import waits at
    /// most its retry window rather than the console's quarter of an hour.
    public static let retryPolicy = RetryPolicy(base: .seconds(2), multiplier: 2, cap: .seconds(60), jitter: 0.2)

    /// Where the files for fixing go: beside the sheet, or for a piped sheet (no folder of its
    /// own) in `folder`, named by the moment of the import ("import-2026-12-03-150402.csv") so
    /// an earlier run's files are not overwritten.
    public static func fixFileBase(sheet file: String, hasFolder: Bool, folder: URL, now: Date = Date()) -> URL {
        if hasFolder { return URL(fileURLWithPath: file) }
        var seconds = time_t(now.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let name = String(
            format: "import-%04d-%02d-%02d-%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return folder.appendingPathComponent(name + ".csv")
    }

    /// The options a fixed file is imported again with: the fixed files keep the sheet's headings,
    /// so importing one again needs the same --map (and the same defaults).
    public static func rerunOptions(
        mappings: [String], subject: String?, channel: String?, rep: String?, project: String?
    ) -> [String] {
        mappings.flatMap { ["--map", $0] }
            + [("--subject", subject), ("--channel", channel), ("--rep", rep), ("--project", project)]
            .flatMap { name, value in value.map { [name, $0] } ?? [] }
    }
}
