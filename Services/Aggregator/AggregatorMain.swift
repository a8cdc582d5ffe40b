import ServiceRuntime

/// The aggregator service process (tổng hợp): configuration from `PLANMONITOR_*` variables, metrics, then it runs until
/// SIGTERM or SIGINT (`ServiceMain`).
@main
enum AggregatorMain {
    static func main() async {
        await ServiceMain.run(service: "aggregator") { @Sendable configuration, logger in
            buildAggregator(configuration: configuration, logger: logger)
        }
    }
}
