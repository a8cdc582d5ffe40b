import ServiceRuntime

/// The budget service process (ngân sách): configuration from `PLANMONITOR_*` variables, metrics, then it runs until
/// SIGTERM or SIGINT (`ServiceMain`).
@main
enum BudgetServiceMain {
    static func main() async {
        await ServiceMain.run(service: "budget") { @Sendable configuration, logger in
            buildBudgetService(configuration: configuration, logger: logger)
        }
    }
}
