import Foundation

/// A logical column that a record kind reads from CSV, whatever language its header is written in.
///
/// A header name matches when it equals one of `acceptedHeaders` after both are normalised to NFC, lowercased,
/// trimmed, and their runs of whitespace collapsed to one space. Diacritics count: "Số tiền" matches
/// "số tiền" but not "so tien", unless "so tien" is itself an alias.
public struct CSVColumn: Hashable, Sendable {
    /// The English identifier the code uses, e.g. "record_id"; it is also an accepted header.
    public let identifier: String
    /// Further accepted header names, English or Vietnamese, e.g. "mã bản ghi", "mã".
    public let aliases: [String]
    /// Whether the header must have the column. An optional column may be absent; its values are then empty.
    public let isRequired: Bool

    /// A column named `identifier` in code, accepted in the header as `identifier` or any of `aliases`.
    public init(_ identifier: String, aliases: [String] = [], isRequired: Bool = true) {
        self.identifier = identifier
        self.aliases = aliases
        self.isRequired = isRequired
    }

    /// The header names that denote the column: the identifier, then the aliases.
    public var acceptedHeaders: [String] { [identifier] + aliases }

    /// Whether `header`, as written in a file, denotes the column.
    public func accepts(header: String) -> Bool {
        let key = Self.headerKey(header)
        return acceptedHeaders.contains { Self.headerKey($0) == key }
    }

    /// The form in which header names are compared: NFC, lowercase, trimmed, whitespace runs collapsed.
    static func headerKey(_ name: String) -> String {
        name.lowercased().precomposedStringWithCanonicalMapping
            .split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
    }
}
