import Foundation

/// Creating folders and files that only their owner can read.
enum PrivateFiles {
    /// A folder we use: created (with its missing parents) at 0700 when missing; when it exists,
    /// checked by the trust rules and never changed (we do not chmod what we did not create).
    static func ensureDirectory(_ url: URL, _ kind: TrustedPaths.Kind) throws {
        var missing: [URL] = []
        var folder = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" {
            missing.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        for created in missing.reversed() {
            // mkdir with 0700 (less the umask, which only takes away): never wider than that.
            if mkdir(created.path, 0o700) != 0 && errno != EEXIST {
                throw StoreError.io(created.path, String(cString: strerror(errno)))
            }
        }
        if let problem = TrustedPaths.check(url, kind) { throw StoreError.untrusted(problem) }
    }

    /// Creates an empty file at 0600 unless it exists. SQLite gives its -wal and -shm files the
    /// database file's mode, so creating the database file this way keeps all three private.
    static func ensureFile(_ url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.io(url.path, String(cString: strerror(errno)))
        }
        close(fd)
    }

    /// fsync: what was written (a file, or a folder's new names) is on the disk, not only in the cache.
    static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 || errno == EINVAL else { throw StoreError.io(path, String(cString: strerror(errno))) }
    }
}
