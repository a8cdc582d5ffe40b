import PlanAnalysis
import Testing

@Suite("Changes in points from the start-of-year level")
struct ChangeInPointsTargetTests {
    @Test(
        "Poverty down 0.65 from 2.5%: the change so far against 0.65 × month/12",
        arguments: [(2.15, TargetStatus.onTrack), (2.2, .atRisk), (2.4, .offTrack)])
    func paced(level: Double, expected: TargetStatus) throws {
        let assessment = TargetAssessment(spec: try povertyTarget(), points: series((6, level)), asOfMonth: 6)
        #expect(assessment.status == expected)
        #expect(isClose(assessment.expectedByNow, 2.175))
        #expect(isClose(assessment.progressRatio, (level - 2.5) / -0.325))
    }

    @Test("The reason names the change and the schedule")
    func reason() throws {
        let assessment = TargetAssessment(spec: try povertyTarget(), points: series((6, 2.2)), asOfMonth: 6)
        #expect(
            assessment.reasonVi
                == "Tháng 6 ở mức 2,2%, giảm 0,3 điểm phần trăm so với đầu năm (2,5%); chỉ tiêu cả năm giảm 0,65%, "
                + "theo tiến độ đến tháng 6 cần giảm 0,33 điểm phần trăm (mức 2,17%).")
        #expect(assessment.reasonEn.hasPrefix("In month 6 the level is 2.2%, down 0.3 percentage points from 2.5% at the start of the year"))
    }

    @Test("A decrease already made mid-year is on track, not met: a rate can move back")
    func notMetBeforeYearEnd() throws {
        let assessment = TargetAssessment(spec: try povertyTarget(), points: series((6, 1.8)), asOfMonth: 6)
        #expect(assessment.status == .onTrack)
    }

    @Test("December decides: 1.85% meets 'down 0.65' from 2.5%, 1.9% misses it")
    func yearEnd() throws {
        let met = TargetAssessment(spec: try povertyTarget(), points: series((6, 2.2), (12, 1.85)), asOfMonth: 12)
        #expect(met.status == .met)
        #expect(met.forecast?.probabilityOfMeeting == 1)
        let missed = TargetAssessment(spec: try povertyTarget(), points: series((12, 1.9)), asOfMonth: 12)
        #expect(missed.status == .missed)
    }

    @Test("An increase in points (trained workers up 2 from 70%)")
    func increase() throws {
        let spec = try TargetSpec(basis: .changeInPoints, comparator: .increaseBy, value: 2, unit: "%", startOfYearLevel: 70)
        let assessment = TargetAssessment(spec: spec, points: series((6, 71.2)), asOfMonth: 6)
        #expect(assessment.status == .onTrack)
        #expect(isClose(assessment.expectedByNow, 71))
        #expect(isClose(assessment.progressRatio, 1.2))
    }

    @Test("A limit the change starts inside (rise less than 0.5): inside on track, past it at risk")
    func limit() throws {
        let spec = try TargetSpec(basis: .changeInPoints, comparator: .lessThan, value: 0.5, unit: "%", startOfYearLevel: 10)
        func status(_ month: Int, _ level: Double) -> TargetStatus {
            TargetAssessment(spec: spec, points: series((month, level)), asOfMonth: month).status
        }
        #expect(status(6, 10.3) == .onTrack)
        #expect(status(6, 10.7) == .atRisk)
        #expect(status(12, 10.4) == .met)
        #expect(status(12, 10.6) == .missed)
        #expect(TargetAssessment(spec: spec, points: series((6, 10.3)), asOfMonth: 6).expectedByNow == nil)
    }
}
