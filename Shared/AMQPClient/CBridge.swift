import CRabbitMQ
import Foundation

/// C memory that must outlive one rabbitmq-c call: everything allocated here is freed together.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    /// A copy of `bytes` that lives as long as the arena.
    func bytes<Bytes: Collection>(_ bytes: Bytes) -> amqp_bytes_t where Bytes.Element == UInt8 {
        let count = bytes.count
        guard let pointer = malloc(max(count, 1)) else { fatalError("out of memory") }
        allocations.append(pointer)
        let buffer = UnsafeMutableRawBufferPointer(start: pointer, count: count)
        buffer.copyBytes(from: bytes)
        return amqp_bytes_t(len: count, bytes: pointer)
    }

    func bytes(_ string: String) -> amqp_bytes_t { bytes(Array(string.utf8)) }

    /// A NUL-terminated copy of `string`.
    func cString(_ string: String) -> UnsafePointer<CChar> {
        guard let pointer = strdup(string) else { fatalError("out of memory") }
        allocations.append(UnsafeMutableRawPointer(pointer))
        return UnsafePointer(pointer)
    }

    func table(_ fields: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_empty_table }
        let entries = allocate(amqp_table_entry_t.self, count: fields.count)
        for (index, key) in fields.keys.sorted().enumerated() {
            entries[index] = amqp_table_entry_t(key: bytes(key), value: fieldValue(fields[key]!))
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }

    private func fieldValue(_ value: AMQPFieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let string):
            field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            field.value.bytes = bytes(string)
        case .bytes(let data):
            field.kind = UInt8(AMQP_FIELD_KIND_BYTES.rawValue)
            field.value.bytes = bytes(data)
        case .bool(let flag):
            field.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            field.value.boolean = flag ? 1 : 0
        case .int32(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_I32.rawValue)
            field.value.i32 = number
        case .int64(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            field.value.i64 = number
        case .double(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_F64.rawValue)
            field.value.f64 = number
        case .timestamp(let date):
            field.kind = UInt8(AMQP_FIELD_KIND_TIMESTAMP.rawValue)
            field.value.u64 = UInt64(max(0, date.timeIntervalSince1970))
        case .table(let nested):
            field.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            field.value.table = table(nested)
        case .array(let items):
            field.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            let entries = allocate(amqp_field_value_t.self, count: max(items.count, 1))
            for (index, item) in items.enumerated() { entries[index] = fieldValue(item) }
            field.value.array = amqp_array_t(num_entries: Int32(items.count), entries: entries)
        case .void:
            field.kind = UInt8(AMQP_FIELD_KIND_VOID.rawValue)
        }
        return field
    }

    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = calloc(count, MemoryLayout<T>.stride) else { fatalError("out of memory") }
        allocations.append(raw)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// Properties in rabbitmq-c's form; the flags say which fields are present.
    func properties(_ properties: AMQPProperties) -> amqp_basic_properties_t {
        var result = amqp_basic_properties_t()
        var flags: Int32 = AMQP_BASIC_DELIVERY_MODE_FLAG
        result.delivery_mode = properties.persistent ? UInt8(AMQP_DELIVERY_PERSISTENT.rawValue) : UInt8(AMQP_DELIVERY_NONPERSISTENT.rawValue)
        func set(_ value: String?, _ flag: Int32, _ field: inout amqp_bytes_t) {
            guard let value else { return }
            field = bytes(value)
            flags |= flag
        }
        set(properties.contentType, AMQP_BASIC_CONTENT_TYPE_FLAG, &result.content_type)
        set(properties.contentEncoding, AMQP_BASIC_CONTENT_ENCODING_FLAG, &result.content_encoding)
        set(properties.correlationID, AMQP_BASIC_CORRELATION_ID_FLAG, &result.correlation_id)
        set(properties.replyTo, AMQP_BASIC_REPLY_TO_FLAG, &result.reply_to)
        set(properties.expiration, AMQP_BASIC_EXPIRATION_FLAG, &result.expiration)
        set(properties.messageID, AMQP_BASIC_MESSAGE_ID_FLAG, &result.message_id)
        set(properties.type, AMQP_BASIC_TYPE_FLAG, &result.type)
        set(properties.userID, AMQP_BASIC_USER_ID_FLAG, &result.user_id)
        set(properties.appID, AMQP_BASIC_APP_ID_FLAG, &result.app_id)
        if !properties.headers.isEmpty {
            result.headers = table(properties.headers)
            flags |= AMQP_BASIC_HEADERS_FLAG
        }
        if let priority = properties.priority {
            result.priority = priority
            flags |= AMQP_BASIC_PRIORITY_FLAG
        }
        if let timestamp = properties.timestamp {
            result.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970))
            flags |= AMQP_BASIC_TIMESTAMP_FLAG
        }
        result._flags = amqp_flags_t(flags)
        return result
    }
}

