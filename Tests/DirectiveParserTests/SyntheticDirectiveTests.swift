import Foundation
import Testing

@testable import DirectiveParser

@Suite("Synthetic directives: other years, other cities, other shapes")
struct SyntheticDirectiveTests {
    @Test("Another year and another city, with an issuer line")
    func otherCityAndYear() throws {
        let directive = try SyntheticDirective().parse()
        #expect(directive.year == 2019)
        #expect(
            directive.issuer
                == Issuer(
                    name: "Ủy ban nhân dân thành phố Đà Nẵng", localityKind: "thành phố", locality: "Đà Nẵng", localitySource: .issuerLine))
        #expect(directive.theme == "Năm chính quyền điện tử")
        #expect(directive.targets.count == 4)
        #expect(directive.sections.map(\.numeral) == ["I", "II"])
        #expect(directive.blocks.count == 3)
        #expect(directive.tasks.count == 4)
        #expect(directive.tasks.map(\.form) == [.dashItem, .dashItem, .dashItem, .paragraph])
    }

    @Test("A province on one issuer line")
    func province() throws {
        var synthetic = SyntheticDirective()
        synthetic.headerLines = ["UỶ BAN NHÂN DÂN TỈNH QUẢNG NINH"]
        let issuer = try synthetic.parse().issuer
        #expect(
            issuer
                == Issuer(
                    name: "Ủy ban nhân dân tỉnh Quảng Ninh", localityKind: "tỉnh", locality: "Quảng Ninh", localitySource: .issuerLine))
    }

    @Test("Targets of another year: values, a decimal range, fewer targets")
    func targets() throws {
        let directive = try SyntheticDirective().parse()
        let growth = try #require(directive.target(number: 1)?.measure)
        #expect(growth.comparator == .atLeast)
        #expect(growth.value == .exact(8))
        #expect(growth.basis == .growthOverPreviousYear)
        #expect(directive.target(number: 2)?.measure?.value == .exact(21_000))
        let poverty = try #require(directive.target(number: 3)?.measure)
        #expect(poverty.comparator == .decrease)
        #expect(poverty.value == .range(low: decimal("0.5"), high: decimal("1.25")))
        #expect(poverty.basis == .changeInPercentagePoints)
        #expect(directive.targets.map(\.category) == [.economic, .economic, .social, .environment])
    }

    @Test("Renumbered targets without group headings")
    func renumberedTargets() throws {
        var synthetic = SyntheticDirective()
        synthetic.targetLines = [
            "(1) Thu nội địa đạt 30.500,5 tỷ đồng;",
            "(2) Kim ngạch xuất khẩu tăng 10 - 12,5%;",
            "(3) Tỷ lệ lao động qua đào tạo đạt trên 70%.",
        ]
        let directive = try synthetic.parse()
        #expect(directive.targets.map(\.number) == [1, 2, 3])
        #expect(directive.targets.map(\.category) == [nil, nil, nil])
        #expect(directive.target(number: 1)?.measure?.value == .exact(decimal("30500.5")))
        #expect(directive.target(number: 2)?.measure?.value == .range(low: 10, high: decimal("12.5")))
        #expect(directive.target(number: 3)?.measure?.comparator == .moreThan)
        #expect(directive.target(number: 3)?.measure?.comparatorText == "đạt trên")
    }

    @Test("A section XIII is read like the others")
    func sectionThirteen() throws {
        var synthetic = SyntheticDirective()
        for numeral in ["III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"] {
            synthetic.sections.append(["\(numeral). Nhiệm vụ mục \(numeral)", "1. Sở Xây dựng chủ trì:", "- Nhiệm vụ của mục \(numeral)."])
        }
        let directive = try synthetic.parse()
        #expect(directive.sections.count == 13)
        #expect(
            directive.sections.last
                == Section(number: 13, numeral: "XIII", title: "Nhiệm vụ mục XIII", line: try #require(directive.sections.last?.line)))
        #expect(directive.tasks(inSection: 13).map(\.leadAgencies) == [[AgencyReference(code: "dept-construction", isGroup: false)]])
    }

    @Test("Due dates of another year's tasks, including “trước ngày …”")
    func dueDates() throws {
        let tasks = try SyntheticDirective().parse().tasks
        #expect(tasks.map(\.timing.due.description) == ["2019-03-15", "2019-06-30", "2019-12-31", "2019-06-30"])
        #expect(tasks.map(\.timing.kind) == [.deadline, .endOfQuarter, .endOfYear, .endOfMonth])
        #expect(tasks.map(\.timing.isDefaulted) == [false, false, true, false])
        #expect(tasks[0].timing.phrase == "trước ngày 15/03/2019")
    }

    @Test("Several agencies in one block; a paragraph task")
    func paragraphBlock() throws {
        let directive = try SyntheticDirective().parse()
        let block = try #require(directive.blocks.last)
        #expect(block.leadAgencies.map(\.code) == ["dept-health", "dept-labour-invalids-social-affairs"])
        #expect(directive.tasks.last?.form == .paragraph)
        #expect(directive.tasks.last?.leadAgencies == block.leadAgencies)
    }

    @Test("Reporting calendar of another year")
    func calendar() throws {
        let calendar = try SyntheticDirective().parse().reportingCalendar
        #expect(calendar.map(\.kind) == [.actionPlan, .monthlyReport])
        #expect(calendar.first?.date == CalendarDay(year: 2019, month: 1, day: 20))
        #expect(calendar.last?.dayOfMonth == 25)
        #expect(calendar.last?.recipients.map(\.code) == ["dept-planning-investment"])
    }

    @Test("Without Part Two there is no calendar, and the recipients list is never read as tasks")
    func withoutPartTwo() throws {
        let text = SyntheticDirective().text
        let withoutPartTwo = text.replacingOccurrences(of: "Phần thứ hai\nTỔ CHỨC THỰC HIỆN\n", with: "")
            .replacingOccurrences(
                of:
                    "1. Các Sở, ngành, quận, huyện trước ngày 20/01/2019 ban hành kế hoạch, chương trình hành động, gửi Sở Kế hoạch và Đầu tư tổng hợp.\n",
                with: ""
            )
            .replacingOccurrences(
                of: "2. Các Sở, ngành, quận, huyện báo cáo tình hình thực hiện Chỉ thị gửi Sở Kế hoạch và Đầu tư vào ngày 25 hàng tháng.\n",
                with: "")
        let directive = try DirectiveTextParser().parse(text: withoutPartTwo)
        #expect(directive.reportingCalendar.isEmpty)
        #expect(directive.tasks.count == 4)
    }

    @Test("CRLF line ends and a byte order mark read like LF")
    func lineEndsAndBOM() throws {
        let text = SyntheticDirective().text
        let crlf = Data([0xEF, 0xBB, 0xBF]) + Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let parser = DirectiveTextParser()
        #expect(try parser.parse(crlf) == parser.parse(Data(text.utf8)))
    }

    @Test("Decomposed (NFD) input gives the same result as composed (NFC)")
    func decomposedInput() throws {
        let text = try Fixtures.text2018()
        let decomposed = text.decomposedStringWithCanonicalMapping
        #expect(Array(decomposed.unicodeScalars) != Array(text.unicodeScalars))
        let parser = DirectiveTextParser()
        #expect(try parser.parse(Data(decomposed.utf8)) == directive2018())
        #expect(try parser.parse(text: decomposed) == directive2018())
    }

    @Test("Changing the 2018 numbers changes only the values")
    func changedNumbers() throws {
        let text = try Fixtures.text2018(
            replacing: "(5) Tổng vốn đầu tư toàn xã hội huy động đạt 82.100 tỷ đồng;",
            with: "(5) Tổng vốn đầu tư toàn xã hội huy động đạt khoảng 90.250,5 tỷ đồng;")
        let directive = try DirectiveTextParser().parse(text: text)
        let measure = try #require(directive.target(number: 5)?.measure)
        #expect(measure.value == .exact(decimal("90250.5")))
        #expect(measure.comparator == .about)
        #expect(directive.tasks.count == 318)
    }
}
