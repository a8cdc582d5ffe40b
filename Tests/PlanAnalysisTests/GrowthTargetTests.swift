import PlanAnalysis
import Testing

@Suite("Growth over the previous year")
struct GrowthTargetTests {
    @Test("Hai Phong GRDP growth 16.03% at June against at least 15%: on track")
    func haiPhongFirstHalf() throws {
        let assessment = TargetAssessment(spec: try grdpGrowthTarget(), points: series((6, 16.03)), asOfMonth: 6)
        #expect(assessment.status == .onTrack)
        #expect(assessment.expectedByNow == 15)
        #expect(isClose(assessment.progressRatio, 16.03 / 15))
        #expect(assessment.reasonVi == "Lũy kế 6 tháng tăng 16,03% so với cùng kỳ; chỉ tiêu từ 15% trở lên: đang đạt.")
        #expect(
            assessment.reasonEn
                == "Year-to-date growth for 6 months is 16.03% over the same period last year; the target is at least 15%: met so far.")
    }

    @Test(
        "Within 1 point under the target is at risk, further off track",
        arguments: [(15.2, TargetStatus.onTrack), (14.5, .atRisk), (14.0, .atRisk), (13.5, .offTrack)])
    func midYear(growth: Double, expected: TargetStatus) throws {
        let assessment = TargetAssessment(spec: try grdpGrowthTarget(), points: series((6, growth)), asOfMonth: 6)
        #expect(assessment.status == expected)
    }

    @Test("The shortfall is named in percentage points")
    func shortfallReason() throws {
        let assessment = TargetAssessment(spec: try grdpGrowthTarget(), points: series((9, 14.5)), asOfMonth: 9)
        #expect(assessment.reasonVi == "Lũy kế 9 tháng tăng 14,5% so với cùng kỳ; chỉ tiêu từ 15% trở lên: còn thiếu 0,5 điểm phần trăm.")
    }

    @Test("December decides: met or missed")
    func yearEnd() throws {
        let missed = TargetAssessment(spec: try grdpGrowthTarget(), points: series((6, 16), (12, 14.9)), asOfMonth: 12)
        #expect(missed.status == .missed)
        #expect(missed.forecast?.probabilityOfMeeting == 0)
        let met = TargetAssessment(spec: try grdpGrowthTarget(), points: series((12, 15.2)), asOfMonth: 12)
        #expect(met.status == .met)
        #expect(met.reasonVi == "Cả năm tăng 15,2% so với cùng kỳ: đạt chỉ tiêu (từ 15% trở lên).")
    }

    @Test(
        "A decrease (traffic accidents down 5%) is judged from below",
        arguments: [(-6.0, TargetStatus.onTrack), (-4.5, .atRisk), (-2.0, .offTrack)])
    func decrease(growth: Double, expected: TargetStatus) throws {
        let accidents = try TargetSpec(basis: .growth, comparator: .decreaseBy, value: 5, unit: "%")
        let assessment = TargetAssessment(spec: accidents, points: series((6, growth)), asOfMonth: 6)
        #expect(assessment.status == expected)
        #expect(assessment.expectedByNow == -5)
    }

    @Test("A decrease names the fall")
    func decreaseReason() throws {
        let accidents = try TargetSpec(basis: .growth, comparator: .decreaseBy, value: 5, unit: "%")
        let assessment = TargetAssessment(spec: accidents, points: series((6, -4.5)), asOfMonth: 6)
        #expect(assessment.reasonVi == "Lũy kế 6 tháng giảm 4,5% so với cùng kỳ; chỉ tiêu giảm 5%: vượt 0,5 điểm phần trăm.")
        #expect(assessment.reasonEn.hasSuffix("the target is a decrease of 5%: over by 0.5 percentage points."))
    }

    @Test(
        "A range: inside on track, outside by under 1 point at risk, further off track",
        arguments: [(11.2, TargetStatus.onTrack), (10.5, .atRisk), (12.2, .atRisk), (12.8, .offTrack), (9.9, .offTrack)])
    func range(growth: Double, expected: TargetStatus) throws {
        let spec = try TargetSpec(basis: .growth, comparator: .range(low: 11, high: 11.5), value: nil, unit: "%")
        let assessment = TargetAssessment(spec: spec, points: series((6, growth)), asOfMonth: 6)
        #expect(assessment.status == expected)
        #expect(assessment.expectedByNow == nil)
    }
}
