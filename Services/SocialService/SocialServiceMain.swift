import ServiceRuntime

/// The social service process (xã hội): configuration from `PLANMONITOR_*` variables, metrics, then it runs until
/// SIGTERM or SIGINT (`ServiceMain`).
@main
enum SocialServiceMain {
    static func main() async {
        await ServiceMain.run(service: "social") { @Sendable configuration, logger in
            buildSocialService(configuration: configuration, logger: logger)
        }
    }
}
