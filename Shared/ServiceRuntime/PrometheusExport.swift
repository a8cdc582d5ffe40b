import Metrics
import Prometheus
import Synchronization

/// The process's metrics registry, exported at `/metrics` in the Prometheus text format.
public enum PrometheusExport {
    /// Every swift-metrics counter, gauge and timer of the process once `bootstrap()` ran.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Routes swift-metrics to the registry; the first call wins, later calls do nothing (tests build many services).
    public static func bootstrap() {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
    }
}
