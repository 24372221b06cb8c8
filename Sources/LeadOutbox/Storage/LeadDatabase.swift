import Foundation
import GRDB
import ParamantraAPI

/// The lead history and outbox in one SQLite file (GRDB), written so that a lead reported saved
/// survives a crash or a power cut: WAL with synchronous=FULL, one transaction per change.
public final class LeadDatabase: Sendable {
    public let path: String
    /// A pool (WAL readers beside one writer) for the processes that write; a read-only queue
    /// for those that only read (`reading(from:)`).
    let pool: any DatabaseWriter
    /// Opened by `reading(from:)`: every write fails, and nothing was written on opening.
    public let isReadOnly: Bool
    /// Told the highest lead id whenever a save grows it (nil: no marker, as for `--demo`).
    let marker: OutboxMarker?

    /// Opens (creating when missing) the database in `locations.dataDirectory`, folder 0700 and
    /// files 0600, and brings its schema up to date; refused when the folder's marker says it
    /// held more leads than the file does (emptied, cut short, replaced).
    public convenience init(locations: DataLocations) throws {
        try self.init(directory: locations.dataDirectory, marker: locations.marker)
    }

    /// With `marker` nil, the file is taken as it is (a test's, `doctor`'s rebuild, a restore).
    public init(directory: URL, marker: OutboxMarker? = nil) throws {
        let file = directory.appendingPathComponent("leads.sqlite")
        path = file.path
        isReadOnly = false
        self.marker = marker
        do {
            try PrivateFiles.ensureDirectory(directory, .dataFolder)
            // Two processes opening a new database at once race on switching it to WAL ("database
            // is locked", which the busy timeout does not cover) and on the first migration
            // ("table already exists"): opening is serialised across processes by an flock.
            let openLock = try FileLock(directory.appendingPathComponent("open.lock"))
            defer { withExtendedLifetime(openLock) {} }
            // An emptied or missing file is refused before SQLite makes a new database of it.
            let record = try marker?.read()
            if let record, record.highestID > 0, Self.isEmptyFile(file) {
                throw StoreError.database(file.path, Self.shortfall(record, found: nil), .missingLeads)
            }
            try PrivateFiles.ensureFile(file)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            pool = try DatabasePool(path: file.path, configuration: configuration)
            let issued = try pool.read(Self.issued)
            if let record, issued.highest < record.highestID {
                throw StoreError.database(file.path, Self.shortfall(record, found: issued), .missingLeads)
            }
            // Migrations commit without a sync of their own: in WAL mode an unsynced commit can
            // be lost to a power cut but never corrupts, and a lost migration runs again at the
            // next opening (each is one transaction). A new database's five migrations cost five
            // fsyncs otherwise, before the first lead.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            defer { try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") } }
            try Self.migrator.migrate(pool)
            // A folder used before markers existed gets its marker at its first opening.
            if issued.highest > (record?.highestID ?? 0) {
                marker?.note(highestID: issued.highest, leads: issued.leads)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(file.path, "\(error)", StorageFailure.of(error, at: file.path))
        }
    }

    /// Makes the data folder (0700) when missing, or checks an existing one by the trust rules,
    /// without opening the database (for commands that take the delivery lock first).
    public static func prepareFolder(_ directory: URL) throws {
        try PrivateFiles.ensureDirectory(directory, .dataFolder)
    }

    private init(path: String, reader: DatabaseQueue) {
        self.path = path
        self.pool = reader
        isReadOnly = true
        marker = nil
    }

    /// The database in `directory`, opened to read only: no write lock, no migration, no file
    /// created or changed, so it works while another process writes and on read-only media (a
    /// backup on a write-protected USB stick or a CD). nil when there is no database there yet.
    /// The folder must pass the trust rules, as for writing.
    /// The folder may be a copy's (a backup on a stick, a CD): no one else may write in it.
    /// A `marker` that says the folder held more leads than the file does refuses it.
    public static func reading(from directory: URL, marker: OutboxMarker? = nil) throws -> LeadDatabase? {
        let file = directory.appendingPathComponent("leads.sqlite")
        guard FileManager.default.fileExists(atPath: directory.path) else { return nil }
        if let problem = TrustedPaths.check(directory, .backupFolder) { throw StoreError.untrusted(problem) }
        let record = try marker?.read()
        if let record, record.highestID > 0, isEmptyFile(file) {
            throw StoreError.database(file.path, shortfall(record, found: nil), .missingLeads)
        }
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let reader = try reading(file: file)
        if let record {
            // A damaged file fails here first: said as every other command says it (the file,
            // what is wrong, `leadconsole doctor`), not as SQLite's bare words.
            let issued: (highest: Int64, leads: Int64)
            do { issued = try reader.pool.read(Self.issued) } catch {
                throw StoreError.database(file.path, "\(error)", StorageFailure.of(error, at: file.path))
            }
            if issued.highest < record.highestID {
                throw StoreError.database(file.path, shortfall(record, found: issued), .missingLeads)
            }
        }
        return reader
    }

    /// The highest lead id the file gave (AUTOINCREMENT's counter; 0 in a new or emptied file)
    /// and how many leads it holds.
    static func issued(_ db: Database) throws -> (highest: Int64, leads: Int64) {
        guard try db.tableExists("sqlite_sequence"), try db.tableExists("state_count") else { return (0, 0) }
        let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'lead'") ?? 0
        let leads = try Int64.fetchOne(db, sql: "SELECT total(n) FROM state_count") ?? 0
        return (highest, leads)
    }

    /// A write that may give new lead ids, then the marker told of them: after the commit, so
    /// a save that fails (a full disk) never leaves the marker ahead of the file.
    func writeNotingIssued<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        guard let marker else { return try await write(body) }
        let (result, issued) = try await write { db in (try body(db), try Self.issued(db)) }
        marker.note(highestID: issued.highest, leads: issued.leads)
        return result
    }

