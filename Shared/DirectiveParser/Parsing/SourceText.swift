import Foundation

/// One line of the directive, trimmed, with its 1-based number.
struct SourceLine: Sendable {
    let number: Int
    let text: String
}

/// Turning the input bytes into NFC lines.
enum SourceText {
    /// Decodes strict UTF-8 (refusing bad bytes with their offset), drops a byte order mark and normalises to NFC.
    static func decode(_ data: Data) throws(DirectiveParseError) -> String {
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let skipped = data.starts(with: byteOrderMark) ? byteOrderMark.count : 0
        var scalars = String.UnicodeScalarView()
        var iterator = data.dropFirst(skipped).makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = skipped
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error:
                throw DirectiveParseError(.invalidUTF8(byteOffset: offset), line: nil, text: "")
            case .emptyInput:
                return String(scalars).precomposedStringWithCanonicalMapping
            }
        }
    }

    /// Splits NFC text into trimmed lines, numbering them from 1; CRLF, CR and LF all end a line, a leading BOM is dropped.
    static func lines(of text: String) -> [SourceLine] {
        var body = Substring(text)
        if body.first == "\u{FEFF}" {
            body = body.dropFirst()
        }
        return body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
            .map { index, line in
                SourceLine(number: index + 1, text: line.trimmingCharacters(in: .whitespaces))
            }
    }
}
