import Foundation
import LeadOutbox
import ParamantraAPI

/// One lead as LeadConsole writes it for people and scripts: every field, the state, the CRM
/// id, attempts and the last error. The one owner of these keys: `export` (CSV and JSON) and
/// `history --json` write them, and docs/files.md lists them. Text from outside is cleaned of
/// control sequences.
public enum LeadExport {
    /// Column names of the CSV, keys of the JSON. New keys go at the end: scripts read CSVs by
    /// position.
    public static let columns = [
        "id", "created_at", "updated_at", "state", "crm_id", "attempts", "last_error", "uncertain",
        "first_name", "last_name", "phone", "email", "project", "notes", "subject", "channel", "rep",
        "alert_customer", "alert_rep", "lead_id", "next_attempt_at"
    ]

    public static func values(_ stored: StoredLead) -> [String] {
        let lead = stored.lead
        // Local time with its offset (2026-11-30T09:15:02+05:30): the rep's day, and exact.
        let iso = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: .current)
        return [
            String(stored.id), stored.createdAt.formatted(iso), stored.updatedAt.formatted(iso), stored.state.rawValue,
            TerminalText.clean(stored.crmID ?? ""), String(stored.attempts), TerminalText.clean(stored.lastError ?? ""),
            stored.uncertain ? "yes" : "no", lead.firstName, lead.lastName, stored.phone, lead.email, lead.project,
            TerminalText.clean(lead.notes, keepNewlines: true), lead.subject, lead.channel, lead.rep,
            lead.alertClient ? "yes" : "no", lead.alertRep ? "yes" : "no", stored.uuid.uuidString,
            stored.nextAttemptAt?.formatted(iso) ?? ""
        ]
    }

    /// The same lead as one JSON object: numbers and booleans as such, null for no CRM id, no
    /// error or no next attempt.
    public static func json(_ stored: StoredLead) throws -> Data { try encode(object(stored)) }

    /// The lead's object as `submit --json` prints it: the same keys as `export` and `history
    /// --json`, and what its last attempt was: `outcome`, `message`, `http_status` (when an
    /// answer came) and `delivered`.
    public static func submitted(_ stored: StoredLead, attempt: DeliveryAttempt?) throws -> Data {
        var object = object(stored)
        object["outcome"] = attempt?.outcome ?? stored.state.rawValue
        object["delivered"] = stored.state.isDelivered
        if let attempt {
            object["message"] = TerminalText.clean(attempt.message)
            if let status = attempt.httpStatus { object["http_status"] = status }
        }
        return try encode(object)
    }

    private static func encode(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    static func object(_ stored: StoredLead) -> [String: Any] {
        var object: [String: Any] = [:]
        for (key, value) in zip(columns, values(stored)) { object[key] = value }
        object["id"] = stored.id
        object["attempts"] = stored.attempts
        object["uncertain"] = stored.uncertain
        object["alert_customer"] = stored.lead.alertClient
        object["alert_rep"] = stored.lead.alertRep
        object["crm_id"] = stored.crmID.map { TerminalText.clean($0) } ?? NSNull()
        object["last_error"] = stored.lastError.map { TerminalText.clean($0) } ?? NSNull()
        object["next_attempt_at"] =
            stored.nextAttemptAt.map {
                $0.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: .current))
            } ?? NSNull()
        return object
    }

    /// Leads as a JSON array, one object per line.
    public static func jsonArray(_ leads: [StoredLead]) throws -> String {
        var text = "["
        for (index, lead) in leads.enumerated() {
            text += (index == 0 ? "\n" : ",\n") + String(decoding: try json(lead), as: UTF8.self)
        }
        return text + (leads.isEmpty ? "]" : "\n]")
    }

    public enum Format: String, CaseIterable, Sendable { case csv, json, xlsx }

    /// Streams the leads into an Excel workbook at `url` (one sheet, the CSV's columns), a page
    /// at a time. Returns how many were written.
    public static func writeWorkbook(
        from database: LeadDatabase?, state: LeadState?, since: Date?, to url: URL
    ) async throws -> Int {
        let workbook = try WorkbookWriter(url: url)
        try workbook.write(columns)
        var written = 0
        var after: Int64 = 0
        while let database {
            let page = try await database.exportPage(after: after, state: state, since: since)
            guard let last = page.last else { break }
            for lead in page { try workbook.write(values(lead)) }
            written += page.count
            after = last.id
        }
        try workbook.finish()
        return written
    }

    /// Streams every lead matching `state` and `since`, oldest first, a page at a time (memory
    /// stays flat with a million leads). Returns how many were written. No database (none made
    /// yet) is an empty export.
    /// With `forTerminal`, every value is cleaned of control sequences as `history` shows it (a
    /// name stored by an older version could carry one); a file keeps the data as stored. (JSON
    /// escapes control characters itself.)
    public static func write(
        from database: LeadDatabase?, state: LeadState?, since: Date?, format: Format, byteOrderMark: Bool = false,
        forTerminal: Bool = false, to stream: OutputStream
    ) async throws -> Int {
        var written = 0
        var after: Int64 = 0
        // Excel on Windows reads a CSV as the ANSI code page unless it starts with a UTF-8 mark.
        if byteOrderMark { try stream.writeAll(Data([0xEF, 0xBB, 0xBF])) }
        let csv = format == .csv ? try CSVOut(stream: stream) : nil
        try csv?.write(columns)
        if format == .json { try stream.writeAll(Data("[".utf8)) }
        while true {
            guard let database else { break }
            let page = try await database.exportPage(after: after, state: state, since: since)
            guard let last = page.last else { break }
            for lead in page {
                if let csv {
                    let row = values(lead)
                    try csv.write(
                        forTerminal ? row.map { TerminalText.clean($0, keepNewlines: true, invisibles: .show) } : row)
                } else {
                    try stream.writeAll(Data((written == 0 ? "\n" : ",\n").utf8) + (try json(lead)))
                }
                written += 1
            }
            after = last.id
        }
        csv?.finish()
        if format == .json { try stream.writeAll(Data((written == 0 ? "]\n" : "\n]\n").utf8)) }
        return written
    }
}

/// A write to the export's file or pipe failed (a full disk, a closed pipe).
public struct ExportWriteError: Error, CustomStringConvertible {
    public var description: String { "writing the export failed" }
}

extension OutputStream {
    /// All of `data`, however many writes it takes.
    func writeAll(_ data: Data) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(
                    buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, maxLength: buffer.count - offset)
                if written <= 0 { throw ExportWriteError() }
                offset += written
            }
        }
    }
}
