import PlanAnalysis
import Testing

@Suite("Levels: the latest level and its trend")
struct LevelTargetTests {
    private func coverage(_ points: [MonthlyPoint]) throws -> TargetAssessment {
        let spec = try TargetSpec(basis: .level, comparator: .reach, value: 84.5, unit: "%")
        return TargetAssessment(spec: spec, points: points, asOfMonth: 6)
    }

    @Test("Health-insurance coverage above 84.5% and rising: on track")
    func onTrack() throws {
        let assessment = try coverage(series((3, 84.6), (6, 85)))
        #expect(assessment.status == .onTrack)
        #expect(assessment.expectedByNow == 84.5)
        let forecast = try #require(assessment.forecast)
        #expect(forecast.method == .linearTrend)
        #expect(isClose(forecast.yearEnd, 85.8))
    }

    @Test("Below the target but heading in at the latest monthly change: at risk")
    func headingIn() throws {
        let assessment = try coverage(series((5, 83.7), (6, 84)))
        #expect(assessment.status == .atRisk)
        #expect(
            assessment.reasonVi
                == "Tháng 6 ở mức 84%; chỉ tiêu đạt 84,5%: chưa đạt; theo xu hướng tháng gần nhất, tháng 12 sẽ ở mức 85,8% (đạt).")
    }

    @Test("Above the target but drifting out: at risk")
    func driftingOut() throws {
        let assessment = try coverage(series((5, 84.8), (6, 84.7)))
        #expect(assessment.status == .atRisk)
        #expect(assessment.reasonEn.hasSuffix("met so far; at the latest monthly change the level would be 84.1% in December (missing it)."))
    }

    @Test("Below the target and falling: off track; a single point below: off track")
    func offTrack() throws {
        #expect(try coverage(series((5, 83.5), (6, 83))).status == .offTrack)
        #expect(try coverage(series((6, 83.9))).status == .offTrack)
    }

    @Test("Unemployment 'at 3.96%' means at most 3.96% plus 2%")
    func unemploymentAt() throws {
        let spec = try TargetSpec(basis: .level, comparator: .at, value: 3.96, unit: "%")
        func status(_ level: Double) -> TargetStatus {
            TargetAssessment(spec: spec, points: series((6, level)), asOfMonth: 6).status
        }
        #expect(status(3.9) == .onTrack)
        #expect(status(4.03) == .onTrack)
        #expect(status(4.1) == .offTrack)
        let single = TargetAssessment(spec: spec, points: series((6, 3.9)), asOfMonth: 6)
        let forecast = try #require(single.forecast)
        #expect(forecast.method == .latestLevel)
        #expect(forecast.yearEnd == 3.9)
        #expect(isClose(forecast.low, 3.8044699, tolerance: 1e-6))
        #expect(isClose(forecast.high, 3.9955301, tolerance: 1e-6))
        #expect(isClose(forecast.probabilityOfMeeting, 0.96908, tolerance: 1e-4))
    }

    @Test("A ceiling (less than 4%) above it in December is missed")
    func lessThanAtYearEnd() throws {
        let spec = try TargetSpec(basis: .level, comparator: .lessThan, value: 4, unit: "%")
        let missed = TargetAssessment(spec: spec, points: series((6, 3.8), (12, 4.2)), asOfMonth: 12)
        #expect(missed.status == .missed)
        #expect(missed.reasonVi == "Tháng 12 ở mức 4,2%: không đạt chỉ tiêu (dưới 4%).")
        let met = TargetAssessment(spec: spec, points: series((12, 3.7)), asOfMonth: 12)
        #expect(met.status == .met)
    }

    @Test(
        "A range of average criteria: inside on track, within 1 outside at risk",
        arguments: [(17.2, TargetStatus.onTrack), (16.4, .atRisk), (15.8, .offTrack), (18.6, .offTrack)])
    func range(level: Double, expected: TargetStatus) throws {
        let spec = try TargetSpec(basis: .level, comparator: .range(low: 17, high: 17.5), value: nil, unit: "tiêu chí")
        #expect(TargetAssessment(spec: spec, points: series((6, level)), asOfMonth: 6).status == expected)
    }
}
