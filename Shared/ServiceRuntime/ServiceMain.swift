import Foundation
import Logging

/// What every service executable's `main` does: read the configuration from `PLANMONITOR_*` variables, route
/// metrics to Prometheus, build the application and run it until SIGTERM or SIGINT; exit 1 with the reason when
/// it cannot start or stops with an error.
public enum ServiceMain {
    public static func run(service: String, build: @Sendable (ServiceConfiguration, Logger) throws -> ServiceApplication) async {
        var logger = Logger(label: "planmonitor.\(service)")
        do {
            let configuration = try ServiceConfiguration.fromEnvironment(service: service)
            logger.logLevel = configuration.logLevel
            PrometheusExport.bootstrap()
            try await build(configuration, logger).runUntilSignalled()
        } catch {
            logger.critical("\(service) service stopped with an error", metadata: ["error": "\(String(reflecting: error))"])
            exit(1)
        }
    }
}
