// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "PlanMonitor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "budget-service", targets: ["BudgetService"]),
        .executable(name: "investment-service", targets: ["InvestmentService"]),
        .executable(name: "infrastructure-service", targets: ["InfrastructureService"]),
        .executable(name: "social-service", targets: ["SocialService"]),
        .executable(name: "security-service", targets: ["SecurityService"]),
        .executable(name: "aggregator", targets: ["Aggregator"]),
        .executable(name: "planctl", targets: ["PlanCtl"]),
        .library(name: "AMQPClient", targets: ["AMQPClient"]),
        .library(name: "PlanContracts", targets: ["PlanContracts"]),
        .library(name: "PlanPersistence", targets: ["PlanPersistence"]),
        .library(name: "PlanMessaging", targets: ["PlanMessaging"]),
        .library(name: "CityPicture", targets: ["CityPicture"]),
        .library(name: "DepartmentCore", targets: ["DepartmentCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    ],
    targets: [
        // MARK: Shared modules

        /// rabbitmq-c (librabbitmq 0.11) and a small C shim for what Swift cannot call directly.
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Shared/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        /// An async Swift API over rabbitmq-c: connections on their own threads, confirms, consumers, reconnection.
        .target(
            name: "AMQPClient",
            dependencies: [
                "CRabbitMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/AMQPClient",
            swiftSettings: swiftSettings
        ),
        /// Protobuf messages generated from `Proto/`, and the typed RPC descriptors, clients and handler tables.
        .target(
            name: "PlanContracts",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/PlanContracts",
            swiftSettings: swiftSettings
        ),
        /// PostgreSQL: migrations, the transactional outbox and its relay, the inbox.
        .target(
            name: "PlanPersistence",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/PlanPersistence",
            swiftSettings: swiftSettings
        ),
        /// PlanMonitor's wire conventions over AMQP: events, inbox consumers, dead letters, RPC.
        .target(
            name: "PlanMessaging",
            dependencies: [
                "AMQPClient",
                "PlanContracts",
                "PlanPersistence",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/PlanMessaging",
            swiftSettings: swiftSettings
        ),
        /// What every service process shares: configuration, health and metrics over HTTP, start-up and shutdown.
        .target(
            name: "ServiceRuntime",
            dependencies: [
                "AMQPClient",
                "PlanContracts",
                "PlanMessaging",
                "PlanPersistence",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Shared/ServiceRuntime",
            swiftSettings: swiftSettings
        ),
        /// Reads a People's Committee's annual directive text into targets, sections, lead agencies and tasks.
        .target(
            name: "DirectiveParser",
            path: "Shared/DirectiveParser",
            resources: [.process("Resources")],
            swiftSettings: swiftSettings
        ),
        /// Pure judgement of plan targets: status against the elapsed year, year-end forecasts with intervals.
        .target(name: "PlanAnalysis", path: "Shared/PlanAnalysis", swiftSettings: swiftSettings),
        /// The aggregator's city-wide picture: read models of the departments' events, target status and forecasts,
        /// compliance, the HTTP API, the dashboard and the briefing.
        .target(
            name: "CityPicture",
            dependencies: [
                "DepartmentCore",
                "DirectiveParser",
                "PlanAnalysis",
                "PlanContracts",
                "PlanMessaging",
                "PlanPersistence",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/CityPicture",
            swiftSettings: swiftSettings
        ),
        /// What the five department services share: their share of the directive (targets and tasks) and its RPC.
        .target(
            name: "DepartmentCore",
            dependencies: [
                "DirectiveParser",
                "PlanContracts",
                "PlanMessaging",
                "PlanPersistence",
                "ServiceRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/DepartmentCore",
            swiftSettings: swiftSettings
        ),

        // MARK: Services

        .executableTarget(name: "BudgetService", dependencies: ["DepartmentCore", "PlanContracts", "ServiceRuntime", .product(name: "Logging", package: "swift-log")], path: "Services/BudgetService", exclude: ["README.md"], swiftSettings: swiftSettings),
        .executableTarget(name: "InvestmentService", dependencies: ["DepartmentCore", "PlanContracts", "ServiceRuntime", .product(name: "Logging", package: "swift-log")], path: "Services/InvestmentService", exclude: ["README.md"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "InfrastructureService",
            dependencies: [
                "DepartmentCore", "DirectiveParser", "PlanAnalysis", "PlanContracts", "PlanMessaging", "PlanPersistence", "ServiceRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/InfrastructureService", exclude: ["README.md"], resources: [.process("Resources")], swiftSettings: swiftSettings),
        .executableTarget(name: "SocialService", dependencies: ["DepartmentCore", "PlanContracts", "ServiceRuntime", .product(name: "Logging", package: "swift-log")], path: "Services/SocialService", exclude: ["README.md"], swiftSettings: swiftSettings),
        .executableTarget(name: "SecurityService", dependencies: ["DepartmentCore", "PlanContracts", "ServiceRuntime", .product(name: "Logging", package: "swift-log")], path: "Services/SecurityService", exclude: ["README.md"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "Aggregator",
            dependencies: [
                "CityPicture",
                "ServiceRuntime",
                "DirectiveParser",
                "PlanContracts",
                "PlanMessaging",
                "PlanPersistence",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Aggregator",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PlanCtl",
            dependencies: [
                "AMQPClient",
                "DepartmentCore",
                "DirectiveParser",
                "PlanContracts",
                "PlanMessaging",
                "ServiceRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/PlanCtl",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests

        /// Runs scripts/stack from tests and serializes the tests that disturb the scratch broker node.
        .target(name: "StackTestSupport", path: "Tests/StackTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "AMQPClientTests", dependencies: ["AMQPClient", "StackTestSupport"], path: "Tests/AMQPClientTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "PlanPersistenceTests",
            dependencies: [
                "PlanPersistence",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ], path: "Tests/PlanPersistenceTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "PlanMessagingTests",
            dependencies: [
                "PlanMessaging", "ServiceRuntime", "AMQPClient", "PlanContracts", "PlanPersistence", "StackTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], path: "Tests/PlanMessagingTests", swiftSettings: swiftSettings),
        .testTarget(name: "PlanContractsTests", dependencies: ["PlanContracts", .product(name: "SwiftProtobuf", package: "swift-protobuf")], path: "Tests/PlanContractsTests", swiftSettings: swiftSettings),
        .testTarget(name: "DirectiveParserTests", dependencies: ["DirectiveParser"], path: "Tests/DirectiveParserTests", swiftSettings: swiftSettings),
        .testTarget(name: "PlanAnalysisTests", dependencies: ["PlanAnalysis"], path: "Tests/PlanAnalysisTests", swiftSettings: swiftSettings),
        .testTarget(name: "DepartmentCoreTests", dependencies: ["DepartmentCore", "PlanContracts"], path: "Tests/DepartmentCoreTests", swiftSettings: swiftSettings),
        /// The services against the real broker and database, in process and as executables, and `planctl`.
        .testTarget(
            name: "ServiceTests",
            dependencies: [
                "Aggregator",
                "CityPicture",
                "BudgetService",
                "SocialService",
                "SecurityService",
                "InvestmentService",
                "InfrastructureService",
                "AMQPClient",
                "DepartmentCore",
                "DirectiveParser",
                "PlanContracts",
                "PlanMessaging",
                "ServiceRuntime",
                "StackTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ServiceTests",
            swiftSettings: swiftSettings
        ),
    ]
)
