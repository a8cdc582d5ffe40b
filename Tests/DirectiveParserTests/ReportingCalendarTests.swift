import Foundation
import Testing

@testable import DirectiveParser

@Suite("2018 directive: reporting calendar of Part Two")
struct ReportingCalendarTests {
    static let everyone = [
        AgencyReference(code: "all-city-agencies", isGroup: true), AgencyReference(code: "all-district-committees", isGroup: true),
    ]
    static let planning = AgencyReference(code: "dept-planning-investment", isGroup: false)
    static let committee = AgencyReference(code: "city-people-committee", isGroup: false)

    @Test("Five obligations: action plans, monthly and quarterly reports, year-end review, next directive's draft")
    func obligations() throws {
        let calendar = try directive2018().reportingCalendar
        #expect(calendar.map(\.kind) == [.actionPlan, .monthlyReport, .quarterlyReport, .yearEndReview, .nextDirectiveDraft])
    }

    @Test(
        "Each obligation: when, who reports and to whom",
        arguments: [
            (ReportKind.actionPlan, ReportRecurrence.once, 15, "2018-01-15" as String?, "2.a", 474),
            (.monthlyReport, .monthly, 20, nil, "2.e", 478),
            (.quarterlyReport, .quarterly, 20, nil, "2.e", 478),
            (.yearEndReview, .once, 20, "2018-11-20", "4", 480),
            (.nextDirectiveDraft, .once, 10, "2018-12-10", "5", 481),
        ])
    func obligation(kind: ReportKind, recurrence: ReportRecurrence, day: Int, date: String?, item: String, line: Int) throws {
        let obligation = try #require(try directive2018().reportingCalendar.first { $0.kind == kind })
        #expect(obligation.recurrence == recurrence)
        #expect(obligation.dayOfMonth == day)
        #expect(obligation.date?.description == date)
        #expect(obligation.item == item)
        #expect(obligation.line == line)
        switch kind {
        case .nextDirectiveDraft:
            #expect(obligation.reporters == [Self.planning])
            #expect(obligation.recipients == [Self.committee])
        case .yearEndReview:
            #expect(obligation.reporters == Self.everyone)
            #expect(obligation.recipients == [Self.committee, Self.planning])
        default:
            #expect(obligation.reporters == Self.everyone)
            #expect(obligation.recipients == [Self.planning, Self.committee])
        }
    }

    @Test("The text of an obligation is kept as written")
    func text() throws {
        let draft = try #require(try directive2018().reportingCalendar.last)
        #expect(
            draft.text
                == "Giao Sở Kế hoạch và Đầu tư tổng hợp, xây dựng Chỉ thị chỉ đạo điều hành năm tiếp theo, đề xuất báo cáo Ủy ban nhân dân thành phố trước ngày 10/12/2018."
        )
    }

    @Test("Deadlines within the year")
    func deadlines() throws {
        let calendar = try directive2018().reportingCalendar
        let monthly = try #require(calendar.first { $0.kind == .monthlyReport })
        #expect(monthly.deadlines(inYear: 2018).map(\.description).prefix(3) == ["2018-01-20", "2018-02-20", "2018-03-20"])
        #expect(monthly.deadlines(inYear: 2018).count == 12)
        let quarterly = try #require(calendar.first { $0.kind == .quarterlyReport })
        #expect(quarterly.deadlines(inYear: 2018).map(\.description) == ["2018-03-20", "2018-06-20", "2018-09-20", "2018-12-20"])
        let review = try #require(calendar.first { $0.kind == .yearEndReview })
        #expect(review.deadlines(inYear: 2018).map(\.description) == ["2018-11-20"])
        #expect(review.deadlines(inYear: 2019).isEmpty)
    }
}
