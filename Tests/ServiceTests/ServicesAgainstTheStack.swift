import Testing

/// The suites that run services of the tests' org unit on the test database: they reset the same schemas and use
/// the same queues, so they run one after the other.
@Suite("Services against the local stack", .serialized)
enum ServicesAgainstTheStack {}
