// swift-tools-version: 6.1
// LeadConsole: a terminal console that sends walk-in leads to the Paramantra CRM.
// Dependencies point one way (README, "Architecture"): leadconsole wires everything;
// CursesBackend -> LeadConsoleUI -> ConsoleState -> LeadOutbox -> ContactCards -> ParamantraAPI;
// LeadTransfer -> LeadOutbox. (docs/architecture.md; Scripts/check_layers.py reads these lists.)
// Only CursesBackend sees curses (make lint checks the imports).
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "LeadConsole",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leadconsole", targets: ["leadconsole"]),
        .executable(name: "leadconsole-sandbox", targets: ["leadconsole-sandbox"]),
        .library(name: "ParamantraAPI", targets: ["ParamantraAPI"]),
        .library(name: "ParamantraSandbox", targets: ["ParamantraSandbox"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        // traits: [] keeps swift-configuration and full Foundation out of the server build.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        // CSV as spreadsheets write it, streamed (import and export).
        .package(url: "https://github.com/yaslab/CSV.swift.git", exact: "2.5.2"),
        // The HTTP client on SwiftNIO: real deadlines, pooled connections, never a resend of its own.
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        // multipart/form-data bodies in the sandbox (what the vendor's PHP sample sends).
        .package(url: "https://github.com/vapor/multipart-kit.git", exact: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        // Excel workbooks (.xlsx) are ZIP packages: read a part at a time, never unpacked whole.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20")
    ],
    targets: [
        // The shared Paramantra API client: the only code that speaks HTTP to the CRM.
        .target(
            name: "ParamantraAPI",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio")
            ],
            swiftSettings: strict
        ),
        // Contact cards as phones and badge scanners give them (vCard, MECARD, BIZCARD, tel: links,
        // an expo's badge format) and names as people write them: one reader for import and scan.
        .target(name: "ContactCards", dependencies: ["ParamantraAPI"], swiftSettings: strict),
        // The outbox and history (SQLite), delivery, stats tallies, backups, the settings file and
        // its trust rules: the only module that opens the database (the only one importing GRDB).
        .target(
            name: "LeadOutbox",
            dependencies: [
                "ContactCards", "ParamantraAPI",
                .product(name: "GRDB", package: "GRDB.swift")
            ],
            swiftSettings: strict
        ),
        // The console's one state, its actions and effects, the pure reducers and the Store that
        // runs effects through its dependencies (wired to LeadOutbox); no GRDB.
        .target(
            name: "ConsoleState",
            dependencies: ["ContactCards", "LeadOutbox", "ParamantraAPI"],
            swiftSettings: strict
        ),
        // ncursesw through a module map: only the terminal backend imports it.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncursesw5-dev"])]),
        // glibc's wcwidth for Swift: the one width function of the screen buffer.
        .target(name: "CDisplayWidth"),
        // The SIGWINCH hook that wakes the console's wait (a signal handler must be C).
        .target(name: "CTerminalSignals"),
        // Screen buffer and display width, views, key map, the console loop, the in-memory
        // terminal: everything of the UI but curses.
        .target(
            name: "LeadConsoleUI",
            dependencies: ["CDisplayWidth", "ContactCards", "ConsoleState", "ParamantraAPI"],
            swiftSettings: strict
        ),
        // The ncurses backend: the one target that links and imports curses.
        .target(
            name: "CursesBackend",
            dependencies: ["CNcurses", "CTerminalSignals", "LeadConsoleUI"],
            swiftSettings: strict
        ),
        // A loopback server that answers like Paramantra, with faults on demand.
        .target(
            name: "ParamantraSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit")
            ],
            swiftSettings: strict
        ),
        // The sandbox's command-line options, shared by `leadconsole sandbox` and the sandbox's program.
        .target(
            name: "SandboxCommandLine",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // The sandbox as a program of its own: `leadconsole sandbox` and `--demo` run it, so the
        // console's binary carries no server.
        .executableTarget(
            name: "leadconsole-sandbox",
            dependencies: [
                "ParamantraSandbox", "SandboxCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: strict
        ),
        // Import from CSV, Excel workbooks and vCard contacts, export to CSV and JSON: column mapping,
        // row rules, streaming files.
        .target(
            name: "LeadTransfer",
            dependencies: [
                "ContactCards", "LeadOutbox", "ParamantraAPI", .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation")
            ],
            swiftSettings: strict
        ),
        // Names the git commit in `leadconsole --version` (a prebuild command; see its comment).
        .plugin(name: "EmbedCommit", capability: .buildTool()),
        // The executable: argument parsing and wiring, nothing else.
        .executableTarget(
            name: "leadconsole",
            dependencies: [
                "ParamantraAPI",
                "LeadOutbox",
                "ConsoleState",
                "LeadConsoleUI",
                "CursesBackend",
                "LeadTransfer",
                "SandboxCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: strict,
            plugins: ["EmbedCommit"]
        ),
        // Helpers shared by the test targets: spawning programs, waiting for conditions.
        .target(
            name: "TestSupport",
            dependencies: ["ParamantraAPI", "LeadOutbox", "ParamantraSandbox"],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        // `make bench`: the history, outbox and stats queries on a database of a million leads.
        .executableTarget(
            name: "leadconsole-bench",
            dependencies: [
                "LeadOutbox", "ConsoleState", "LeadConsoleUI", "ParamantraAPI",
                .product(name: "GRDB", package: "GRDB.swift")
            ],
            path: "Benchmarks/HistoryBench",
            swiftSettings: strict
        ),
        // The console's cost per keystroke with a large history (make bench).
        .executableTarget(
            name: "leadconsole-ui-bench",
            dependencies: ["LeadConsoleUI", "ConsoleState", "LeadOutbox", "ParamantraAPI"],
            path: "Benchmarks/ConsoleBench",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ParamantraAPITests",
            dependencies: [
                "ParamantraAPI",
                "ParamantraSandbox",
                "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio")
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LeadOutboxTests",
            dependencies: [
                "ContactCards", "LeadOutbox", "ParamantraAPI", "ParamantraSandbox", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift")
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConsoleStateTests",
            dependencies: [
                "ConsoleState", "ContactCards", "LeadOutbox", "ParamantraAPI", "ParamantraSandbox", "TestSupport"
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LeadConsoleUITests",
            dependencies: [
                "LeadConsoleUI", "ConsoleState", "ContactCards", "LeadOutbox", "ParamantraAPI", "ParamantraSandbox",
                "TestSupport"
            ],
            // Golden screens, read by the tests from their own folder.
            exclude: ["Golden"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LeadTransferTests",
            dependencies: ["ContactCards", "LeadTransfer", "LeadOutbox", "ParamantraAPI", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ContactCardsTests",
            dependencies: ["ContactCards", "ParamantraAPI"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ParamantraSandboxTests",
            dependencies: ["ParamantraSandbox", "TestSupport"],
            swiftSettings: strict
        ),
        // End-to-end tests of the built binary.
        .testTarget(
            name: "LeadConsoleCLITests",
            dependencies: [
                "leadconsole", "LeadOutbox", "ParamantraSandbox", "ParamantraAPI", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
                // A history as an older version left it (the report upgrade test).
                .product(name: "GRDB", package: "GRDB.swift")
            ],
            swiftSettings: strict
        )
    ],
    swiftLanguageModes: [.v6]
)