    static func isEmptyFile(_ file: URL) -> Bool {
        var info = stat()
        return stat(file.path, &info) != 0 || info.st_size == 0
    }

    /// "it is empty, but held 500 leads (ids up to 512) on 3 Dec 2026": what the marker says
    /// against what the file holds.
    static func shortfall(_ record: OutboxMarker.Record, found: (highest: Int64, leads: Int64)?) -> String {
        let held =
            "\(record.leads) lead\(record.leads == 1 ? "" : "s") (ids up to \(record.highestID)) on \(Self.day(record.at))"
        guard let found, found.highest > 0 else { return "it is empty or missing, but held \(held)" }
        return
            "it holds leads up to #\(found.highest) only, but held \(held): it was replaced by an older copy, cut short or damaged"
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "d MMM yyyy"
        return formatter.string(from: date)
    }

    /// A database file opened to read only (a backup given by its path).
    public static func reading(file: URL) throws -> LeadDatabase {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue: DatabaseQueue
            do {
                queue = try openChecked(file.path, configuration)
            } catch {
                // Read-only media: a WAL database needs its -shm index, which cannot be made
                // there; read the file as it is (immutable: no locks, no -shm). A backup is
                // written in rollback mode, so nothing of it waits in a -wal file.
                let encoded = file.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? file.path
                queue = try openChecked("file:" + encoded + "?immutable=1", configuration)
            }
            let reader = LeadDatabase(path: file.path, reader: queue)
            // The schema the read-only commands read (history, export) is complete at v3; a
            // history not yet opened by this version lacks only the stats tallies (v4), which
            // `report` brings up by opening it to write.
            guard try queue.read({ try migrator.appliedIdentifiers($0).contains(Self.schemaReadersNeed) }) else {
                throw StoreError.database(
                    file.path,
                    "it was written by an older leadconsole: run leadconsole retry once where it can be written, to update it"
                )
            }
            return reader
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(file.path, "\(error)", StorageFailure.of(error, at: file.path))
        }
    }

    /// Opens read-only and reads the schema: a WAL file on read-only media fails here, not at
    /// the first query.
    private static func openChecked(_ path: String, _ configuration: Configuration) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        _ = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
        return queue
    }

    /// The last migration whose tables and columns the read-only commands read.
    static let schemaReadersNeed = "v3: hold reasons"

    /// Versioned migrations; never edit a shipped one, add the next.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: leads, attempts, search") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lead (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        uuid TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        first_name TEXT NOT NULL,
                        last_name TEXT NOT NULL,
                        phone TEXT NOT NULL,
                        phone_as_typed TEXT NOT NULL,
                        email TEXT NOT NULL,
                        project TEXT NOT NULL,
                        notes TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        rep TEXT NOT NULL,
                        alert_client INTEGER NOT NULL,
                        alert_rep INTEGER NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('queued','sending','accepted','duplicate','rejected','held')),
                        crm_id TEXT,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL,
                        last_error TEXT,
                        uncertain INTEGER NOT NULL DEFAULT 0,
                        search_text TEXT NOT NULL
                    );
                    -- Newest-first pages of one state, and the due queue (oldest first).
                    CREATE INDEX lead_by_state ON lead(state, id);
                    -- The queue in id order (oldest first); small however long the history grows.
                    CREATE INDEX lead_due ON lead(id, next_attempt_at) WHERE state = 'queued';
                    CREATE INDEX lead_by_phone ON lead(phone, id);
                    CREATE INDEX lead_by_created ON lead(created_at);

                    CREATE TABLE attempt (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
                        at REAL NOT NULL,
                        outcome TEXT NOT NULL,
                        http_status INTEGER,
                        message TEXT NOT NULL,
                        raw_body TEXT NOT NULL,
                        elapsed_ms INTEGER NOT NULL
                    );
                    CREATE INDEX attempt_by_lead ON attempt(lead_id, id);

                    -- Substring search over name, phone and email (trigram: any three characters).
                    CREATE VIRTUAL TABLE lead_search USING fts5(search_text, content='lead', content_rowid='id', tokenize='trigram');
                    CREATE TRIGGER lead_search_insert AFTER INSERT ON lead BEGIN
                        INSERT INTO lead_search(rowid, search_text) VALUES (new.id, new.search_text);
                    END;
                    CREATE TRIGGER lead_search_update AFTER UPDATE OF search_text ON lead BEGIN
                        INSERT INTO lead_search(lead_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
                        INSERT INTO lead_search(rowid, search_text) VALUES (new.id, new.search_text);
                    END;

                    -- Leads per state, kept by triggers: the history header reads six rows instead of
                    -- counting a million.
                    CREATE TABLE state_count (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
                    INSERT INTO state_count (state, n) VALUES ('queued', 0), ('sending', 0), ('accepted', 0),
                        ('duplicate', 0), ('rejected', 0), ('held', 0);
                    CREATE TRIGGER state_count_insert AFTER INSERT ON lead BEGIN
                        UPDATE state_count SET n = n + 1 WHERE state = new.state;
                    END;
                    CREATE TRIGGER state_count_update AFTER UPDATE OF state ON lead WHEN old.state <> new.state BEGIN
                        UPDATE state_count SET n = n - 1 WHERE state = old.state;
                        UPDATE state_count SET n = n + 1 WHERE state = new.state;
                    END;
                    CREATE TRIGGER state_count_delete AFTER DELETE ON lead BEGIN
                        UPDATE state_count SET n = n - 1 WHERE state = old.state;
                    END;
                    """)
        }
        // Imported rows carry a key made of their content, so importing a file again (or a row
        // twice) queues nothing new.
        migrator.registerMigration("v2: import keys") { db in
            try db.execute(
                sql: """
                    ALTER TABLE lead ADD COLUMN import_key TEXT;
                    CREATE UNIQUE INDEX lead_by_import_key ON lead(import_key) WHERE import_key IS NOT NULL;
                    """)
        }
        // Why a held lead waits (credentials or endpoint): the exit status, the status bar and
        // the fix named to the rep depend on it.
        migrator.registerMigration("v3: hold reasons") { db in
            try db.execute(
                sql: """
                    ALTER TABLE lead ADD COLUMN hold TEXT CHECK (hold IN ('credentials', 'endpoint', 'settings'));
                    UPDATE lead SET hold = CASE WHEN last_error LIKE '%check the endpoint URL%' THEN 'endpoint' ELSE 'credentials' END
                        WHERE state = 'held';
                    """)
        }
        // Counts by quarter-hour, state, channel, rep and project, and the time each answer took,
        // kept by triggers: the stats screen and `report` read a period without counting leads.
        migrator.registerMigration("v4: stats tallies") { db in
            try db.execute(sql: StatsSchema.migration)
        }
        // Lead ids known not to be in the table, and why (`LeadGap`): `doctor` exits 0 only when
        // every id up to the highest given is a lead or one of these. Ids missing already (an
        // import that found a row already there used up an id until this version) are noted now.
        migrator.registerMigration("v5: lead gaps") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lead_gap (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        first_id INTEGER NOT NULL,
                        last_id INTEGER NOT NULL,
                        noted_at REAL NOT NULL,
                        reason TEXT NOT NULL CHECK (reason IN ('unused', 'lost', 'accepted')),
                        CHECK (first_id >= 1 AND last_id >= first_id)
                    );
                    """)
            for range in try LeadGaps.unexplained(db) {
                try LeadGaps.note(db, range, reason: LeadGap.unused, at: Date())
            }
        }
        // What each file written for a person to fix (`….rejected.csv`) held when we wrote it:
        // a later run may replace it only while it is still byte for byte what we wrote.
        migrator.registerMigration("v6: written files") { db in
            try db.execute(
                sql: """
                    CREATE TABLE written_file (
                        path TEXT PRIMARY KEY NOT NULL,
                        fingerprint TEXT NOT NULL,
                        written_at REAL NOT NULL
                    );
                    """)
        }
        // Who a corrected lead was before (`LeadIdentity`): the row that was refused, imported
        // again from the first sheet, is that lead and not a new one, so the superseded values
        // never reach the CRM.
        migrator.registerMigration("v7: former identities") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lead_former (
                        identity TEXT PRIMARY KEY NOT NULL,
                        lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    /// Runs `body` in one write transaction.
    func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await naming { try await self.pool.write(body) }
    }

    /// Runs `body` in one write transaction; with `durable` false the commit is not fsync'd
    /// (WAL with synchronous=NORMAL: atomic and consistent, on disk at the next checkpoint).
    /// Only for writes whose loss in a power cut costs a resend the CRM answers as a duplicate:
    /// an attempt's claim and outcome during a bulk import. A lead's first write is always durable.
    func write<T: Sendable>(durable: Bool, _ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        if durable { return try await write(body) }
        return try await naming {
            try await self.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    /// Closes every connection (a rebuilt file about to be renamed into place).
    func close() throws { try pool.close() }

    /// Runs `body` on the writer connection outside any transaction (ATTACH needs that).
    func outsideTransaction<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await naming { try await self.pool.writeWithoutTransaction(body) }
    }

    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await naming { try await self.pool.read(body) }
    }

    /// Returns once no other connection is in the middle of a write (an empty write transaction:
    /// it waits for the write lock, writes nothing and syncs nothing). A change heard through
    /// the file system is a WAL frame written, and the commit it belongs to may not be visible
    /// yet (SQLite publishes it through the mmap'd `-shm`, which no watch hears): a read after
    /// this sees it. Without it, a `submit` waiting on another deliverer read the lead as still
    /// being sent, then slept through the commit that answered it, about one run in two.
    public func awaitWritesInProgress() async throws { try await write { _ in } }

    /// SQLite's errors come out naming the database file.
    private func naming<T>(_ access: () async throws -> T) async throws -> T {
        do {
            return try await access()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(path, "\(error)", StorageFailure.of(error, at: path))
        }
    }
}

