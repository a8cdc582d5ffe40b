import PlanAnalysis
import Testing

/// Points from (month, value) pairs.
func series(_ pairs: (Int, Double)...) -> [MonthlyPoint] {
    pairs.map { MonthlyPoint(month: $0.0, value: $0.1) }
}

/// Whether two numbers agree to within `tolerance`.
func isClose(_ actual: Double?, _ expected: Double, tolerance: Double = 1e-6) -> Bool {
    guard let actual else { return false }
    return abs(actual - expected) <= tolerance
}

/// Port cargo: "Hàng hóa thông qua cảng đạt 107 triệu tấn".
func cargoTarget() throws -> TargetSpec {
    try TargetSpec(basis: .cumulativeAmount, comparator: .reach, value: 107, unit: "triệu tấn")
}

/// GRDP growth of at least 15%.
func grdpGrowthTarget() throws -> TargetSpec {
    try TargetSpec(basis: .growth, comparator: .atLeast, value: 15, unit: "%")
}

/// The poverty rate down 0.65 points from 2.5% at the start of the year.
func povertyTarget() throws -> TargetSpec {
    try TargetSpec(basis: .changeInPoints, comparator: .decreaseBy, value: 0.65, unit: "%", startOfYearLevel: 2.5)
}

/// Last year's monthly amounts whose first half is 40% of the year: 6, 6, 6, 7, 7, 8, then 60 over the second half.
func firstHalfFortyPercentProfile() throws -> SeasonalProfile {
    try #require(SeasonalProfile(monthlyAmounts: [6, 6, 6, 7, 7, 8, 9, 10, 10, 10, 10, 11]))
}
