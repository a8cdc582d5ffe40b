/// A database schema name checked to be a safe SQL identifier.
///
/// A valid name matches `^[a-z_][a-z0-9_]{0,62}$`, does not start with `pg_` (PostgreSQL reserves that prefix
/// for system schemas) and is not one of PostgreSQL's reserved key words (`user`, `order`, `select`, …), so it
/// can be written into SQL text both quoted and unquoted. Schema names can't be bound as query parameters; this
/// type is the only way PlanPersistence interpolates one into SQL.
public struct SchemaName: Sendable, Hashable, CustomStringConvertible {
    /// The name as written in SQL without quotes, e.g. `budget`.
    public let rawValue: String

    /// Validates `raw` as a schema name.
    /// - Throws: ``InvalidSchemaNameError`` when `raw` is not a safe identifier.
    public init(_ raw: String) throws {
        guard Self.isValid(raw) else { throw InvalidSchemaNameError(name: raw) }
        self.rawValue = raw
    }

    /// Whether `raw` would be accepted by ``init(_:)``.
    public static func isValid(_ raw: String) -> Bool {
        let bytes = Array(raw.utf8)
        guard let first = bytes.first, bytes.count <= 63 else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_") }
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard isLetter(first), bytes.dropFirst().allSatisfy({ isLetter($0) || isDigit($0) }) else { return false }
        return !raw.hasPrefix("pg_") && !reservedKeywords.contains(raw)
    }

    /// The name double-quoted, ready to be interpolated with `unescaped:` into a `PostgresQuery`.
    public var quoted: String { "\"\(rawValue)\"" }

    public var description: String { rawValue }

    /// PostgreSQL 15's reserved key words (`pg_get_keywords()` categories R and T).
    static let reservedKeywords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary",
        "both", "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create",
        "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
        "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end",
        "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike",
        "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like",
        "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or",
        "order", "outer", "overlaps", "placing", "primary", "references", "returning", "right", "select",
        "session_user", "similar", "some", "symmetric", "table", "tablesample", "then", "to", "trailing", "true",
        "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with",
    ]
}

/// Thrown by ``SchemaName/init(_:)`` for a name that is not a safe SQL identifier.
public struct InvalidSchemaNameError: Error, CustomStringConvertible {
    /// The rejected name.
    public var name: String

    public var description: String {
        "invalid schema name \"\(name)\": expected ^[a-z_][a-z0-9_]{0,62}$, no pg_ prefix, not a reserved key word"
    }
}
