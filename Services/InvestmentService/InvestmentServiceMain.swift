import ServiceRuntime

/// The investment service process (đầu tư): configuration from `PLANMONITOR_*` variables, metrics, then it runs until
/// SIGTERM or SIGINT (`ServiceMain`).
@main
enum InvestmentServiceMain {
    static func main() async {
        await ServiceMain.run(service: "investment") { @Sendable configuration, logger in
            buildInvestmentService(configuration: configuration, logger: logger)
        }
    }
}
