import ConsoleState
import ParamantraAPI

/// What a cell stands for when clicked: views record these as they draw (pure, like the cells),
/// and the console looks a click up in the frame it last drew.
public enum HitTarget: Sendable, Equatable {
    case field(LeadField)
    case setting(SettingsKey)
    /// A row of the history screen's list, by its index in the window.
    case listRow(Int)
    /// A row of the history pane beside the form, by its lead's id.
    case paneRow(Int64)
    /// A key named in the footer ("F5 retry"): clicking it presses it.
    case key(Key)
}

/// A clickable stretch of one row.
public struct TargetArea: Sendable, Equatable {
    public let row: Int
    public let columns: Range<Int>
    public let target: HitTarget
}

extension ScreenBuffer {
    /// Marks `columns` of `row` as standing for `target` (the last one marked wins).
    mutating func mark(row: Int, columns: Range<Int>, _ target: HitTarget) {
        guard row >= 0, row < rows, !columns.isEmpty else { return }
        targets.append(TargetArea(row: row, columns: columns, target: target))
    }

    /// What the cell at (column, row) stands for, if anything.
    public func target(column: Int, row: Int) -> HitTarget? {
        targets.last { $0.row == row && $0.columns.contains(column) }?.target
    }
}
