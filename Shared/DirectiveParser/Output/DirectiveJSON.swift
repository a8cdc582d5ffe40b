import Foundation

extension Directive {
    /// The directive as pretty-printed UTF-8 JSON with sorted keys, days as ISO 8601 strings ("2018-03-31") and exact
    /// decimals; the same directive always gives the same bytes.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a directive from JSON written by ``jsonData()``.
    public init(jsonData: Data) throws {
        self = try JSONDecoder().decode(Directive.self, from: jsonData)
    }
}
