import Foundation

/// Real .xlsx files for tests, written by openpyxl (what `make test` installs from PyPI with
/// Scripts/requirements-test.txt), or by Python's zipfile for the XML other writers produce.
public enum Workbook {
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `script` with `openpyxl`, `datetime`, `zipfile`, a fresh `wb` and its sheet `ws`
    /// in scope and `out` the path to write; the workbook is saved to `out` unless the script
    /// writes it itself.
    public static func write(_ script: String, to path: String) async throws {
        let program = """
            import datetime, os, sys, zipfile
            try:
                import openpyxl
            except ImportError:
                sys.exit("openpyxl is missing: make test installs it (python3 -m pip install -r Scripts/requirements-test.txt)")
            out = os.environ["OUT"]
            wb = openpyxl.Workbook()
            ws = wb.active
            saved = False
            \(script)
            if not saved and not os.path.exists(out):
                wb.save(out)
            """
        var environment = ProcessInfo.processInfo.environment
        environment["OUT"] = path
        let result = try await Spawn.run("/usr/bin/env", ["python3", "-c", program], environment: environment)
        guard result.status == 0 else { throw Missing(description: "python3 failed: \(result.stderr)") }
    }
}
