import PlanAnalysis
import Testing

@Suite("Totals and counts against the elapsed year")
struct CumulativeTargetTests {
    @Test("Port cargo 50.96 of 107 million tonnes at June is 47.6% against 50% expected: at risk")
    func portCargoLinear() throws {
        let assessment = TargetAssessment(spec: try cargoTarget(), points: series((6, 50.96)), asOfMonth: 6)
        #expect(assessment.status == .atRisk)
        #expect(isClose(assessment.expectedByNow, 53.5))
        #expect(isClose(assessment.progressRatio, 50.96 / 53.5))
        #expect(
            assessment.reasonVi
                == "Lũy kế 6 tháng đạt 50,96 triệu tấn, bằng 47,6% kế hoạch năm; theo tiến độ cần 50% (53,5 triệu tấn).")
        #expect(
            assessment.reasonEn
                == "The year-to-date total for 6 months is 50.96 triệu tấn, 47.6% of the annual plan; "
                + "the schedule calls for 50% (53.5 triệu tấn).")
        let forecast = try #require(assessment.forecast)
        #expect(forecast.method == .linearTrend)
        #expect(isClose(forecast.yearEnd, 101.92))
    }

    @Test("Last year's profile (first half 40% of the year) lowers the share expected by June: on track")
    func portCargoSeasonal() throws {
        let assessment = TargetAssessment(
            spec: try cargoTarget(), points: series((6, 50.96)), asOfMonth: 6,
            previousYearProfile: try firstHalfFortyPercentProfile())
        #expect(assessment.status == .onTrack)
        #expect(isClose(assessment.expectedByNow, 42.8))
        #expect(isClose(assessment.progressRatio, 50.96 / 42.8))
        #expect(assessment.reasonVi.hasSuffix("theo tiến độ năm trước cần 40% (42,8 triệu tấn)."))
        let forecast = try #require(assessment.forecast)
        #expect(forecast.method == .seasonalProfile)
        #expect(isClose(forecast.yearEnd, 127.4))
    }

    @Test("Progress below 85% of the schedule is off track")
    func offTrack() throws {
        let assessment = TargetAssessment(spec: try cargoTarget(), points: series((3, 20), (6, 40)), asOfMonth: 6)
        #expect(assessment.status == .offTrack)
        #expect(isClose(assessment.progressRatio, 40 / 53.5))
    }

    @Test("A total that reaches its target mid-year is met, with probability 1")
    func metMidYear() throws {
        let assessment = TargetAssessment(spec: try cargoTarget(), points: series((10, 110)), asOfMonth: 10)
        #expect(assessment.status == .met)
        #expect(
            assessment.reasonVi
                == "Lũy kế 10 tháng đạt 110 triệu tấn, bằng 102,8% kế hoạch năm: đã đạt chỉ tiêu (đạt 107 triệu tấn).")
        #expect(assessment.forecast?.probabilityOfMeeting == 1)
    }

    @Test("A count of communes newly meeting the criteria: on pace, then met")
    func communeCount() throws {
        let spec = try TargetSpec(basis: .count, comparator: .increaseBy, value: 15, unit: "xã")
        let midYear = TargetAssessment(spec: spec, points: series((3, 4), (6, 9)), asOfMonth: 6)
        #expect(midYear.status == .onTrack)
        #expect(isClose(midYear.expectedByNow, 7.5))
        #expect(isClose(midYear.progressRatio, 1.2))
        let reached = TargetAssessment(spec: spec, points: series((3, 4), (6, 9), (9, 16)), asOfMonth: 9)
        #expect(reached.status == .met)
    }

    @Test("Short of the target in December is missed; at or above it, met")
    func yearEnd() throws {
        let short = TargetAssessment(spec: try cargoTarget(), points: series((6, 50), (12, 100)), asOfMonth: 12)
        #expect(short.status == .missed)
        #expect(short.reasonVi == "Cả năm đạt 100 triệu tấn, bằng 93,5% kế hoạch năm: không đạt chỉ tiêu (đạt 107 triệu tấn).")
        let forecast = try #require(short.forecast)
        #expect(forecast.probabilityOfMeeting == 0)
        #expect(forecast.low == 100 && forecast.high == 100)
        let reached = TargetAssessment(spec: try cargoTarget(), points: series((12, 107)), asOfMonth: 12)
        #expect(reached.status == .met)
    }

    @Test("About: 2% under the value still meets it")
    func aboutTolerance() throws {
        let spec = try TargetSpec(basis: .cumulativeAmount, comparator: .about, value: 82_100, unit: "tỷ đồng")
        #expect(TargetAssessment(spec: spec, points: series((12, 80_500)), asOfMonth: 12).status == .met)
        #expect(TargetAssessment(spec: spec, points: series((12, 80_400)), asOfMonth: 12).status == .missed)
    }

    @Test("A ceiling on a total is paced from the other side and missed once passed")
    func ceiling() throws {
        let deficit = try TargetSpec(basis: .cumulativeAmount, comparator: .lessThan, value: 1000, unit: "tỷ đồng")
        func status(_ month: Int, _ total: Double) -> TargetStatus {
            TargetAssessment(spec: deficit, points: series((month, total)), asOfMonth: month).status
        }
        #expect(status(6, 480) == .onTrack)
        #expect(status(6, 540) == .atRisk)
        #expect(status(6, 600) == .offTrack)
        #expect(status(8, 1010) == .missed)
        #expect(status(12, 950) == .met)
        let passed = TargetAssessment(spec: deficit, points: series((8, 1010)), asOfMonth: 8)
        #expect(passed.reasonVi == "Lũy kế 8 tháng đạt 1.010 tỷ đồng: đã vượt mức 1.000 tỷ đồng của chỉ tiêu (dưới 1.000 tỷ đồng), không thể đạt.")
        #expect(passed.forecast?.probabilityOfMeeting == 0)
    }

    @Test("A range on a total: the low end is paced as a floor, the high end as a ceiling")
    func range() throws {
        let investment = try TargetSpec(
            basis: .cumulativeAmount, comparator: .range(low: 2, high: 2.5), value: nil, unit: "tỷ USD")
        func status(_ month: Int, _ total: Double) -> TargetStatus {
            TargetAssessment(spec: investment, points: series((month, total)), asOfMonth: month).status
        }
        #expect(status(6, 0.8) == .offTrack)
        #expect(status(6, 1.0) == .onTrack)
        #expect(status(8, 1.5) == .onTrack)
        #expect(status(8, 1.8) == .atRisk)
        #expect(status(10, 2.1) == .onTrack)
        #expect(status(10, 2.6) == .missed)
        #expect(status(12, 2.3) == .met)
        let ahead = TargetAssessment(spec: investment, points: series((8, 1.8)), asOfMonth: 8)
        #expect(isClose(ahead.expectedByNow, 2 * 8 / 12))
        #expect(
            ahead.reasonVi
                == "Lũy kế 8 tháng đạt 1,8 tỷ USD, bằng 72% mức trần cả năm (từ 2 tỷ USD đến 2,5 tỷ USD); "
                + "theo tiến độ không quá 66,7% (1,67 tỷ USD).")
    }
}
