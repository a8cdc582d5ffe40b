/// Why a directive text could not be read, with the line and the text at fault.
///
/// The description is in English; Vietnamese text is quoted as written, e.g.
/// `line 19: cannot read target (5): no number with a unit in “Tổng vốn đầu tư toàn xã hội huy động đạt nhiều”`.
public struct DirectiveParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public let reason: Reason
    /// The 1-based line number, `nil` when the fault is not on a line (bytes that are not UTF-8, an empty text).
    public let line: Int?
    /// The offending text as written (the whole line, or the part at fault).
    public let text: String

    /// Creates an error.
    public init(_ reason: Reason, line: Int?, text: String) {
        self.reason = reason
        self.line = line
        self.text = text
    }

    /// The kinds of fault.
    public enum Reason: Sendable, Equatable {
        /// The bytes are not UTF-8; the offset of the first bad byte.
        case invalidUTF8(byteOffset: Int)
        /// The text is not a directive; what is missing.
        case notADirective(String)
        /// The title gives no year ("NĂM 2018").
        case missingYear
        /// A target line could not be read; why.
        case unreadableTarget(String)
        /// A target's value is followed by a unit the parser does not know; the unit as written.
        case unknownUnit(String)
        /// The same target number appears twice.
        case duplicateTarget(Int)
        /// A lettered heading among the targets is not economic, social or environment.
        case unknownTargetGroup
        /// A block heading names an agency that is not in the registry; the name as written.
        case unknownAgency(String)
        /// A line of Part One is outside any section or block.
        case textOutsideBlock
    }

    public var description: String {
        let location = line.map { "line \($0): " } ?? ""
        switch reason {
        case .invalidUTF8(let offset):
            return "\(location)the text is not valid UTF-8: bad byte at offset \(offset)"
        case .notADirective(let missing):
            return "\(location)not a directive: \(missing)" + (text.isEmpty ? "" : " (found “\(text)”)")
        case .missingYear:
            return "\(location)the title gives no year (expected “NĂM yyyy”) in “\(text)”"
        case .unreadableTarget(let why):
            return "\(location)cannot read target: \(why) in “\(text)”"
        case .unknownUnit(let unit):
            return "\(location)unknown unit “\(unit)” in “\(text)”"
        case .duplicateTarget(let number):
            return "\(location)target (\(number)) appears twice: “\(text)”"
        case .unknownTargetGroup:
            return "\(location)target group heading is not economic, social or environment: “\(text)”"
        case .unknownAgency(let name):
            return "\(location)unknown agency “\(name)” in block heading “\(text)”"
        case .textOutsideBlock:
            return "\(location)text of Part One outside any section or lead-agency block: “\(text)”"
        }
    }
}
