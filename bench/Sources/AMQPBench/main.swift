// amqp-bench — publish-with-confirms and consume rates through AMQPClient (Shared/AMQPClient), the workload of
// bench/c/bare_amqp.c: persistent messages of --size bytes to a durable classic queue through the default exchange
// (mandatory, as AMQPOutgoingMessage defaults to; the layer adds a message_id to each), then consumed with
// --prefetch and one ack() per delivery (the layer folds them into `multiple` acks).
//
// Phases, each publishing --count messages into an empty queue and then consuming them all:
//   publish.batch<B>   AMQPConnection.publish([B messages]) awaited batch after batch ("all": one call with every message)
//   publish.c<T>       single awaited AMQPConnection.publish(message) from T concurrent tasks
//   publish.c1         one task awaiting every confirm, with --single-count messages (compare: bare_amqp --window 1)
//   consume.p<P>       consuming what the publish phase left, prefetch P
// Output: RESULT lines (see BenchSupport.report); progress notes go to standard error.
import AMQPClient
import BenchSupport
import Foundation

func wholeNumber(_ text: String, _ option: String) -> Int {
    guard let value = Int(text), value > 0 else { Options.fail("\(option): '\(text)' is not a positive whole number") }
    return value
}

let options = Options()
Sample.brokerPIDs(from: options)
let count = options.int("count", 100_000)
let singleCount = options.int("single-count", 5_000)
let size = options.int("size", 200)
let prefetch = options.int("prefetch", 500)
let batchSizes = options.list("batch-sizes", ["1000", "all"])
let concurrencies = options.list("concurrency", ["1000", "100"]).map { wholeNumber($0, "--concurrency") }
let label = options.string("label", "swift")
let confirmWindow = options.int("confirm-window", 1000)
let queue = options.string("queue", "bench.amqp.swift.\(runIdentifier())")
/// For profiling one side alone: "publish" publishes without consuming (the queue is deleted at the end), "consume"
/// consumes --count messages that are already in --queue (fill it with bare_amqp … declare publish).
let only = options.string("only", "")
let consumeAfterPublish = only != "publish"
let logger = Stack.logger("amqp-bench")

func configuration(_ role: String) -> AMQPConfiguration {
    AMQPConfiguration(
        host: Stack.amqpHost, port: Stack.amqpPort, virtualHost: Stack.virtualHost,
        username: Stack.adminUser, password: Stack.adminPassword,
        connectionName: "bench-swift-\(role)", operationTimeout: .seconds(30),
        publishTimeout: .seconds(300), confirmWindow: confirmWindow
    )
}

let body = (0..<size).map { UInt8(ascii: "a") + UInt8($0 % 26) }
let message = AMQPOutgoingMessage(exchange: "", routingKey: queue, properties: AMQPProperties(persistent: true), body: body)

struct PublishFailed: Error, CustomStringConvertible {
    var failures: Int
    var first: String
    var description: String { "\(failures) publishes failed; first: \(first)" }
}

func publishBatches(_ connection: AMQPConnection, total: Int, batchSize: Int) async throws {
    var sent = 0
    var failures = 0
    var first: String?
    while sent < total {
        let size = min(batchSize, total - sent)
        let results = await connection.publish(Array(repeating: message, count: size))
        for case .failure(let error) in results {
            failures += 1
            if first == nil { first = "\(error)" }
        }
        sent += size
    }
    if let first { throw PublishFailed(failures: failures, first: first) }
}

func publishConcurrently(_ connection: AMQPConnection, total: Int, tasks: Int) async throws {
    let ticket = Ticket()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<tasks {
            group.addTask {
                while ticket.take() < total {
                    try await connection.publish(message)
                }
            }
        }
        try await group.waitForAll()
    }
}

func consume(_ connection: AMQPConnection, total: Int, label consumeLabel: String) async throws {
    let start = Sample()
    let consumer = try await connection.consume(queue: queue, prefetch: UInt16(prefetch))
    var received = 0
    var bytes = 0
    for try await delivery in consumer {
        bytes += delivery.body.count
        delivery.ack()
        received += 1
        if received == total { break }
    }
    let end = Sample()
    consumer.cancel()
    guard received == total else { throw PublishFailed(failures: total - received, first: "the consumer ended after \(received)") }
    if bytes != total * size { note("consumed \(bytes) body bytes for \(total) messages of \(size)") }
    report("\(label).\(consumeLabel)", count: total, from: start, to: end)
}

let publisher = AMQPConnection(configuration: configuration("publisher"), logger: logger)
let consumerConnection = AMQPConnection(configuration: configuration("consumer"), logger: logger)
var exitCode: Int32 = 0
do {
    try await publisher.waitUntilConnected(timeout: .seconds(20))
    try await consumerConnection.waitUntilConnected(timeout: .seconds(20))
    try await publisher.declare(AMQPTopology(queues: [AMQPQueue(name: queue, durable: true)]))
    note("queue \(queue): \(count) messages of \(size) bytes per phase, confirm window \(confirmWindow), prefetch \(prefetch)")

    if only == "consume" {
        try await consume(consumerConnection, total: count, label: "consume.p\(prefetch)")
    }
    for batch in batchSizes where only != "consume" {
        let batchSize = batch == "all" ? count : wholeNumber(batch, "--batch-sizes (a number or 'all')")
        let start = Sample()
        try await publishBatches(publisher, total: count, batchSize: batchSize)
        report("\(label).publish.batch\(batch)", count: count, from: start, to: Sample())
        if consumeAfterPublish { try await consume(consumerConnection, total: count, label: "consume.p\(prefetch)") }
    }
    for tasks in concurrencies where only != "consume" {
        let start = Sample()
        try await publishConcurrently(publisher, total: count, tasks: tasks)
        report("\(label).publish.c\(tasks)", count: count, from: start, to: Sample())
        if consumeAfterPublish { try await consume(consumerConnection, total: count, label: "consume.p\(prefetch)") }
    }
    if singleCount > 0, only != "consume" {
        let start = Sample()
        try await publishConcurrently(publisher, total: singleCount, tasks: 1)
        report("\(label).publish.c1", count: singleCount, from: start, to: Sample())
        if consumeAfterPublish { try await consume(consumerConnection, total: singleCount, label: "consume.small") }
    }
} catch {
    FileHandle.standardError.write(Data("amqp-bench failed: \(error)\n".utf8))
    exitCode = 1
}
await publisher.close()
await consumerConnection.close()
if only != "consume" { await Stack.deleteQueue(queue) }
exit(exitCode)
