import Foundation
import SwiftProtobuf

/// The message of type `Message` written in a file in protobuf JSON (camelCase or proto field names). A field the
/// message does not have is an error naming it, so that a typo is not silently dropped; any failure is a
/// ``CommandFailure`` naming the file.
func readMessage<Message: SwiftProtobuf.Message>(_: Message.Type, fromJSONFile path: String) throws -> Message {
    let data = try readFile(path)
    var options = JSONDecodingOptions()
    options.ignoreUnknownFields = false
    do {
        return try Message(jsonUTF8Data: data, options: options)
    } catch let error as JSONDecodingError {
        throw CommandFailure(message: "\(path) is not a \(Message.protoMessageName) in protobuf JSON: \(jsonProblem(error))")
    } catch {
        throw CommandFailure(message: "\(path) is not a \(Message.protoMessageName) in protobuf JSON: \(error)")
    }
}

/// What is wrong with a JSON text, in words.
private func jsonProblem(_ error: JSONDecodingError) -> String {
    switch error {
    case .unknownField(let name): "unknown field '\(name)'"
    case .unrecognizedEnumValue: "a value is not one of its enum's names"
    case .conflictingOneOf: "more than one field of a oneof is set (a record has exactly one kind)"
    case .schemaMismatch: "a value has the wrong type for its field"
    case .malformedNumber, .numberRange, .leadingZero: "a number is malformed or out of range"
    case .malformedString, .invalidUTF8: "a string is malformed"
    case .truncated: "the text ends too early"
    case .trailingGarbage: "text follows the JSON object"
    case .malformedTimestamp: "a timestamp is not RFC 3339 (2018-07-03T02:00:00Z)"
    default: "\(error)"
    }
}
