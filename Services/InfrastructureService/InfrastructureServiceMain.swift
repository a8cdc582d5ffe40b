import ServiceRuntime

/// The infrastructure service process (hạ tầng): configuration and warning thresholds from `PLANMONITOR_*` variables,
/// metrics, then it runs until SIGTERM or SIGINT (`ServiceMain`).
@main
enum InfrastructureServiceMain {
    static func main() async {
        await ServiceMain.run(service: "infrastructure") { @Sendable configuration, logger in
            buildInfrastructureService(configuration: configuration, logger: logger, thresholds: try WarningThresholds.fromEnvironment(configuration.settings))
        }
    }
}
