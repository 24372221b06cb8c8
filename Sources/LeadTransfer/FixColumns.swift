import Foundation

/// The columns of a file written for a person to fix (`….rejected.csv`, `….crm-rejected.csv`):
/// the sheet's own header as it was, then our `problem` (why the row was refused) and `lead_id`
/// (which lead it is, so the fixed row corrects that lead instead of joining it). A file of
/// ours imported again already has both: they are filled in where they are, never added twice.
public struct FixColumns: Sendable, Equatable {
    public let header: [String]
    /// How many columns the sheet's own header has (rows are padded to it).
    let width: Int
    let problem: Int
    let leadID: Int

    public init(sheetHeader: [String]) {
        let normalized = sheetHeader.map(ColumnMap.normalize)
        var header = sheetHeader
        width = sheetHeader.count
        if let index = normalized.firstIndex(of: "problem") {
            problem = index
        } else {
            problem = header.count
            header.append("problem")
        }
        if let index = normalized.firstIndex(where: ColumnMap.identityNames.contains) {
            leadID = index
        } else {
            leadID = header.count
            header.append(ColumnMap.identityName)
        }
        self.header = header
    }

    /// The row as it was, with its reason, and the lead's id when it has one (a row that never
    /// became a lead keeps whatever its own `lead_id` cell held).
    public func row(_ cells: [String], problem reason: String, leadID id: UUID?) -> [String] {
        var row = Array(cells.prefix(width))
        while row.count < header.count { row.append("") }
        // Cells past the header (a stray value at a row's end) are kept, after ours.
        row += cells.dropFirst(width)
        row[problem] = reason
        if let id { row[leadID] = id.uuidString }
        return row
    }
}
