import Foundation

/// One lead as the sandbox received it.
public struct SandboxLead: Codable, Sendable, Equatable {
    public let id: Int
    public let receivedAt: Date
    /// The ten digits the duplicate check uses.
    public let contactNumber: String
    /// Every form field exactly as decoded from the request body.
    public let fields: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, fields
        case receivedAt = "received_at"
        case contactNumber = "contact_number"
    }
}

/// What the sandbox holds: its leads (in memory, and appended to a JSON-lines file when one is
/// given, so they survive a restart), the ids it handed out, and the faults in force.
actor SandboxLedger {
    private(set) var leads: [SandboxLead] = []
    private var idByPhone: [String: Int] = [:]
    private var nextID: Int
    private(set) var faults = SandboxFaults.none
    private var faultUsesLeft: Int?
    private(set) var leadRequests = 0
    /// Lead requests whose body was short of its Content-Length (the connection closed before
    /// the rest came), empty, or not a form: what a client that resends without its body sends.
    private(set) var malformedRequests = 0
    /// Requests seen on each open connection, for the `close_reused` fault.
    private var requestsByConnection: [ObjectIdentifier: Int] = [:]
    private let file: FileHandle?

    enum Outcome: Sendable {
        case added(Int)
        case duplicate(Int)
    }

    init(dataFile: URL?, firstID: Int = 2880) throws {
        var loaded: [SandboxLead] = []
        if let dataFile {
            if !FileManager.default.fileExists(atPath: dataFile.path) {
                guard
                    FileManager.default.createFile(
                        atPath: dataFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
                else {
                    throw SandboxError.dataFile(dataFile.path, "cannot be created")
                }
            }
            let data = try Data(contentsOf: dataFile)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
                do {
                    loaded.append(try decoder.decode(SandboxLead.self, from: line))
                } catch {
                    throw SandboxError.dataFile(dataFile.path, "line \(number + 1) is not a sandbox lead: \(error)")
                }
            }
            let handle = try FileHandle(forWritingTo: dataFile)
            try handle.seekToEnd()
            file = handle
        } else {
            file = nil
        }
        leads = loaded
        for lead in loaded where idByPhone[lead.contactNumber] == nil {
            idByPhone[lead.contactNumber] = lead.id
        }
        nextID = max(firstID, (loaded.map(\.id).max() ?? 0) + 1)
    }

    /// Adds a lead unless its phone is known; ids only grow.
    func add(contactNumber: String, fields: [String: String]) throws -> Outcome {
        if let id = idByPhone[contactNumber] { return .duplicate(id) }
        let lead = SandboxLead(id: nextID, receivedAt: Date(), contactNumber: contactNumber, fields: fields)
        if let file {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            var line = try encoder.encode(lead)
            line.append(UInt8(ascii: "\n"))
            try file.write(contentsOf: line)
        }
        nextID += 1
        leads.append(lead)
        idByPhone[contactNumber] = lead.id
        return .added(lead.id)
    }

    func setFaults(_ new: SandboxFaults) {
        faults = new
        faultUsesLeft = new.count
    }

    /// Counts a lead request and says which mode answers it (a counted fault runs out).
    func nextLeadRequest() -> (mode: SandboxFaults.Mode, faults: SandboxFaults) {
        leadRequests += 1
        var mode = faults.mode
        if mode != .none, let left = faultUsesLeft {
            if left <= 0 {
                mode = .none
            } else {
                faultUsesLeft = left - 1
            }
        }
        return (mode, faults)
    }

    func countMalformed() { malformedRequests += 1 }

    /// Counts a request on a connection: 1 for its first. The entry goes when the connection
    /// closes (`connectionClosed`), so a new connection at a reused address starts at 1.
    func request(onConnection id: ObjectIdentifier) -> Int {
        let number = requestsByConnection[id, default: 0] + 1
        requestsByConnection[id] = number
        return number
    }

    func connectionClosed(_ id: ObjectIdentifier) {
        requestsByConnection[id] = nil
    }

    /// Set when the sandbox is stopping: answers held open (accept_no_answer) end at once.
    private(set) var stopping = false

    func beginStopping() { stopping = true }

    func close() {
        try? file?.close()
    }
}

public enum SandboxError: Error, CustomStringConvertible {
    case dataFile(String, String)
    case bind(String)

    public var description: String {
        switch self {
        case .dataFile(let path, let why): return "sandbox data file \(path) \(why)"
        case .bind(let why): return "the sandbox could not listen: \(why)"
        }
    }
}
