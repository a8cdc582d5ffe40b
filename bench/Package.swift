// swift-tools-version: 6.1
// Benchmarks of PlanMonitor's messaging layers, measured against the local stack (see README.md).
// A separate package so that benchmarks never run as timed unit tests and never slow the main build.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "PlanMonitorBench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "amqp-bench", targets: ["AMQPBench"]),
        .executable(name: "outbox-bench", targets: ["OutboxBench"]),
        .executable(name: "picture-bench", targets: ["PictureBench"]),
        .executable(name: "topology-bench", targets: ["TopologyBench"]),
    ],
    dependencies: [
        .package(name: "PlanMonitor", path: ".."),
        // The same exact versions as the root package.
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    ],
    targets: [
        /// Options, timing, CPU accounting, percentiles and the result lines the runner script reads.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        /// Database clients and broker connections on the local stack, a department's monthly figures.
        .target(
            name: "BenchFixtures",
            dependencies: [
                "BenchSupport",
                .product(name: "AMQPClient", package: "PlanMonitor"),
                .product(name: "DepartmentCore", package: "PlanMonitor"),
                .product(name: "PlanContracts", package: "PlanMonitor"),
                .product(name: "PlanPersistence", package: "PlanMonitor"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Publish-with-confirms and consume rates through AMQPClient.
        .executableTarget(
            name: "AMQPBench",
            dependencies: [
                "BenchSupport",
                .product(name: "AMQPClient", package: "PlanMonitor"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Outbox → relay → RabbitMQ → EventConsumer (inbox) end to end: throughput and commit-to-commit latency.
        .executableTarget(
            name: "OutboxBench",
            dependencies: [
                "BenchSupport",
                "BenchFixtures",
                .product(name: "AMQPClient", package: "PlanMonitor"),
                .product(name: "PlanContracts", package: "PlanMonitor"),
                .product(name: "PlanPersistence", package: "PlanMonitor"),
                .product(name: "PlanMessaging", package: "PlanMonitor"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The aggregator's picture: events applied to the read models per second, picture latency at city and national scale.
        .executableTarget(
            name: "PictureBench",
            dependencies: [
                "BenchSupport",
                "BenchFixtures",
                .product(name: "CityPicture", package: "PlanMonitor"),
                .product(name: "DepartmentCore", package: "PlanMonitor"),
                .product(name: "PlanContracts", package: "PlanMonitor"),
                .product(name: "PlanPersistence", package: "PlanMonitor"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Two districts' departments → their district brokers → RabbitMQ federation → the city aggregator's read
        /// models: events/s, district commit → city apply latency, and the bare broker's rate through the same links.
        .executableTarget(
            name: "TopologyBench",
            dependencies: [
                "BenchSupport",
                "BenchFixtures",
                .product(name: "AMQPClient", package: "PlanMonitor"),
                .product(name: "CityPicture", package: "PlanMonitor"),
                .product(name: "DepartmentCore", package: "PlanMonitor"),
                .product(name: "PlanContracts", package: "PlanMonitor"),
                .product(name: "PlanPersistence", package: "PlanMonitor"),
                .product(name: "PlanMessaging", package: "PlanMonitor"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
