import Foundation

/// The few statistics the forecasts use.
enum Statistics {
    /// The 90th percentile of the standard normal distribution: an interval of ±1.2816 standard deviations holds 80%.
    static let z80 = 1.2815515655446004

    /// The sample standard deviation (divided by n − 1); 0 for fewer than two values.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// The probability that a standard normal variable is at most `z`.
    static func normalCumulative(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }
}
