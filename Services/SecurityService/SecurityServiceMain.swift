import ServiceRuntime

/// The security service process (an ninh): configuration from `PLANMONITOR_*` variables, metrics, then it runs until
/// SIGTERM or SIGINT (`ServiceMain`).
@main
enum SecurityServiceMain {
    static func main() async {
        await ServiceMain.run(service: "security") { @Sendable configuration, logger in
            buildSecurityService(configuration: configuration, logger: logger)
        }
    }
}
