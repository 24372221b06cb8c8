import Foundation
import ParamantraSandbox
import TestSupport
import Testing

/// Where a sheet comes from: a pipe is read once and never reopened (process substitution, a
/// FIFO), a device is refused, and Ctrl-C stops the reading at any point (130).
@Suite("import: pipes, devices, Ctrl-C")
struct ImportSourceTests {
    static let rows = (0..<6).map { "Asha \($0),\(9_100_000_100 + $0)" } + ["Nobody,12345"]
    static let sheet = "Name,Mobile No\n" + rows.joined(separator: "\n") + "\n"
    static let options = ["--subject", "Expo", "--channel", "Expo", "--rep", "smith"]

    @Test func processSubstitutionIsReadOnceAndItsFilesGoToThisFolder() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            try Self.sheet.write(toFile: env.folder + "/sheet.csv", atomically: true, encoding: .utf8)
            let command =
                "cd \"$0\" && exec \"$1\" import <(cat sheet.csv) "
                + Self.options.map { "'\($0)'" }.joined(separator: " ")
            let result = try await Spawn.run(
                "/bin/bash", ["-c", command, env.folder, Binary.path],
                environment: ImportExportCommandTests.environment(env))
            #expect(result.stderr.contains("queued 6 leads; 1 invalid rows are in"), "\(result.stderr)")
            #expect(await env.sandbox.leads().count == 6)
            // The invalid row is written to this folder, not beside /dev/fd/63.
            let written = try FileManager.default.contentsOfDirectory(atPath: env.folder)
                .filter { $0.hasPrefix("import-") && $0.hasSuffix(".rejected.csv") }
            #expect(written.count == 1, "\(written) \(result.stderr)")
            let rejected = try String(contentsOfFile: env.folder + "/" + (written.first ?? ""), encoding: .utf8)
            #expect(rejected.contains("Nobody,12345"), "\(rejected)")
        }
    }

    @Test func aFIFOIsAwaitedReadToItsEndAndNeverReopened() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let fifo = env.folder + "/incoming.csv"
            #expect(mkfifo(fifo, 0o600) == 0)
            let child = try Spawn.start(
                Binary.path, ["import", fifo] + Self.options, environment: ImportExportCommandTests.environment(env))
            // The writer comes later; the import waits for it, then reads to the end once.
            #expect(await waitUntil(timeout: .seconds(30)) { Self.watchesInterrupt(child.pid) })
            let writer = open(fifo, O_WRONLY)
            #expect(writer >= 0)
            _ = Self.sheet.withCString { write(writer, $0, strlen($0)) }
            close(writer)
            let status = await child.wait(timeout: .seconds(60))
            #expect(child.stderr.contains("queued 6 leads"), "\(child.stderr)")
            #expect(status != 130 && status < 128, "\(status) \(child.stderr)")
            #expect(await env.sandbox.leads().count == 6)
            // A named FIFO has a folder: its invalid rows are written beside it.
            let rejected = try String(contentsOfFile: env.folder + "/incoming.rejected.csv", encoding: .utf8)
            #expect(rejected.contains("Nobody,12345"), "\(rejected)")
        }
    }

    @Test func aDeviceIsRefused() async throws {
        let result = try await Binary.run(["import", "/dev/zero", "--dry-run"] + Self.options)
        #expect(result.status == 66)
        #expect(
            result.stderr.contains(
                "/dev/zero is a device, not a file or a pipe: import reads files and pipes"), "\(result.stderr)")
    }

    @Test func ctrlCWhileAPipeIsAwaitedStopsAtOnce() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let fifo = env.folder + "/never.csv"
            #expect(mkfifo(fifo, 0o600) == 0)
            let child = try Spawn.start(
                Binary.path, ["import", fifo] + Self.options, environment: ImportExportCommandTests.environment(env))
            #expect(await waitUntil(timeout: .seconds(30)) { Self.watchesInterrupt(child.pid) })
            child.signal(SIGINT)
            let status = await child.wait(timeout: .seconds(10))
            #expect(status == 130, "\(child.stderr)")
            #expect(
                child.stderr.contains("error: stopped by Ctrl-C while \(fifo) was read; nothing was queued"),
                "\(child.stderr)")
        }
    }

    /// A dry run of a long sheet stops at Ctrl-C, says where, and queues nothing; a real import
    /// stopped the same way keeps what it queued and says so.
    @Test(arguments: [true, false])
    func ctrlCWhileRowsAreReadStops(dryRun: Bool) async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let path = env.folder + "/long.csv"
            var text = "Name,Mobile No\n"
            text.reserveCapacity(400_000 * 24)
            for n in 0..<400_000 { text += "Asha \(n),\(9_000_000_000 + n)\n" }
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            await env.sandbox.setFaults(SandboxFaults(mode: .status, status: 503))
            let child = try Spawn.start(
                Binary.path, ["import", path] + (dryRun ? ["--dry-run"] : []) + Self.options,
                environment: ImportExportCommandTests.environment(env))
            // The column line comes just before the first row is read.
            #expect(await waitUntil(timeout: .seconds(60)) { child.stderr.contains("columns:") })
            child.signal(SIGINT)
            let status = await child.wait(timeout: .seconds(15))
            #expect(status == 130, "\(child.stdout) \(child.stderr)")
            let said = child.stdout + child.stderr
            #expect(said.contains("stopped by Ctrl-C at row "), "\(said)")
            if dryRun {
                #expect(said.contains("nothing queued (dry run)"), "\(said)")
            } else {
                #expect(said.contains("they stay in the outbox"), "\(said)")
            }
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }

    /// The import's signal watch is in place: dispatch has installed its SIGINT handler (the
    /// kernel lists it as caught). Until then, a SIGINT may be lost in the moment the watch sets
    /// the signal ignored before dispatch takes it.
    static func watchesInterrupt(_ pid: pid_t) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
            let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << (UInt64(SIGINT) - 1)) != 0
    }
}
