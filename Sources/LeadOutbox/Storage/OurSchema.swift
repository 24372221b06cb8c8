import GRDB

/// The schema our migrations make, as `sqlite_master` rows: what "ours" means for the schema
/// objects of a file. A trigger, view or table is ours only when its SQL is what our migrations
/// write, to the letter; a matching name is not enough (a planted `AFTER INSERT` trigger named
/// like one of ours would still run on every lead).
enum OurSchema {
    struct Object: Hashable, Sendable, CustomStringConvertible {
        let type: String
        let name: String
        let sql: String?

        var description: String { "\(type) \(name)" }
    }

    /// Made once, in memory, by the migrations themselves: the objects of every version we
    /// shipped (a v1 file's lead table reads as v1 wrote it, before v2 and v3 added columns).
    static let objects: Set<Object> = {
        do {
            var all = Set<Object>()
            for version in LeadDatabase.migrator.migrations {
                let queue = try DatabaseQueue()
                try LeadDatabase.migrator.migrate(queue, upTo: version)
                all.formUnion(try queue.read { db in try read(db, schema: "main") })
            }
            return all
        } catch {
            fatalError("our own migrations failed in memory: \(error)")
        }
    }()

    /// The objects of `schema` ("main", or an attached database's name).
    static func read(_ db: Database, schema: String) throws -> Set<Object> {
        Set(
            try Row.fetchAll(db, sql: "SELECT type, name, sql FROM \(schema).sqlite_master").map {
                Object(type: $0[0], name: $0[1], sql: $0[2])
            })
    }

    /// What a file holds that our migrations did not make (from an older version: only objects
    /// of a version we wrote). An object of ours from a later migration than the file's is
    /// missing, never foreign.
    static func foreign(in db: Database, schema: String = "main") throws -> [Object] {
        foreignObjects(try read(db, schema: schema))
    }

    /// The objects of a file's schema that are not ours, by type and name.
    static func foreignObjects(_ found: Set<Object>) -> [Object] {
        found.subtracting(objects).sorted { ($0.type, $0.name) < ($1.type, $1.name) }
    }
}
