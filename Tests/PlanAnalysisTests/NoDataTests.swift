import PlanAnalysis
import Testing

@Suite("No data and which points count")
struct NoDataTests {
    @Test("Every basis without points is noData with no forecast", arguments: TargetBasis.allCases)
    func noPoints(basis: TargetBasis) throws {
        let spec = try TargetSpec(
            basis: basis, comparator: basis == .changeInPoints ? .decreaseBy : .atLeast, value: 1, unit: "%",
            startOfYearLevel: 2.5)
        let assessment = TargetAssessment(spec: spec, points: [], asOfMonth: 6)
        #expect(assessment.status == .noData)
        #expect(assessment.status.labelVi == "Chưa có số liệu")
        #expect(assessment.latest == nil)
        #expect(assessment.expectedByNow == nil)
        #expect(assessment.progressRatio == nil)
        #expect(assessment.forecast == nil)
        #expect(assessment.reasonVi == "Chưa có số liệu đến tháng 6.")
        #expect(assessment.reasonEn == "No figures reported up to month 6.")
    }

    @Test("Points after the month judged, outside 1…12 or not finite do not count")
    func unusablePoints() throws {
        let points = series((0, 5), (13, 120), (4, .nan), (7, 60))
        let assessment = TargetAssessment(spec: try cargoTarget(), points: points, asOfMonth: 6)
        #expect(assessment.status == .noData)
        #expect(assessment.reasonVi == "Chưa có số liệu đến tháng 6.")
    }

    @Test("The target is judged at the latest point up to the month judged")
    func judgedAtLatestUsablePoint() throws {
        let points = series((9, 80), (3, 24), (6, 50.96))
        let assessment = TargetAssessment(spec: try cargoTarget(), points: points, asOfMonth: 6)
        #expect(assessment.latest == MonthlyPoint(month: 6, value: 50.96))
        #expect(isClose(assessment.expectedByNow, 53.5))
    }

    @Test("A figure that lags is compared with the schedule of the month it covers")
    func laggingFigure() throws {
        let assessment = TargetAssessment(spec: try cargoTarget(), points: series((5, 44)), asOfMonth: 6)
        #expect(assessment.latest?.month == 5)
        #expect(isClose(assessment.expectedByNow, 107 * 5 / 12))
        #expect(assessment.status == .onTrack)
    }

    @Test("Of two points for one month the later in the array counts")
    func duplicateMonth() throws {
        let assessment = TargetAssessment(spec: try cargoTarget(), points: series((6, 40), (6, 50.96)), asOfMonth: 6)
        #expect(assessment.latest?.value == 50.96)
    }
}
