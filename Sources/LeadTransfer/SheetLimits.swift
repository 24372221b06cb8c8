/// The most one record of an imported file may hold. A sign-up sheet's cell is a name or a
/// note; past these sizes the file is damaged or hostile, and reading on would cost seconds and
/// hundreds of megabytes to reject it anyway. Checked as bytes arrive, before a cell is built.
public enum SheetLimits {
    public static let fieldBytes = 64 * 1024
    public static let rowBytes = 1024 * 1024
    public static let columns = 1_000

    /// "64 KB", "1 MB": the limits as the messages say them.
    static func size(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? "\(bytes / (1024 * 1024)) MB" : "\(bytes / 1024) KB"
    }

    static func fieldTooLarge(_ place: String) -> ImportError {
        .tooLarge("\(place): a cell of more than \(size(fieldBytes)); the file is damaged or not a sign-up sheet")
    }

    static func rowTooLarge(_ place: String) -> ImportError {
        .tooLarge("\(place): a row of more than \(size(rowBytes)); the file is damaged or not a sign-up sheet")
    }

    static func tooManyColumns(_ place: String) -> ImportError {
        .tooLarge(
            "\(place): more than \(columns.formatted()) columns; the file is damaged or not a sign-up sheet")
    }
}
