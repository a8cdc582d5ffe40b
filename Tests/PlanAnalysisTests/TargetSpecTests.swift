import PlanAnalysis
import Testing

@Suite("Target specs and seasonal profiles")
struct TargetSpecTests {
    @Test("A spec that cannot be judged is refused with the reason")
    func invalidSpecs() {
        #expect(throws: TargetSpecError.missingValue) {
            try TargetSpec(basis: .cumulativeAmount, comparator: .reach, value: nil, unit: "tỷ đồng")
        }
        #expect(throws: TargetSpecError.notFinite) {
            try TargetSpec(basis: .level, comparator: .atLeast, value: .nan, unit: "%")
        }
        #expect(throws: TargetSpecError.emptyRange(low: 11.5, high: 11)) {
            try TargetSpec(basis: .growth, comparator: .range(low: 11.5, high: 11), value: nil, unit: "%")
        }
        #expect(throws: TargetSpecError.negativeChange(-0.65)) {
            try TargetSpec(basis: .changeInPoints, comparator: .decreaseBy, value: -0.65, unit: "%", startOfYearLevel: 2.5)
        }
        #expect(throws: TargetSpecError.missingStartOfYearLevel) {
            try TargetSpec(basis: .changeInPoints, comparator: .decreaseBy, value: 0.65, unit: "%")
        }
        #expect(throws: TargetSpecError.comparatorNotApplicable(.decreaseBy, .cumulativeAmount)) {
            try TargetSpec(basis: .cumulativeAmount, comparator: .decreaseBy, value: 10, unit: "tỷ đồng")
        }
        #expect(throws: TargetSpecError.comparatorNotApplicable(.increaseBy, .level)) {
            try TargetSpec(basis: .level, comparator: .increaseBy, value: 2, unit: "%")
        }
    }

    @Test("A range needs no value; a growth target may decrease")
    func validSpecs() throws {
        let range = try TargetSpec(basis: .growth, comparator: .range(low: 11, high: 11.5), value: nil, unit: "%")
        #expect(range.value == nil)
        let accidents = try TargetSpec(basis: .growth, comparator: .decreaseBy, value: 5, unit: "%")
        #expect(accidents.comparator == .decreaseBy)
    }

    @Test("A profile from monthly amounts gives the share of the year reached by each month")
    func profileFromMonthlyAmounts() throws {
        let profile = try firstHalfFortyPercentProfile()
        #expect(isClose(profile.share(throughMonth: 1), 0.06))
        #expect(isClose(profile.share(throughMonth: 6), 0.40))
        #expect(profile.share(throughMonth: 12) == 1)
        #expect(profile.cumulativeShares.count == 12)
    }

    @Test("A profile from cumulative totals equals the one from the same monthly amounts")
    func profileFromCumulativeTotals() throws {
        let totals: [Double] = [6, 12, 18, 25, 32, 40, 49, 59, 69, 79, 89, 100]
        let fromTotals = try #require(SeasonalProfile(cumulativeTotals: totals))
        #expect(fromTotals == (try firstHalfFortyPercentProfile()))
    }

    @Test("A profile needs 12 months, no negative month and a January above zero")
    func invalidProfiles() {
        #expect(SeasonalProfile(monthlyAmounts: Array(repeating: 1, count: 11)) == nil)
        #expect(SeasonalProfile(monthlyAmounts: [5, 5, -1, 5, 5, 5, 5, 5, 5, 5, 5, 5]) == nil)
        #expect(SeasonalProfile(monthlyAmounts: [0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]) == nil)
        #expect(SeasonalProfile(cumulativeTotals: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, .infinity]) == nil)
    }

    @Test("Every status has its Vietnamese and English label")
    func labels() {
        #expect(TargetStatus.allCases.map(\.labelVi) == [
            "Đã đạt", "Đúng tiến độ", "Có nguy cơ", "Chậm tiến độ", "Không đạt", "Chưa có số liệu",
        ])
        #expect(TargetStatus.allCases.map(\.labelEn) == ["Met", "On track", "At risk", "Off track", "Missed", "No data"])
    }
}