extension amqp_bytes_t {
    /// The bytes as a Swift string (UTF-8; invalid sequences replaced).
    var string: String {
        guard let bytes, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }

    var array: [UInt8] {
        guard let bytes, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }
}

extension AMQPFieldValue {
    init(_ field: amqp_field_value_t) {
        switch Int(field.kind) {
        case Int(AMQP_FIELD_KIND_UTF8.rawValue): self = .string(field.value.bytes.string)
        case Int(AMQP_FIELD_KIND_BYTES.rawValue): self = .bytes(field.value.bytes.array)
        case Int(AMQP_FIELD_KIND_BOOLEAN.rawValue): self = .bool(field.value.boolean != 0)
        case Int(AMQP_FIELD_KIND_I8.rawValue): self = .int32(Int32(field.value.i8))
        case Int(AMQP_FIELD_KIND_U8.rawValue): self = .int32(Int32(field.value.u8))
        case Int(AMQP_FIELD_KIND_I16.rawValue): self = .int32(Int32(field.value.i16))
        case Int(AMQP_FIELD_KIND_U16.rawValue): self = .int32(Int32(field.value.u16))
        case Int(AMQP_FIELD_KIND_I32.rawValue): self = .int32(field.value.i32)
        case Int(AMQP_FIELD_KIND_U32.rawValue): self = .int64(Int64(field.value.u32))
        case Int(AMQP_FIELD_KIND_I64.rawValue): self = .int64(field.value.i64)
        case Int(AMQP_FIELD_KIND_U64.rawValue): self = .int64(Int64(truncatingIfNeeded: field.value.u64))
        case Int(AMQP_FIELD_KIND_F32.rawValue): self = .double(Double(field.value.f32))
        case Int(AMQP_FIELD_KIND_F64.rawValue): self = .double(field.value.f64)
        case Int(AMQP_FIELD_KIND_TIMESTAMP.rawValue): self = .timestamp(Date(timeIntervalSince1970: TimeInterval(field.value.u64)))
        case Int(AMQP_FIELD_KIND_TABLE.rawValue): self = .table([String: AMQPFieldValue](table: field.value.table))
        case Int(AMQP_FIELD_KIND_ARRAY.rawValue):
            let array = field.value.array
            var items: [AMQPFieldValue] = []
            if let entries = array.entries {
                for index in 0..<Int(array.num_entries) { items.append(AMQPFieldValue(entries[index])) }
            }
            self = .array(items)
        default: self = .void
        }
    }
}

extension Dictionary where Key == String, Value == AMQPFieldValue {
    init(table: amqp_table_t) {
        self.init()
        guard let entries = table.entries else { return }
        for index in 0..<Int(table.num_entries) {
            self[entries[index].key.string] = AMQPFieldValue(entries[index].value)
        }
    }
}

extension AMQPProperties {
    init(_ properties: amqp_basic_properties_t) {
        let flags = Int32(truncatingIfNeeded: properties._flags)
        func string(_ flag: Int32, _ field: amqp_bytes_t) -> String? {
            flags & flag != 0 ? field.string : nil
        }
        self.init(
            contentType: string(AMQP_BASIC_CONTENT_TYPE_FLAG, properties.content_type),
            contentEncoding: string(AMQP_BASIC_CONTENT_ENCODING_FLAG, properties.content_encoding),
            headers: flags & AMQP_BASIC_HEADERS_FLAG != 0 ? [String: AMQPFieldValue](table: properties.headers) : [:],
            persistent: flags & AMQP_BASIC_DELIVERY_MODE_FLAG != 0 && properties.delivery_mode == UInt8(AMQP_DELIVERY_PERSISTENT.rawValue),
            priority: flags & AMQP_BASIC_PRIORITY_FLAG != 0 ? properties.priority : nil,
            correlationID: string(AMQP_BASIC_CORRELATION_ID_FLAG, properties.correlation_id),
            replyTo: string(AMQP_BASIC_REPLY_TO_FLAG, properties.reply_to),
            expiration: string(AMQP_BASIC_EXPIRATION_FLAG, properties.expiration),
            messageID: string(AMQP_BASIC_MESSAGE_ID_FLAG, properties.message_id),
            timestamp: flags & AMQP_BASIC_TIMESTAMP_FLAG != 0 ? Date(timeIntervalSince1970: TimeInterval(properties.timestamp)) : nil,
            type: string(AMQP_BASIC_TYPE_FLAG, properties.type),
            userID: string(AMQP_BASIC_USER_ID_FLAG, properties.user_id),
            appID: string(AMQP_BASIC_APP_ID_FLAG, properties.app_id)
        )
    }
}