extension StoredLead {
    static let columns = """
        id, uuid, created_at, updated_at, first_name, last_name, phone, phone_as_typed, email, project, notes,
        subject, channel, rep, alert_client, alert_rep, state, crm_id, attempts, next_attempt_at, last_error, uncertain, hold
        """

    /// A row of `SELECT \(columns)`, read by position: by name, GRDB lower-cases each column
    /// name on every read, which was a tenth of the delivery path's own CPU.
    init(row: Row) {
        let lead = Lead(
            firstName: row[4], lastName: row[5], phone: row[7], email: row[8], project: row[9], notes: row[10],
            subject: row[11], channel: row[12], rep: row[13], alertClient: row[14], alertRep: row[15])
        self.init(
            id: row[0], uuid: UUID(uuidString: row[1]) ?? UUID(),
            createdAt: Date(timeIntervalSince1970: row[2]), updatedAt: Date(timeIntervalSince1970: row[3]),
            lead: lead, phone: row[6], state: LeadState(rawValue: row[16]) ?? .queued, crmID: row[17],
            attempts: row[18], nextAttemptAt: (row[19] as Double?).map(Date.init(timeIntervalSince1970:)),
            lastError: row[20], uncertain: row[21], hold: (row[22] as String?).flatMap(LeadHold.init(rawValue:)))
    }

    /// Lower-cased name, phone (both forms) and email: what the history search matches.
    static func searchText(_ valid: ValidLead) -> String {
        let lead = valid.lead
        return [lead.firstName, lead.lastName, valid.phone.tenDigits, lead.phone, lead.email]
            .filter { !$0.isEmpty }.joined(separator: " ").lowercased()
    }
}

extension StorageFailure {
    /// SQLite's primary result code, read through GRDB. SQLite often reports a full disk as an
    /// I/O error (a write to the WAL or its index failing with ENOSPC), so an I/O error on a file
    /// system with no room left is called what it is.
    static func of(_ error: any Error, at path: String? = nil) -> StorageFailure {
        guard let error = error as? DatabaseError else { return .other }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_FULL: return .full
        case .SQLITE_IOERR:
            if let path, let room = freeBytes(near: path), room < 64 * 1024 { return .full }
            return .io
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: return .notWritable
        default: return .other
        }
    }

    /// Bytes an unprivileged writer may still use on the file system holding `path`.
    static func freeBytes(near path: String) -> UInt64? {
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
}
