import Foundation
import Testing

@testable import DirectiveParser

/// What one 2018 task, found by its line, should read as.
struct TaskExpectation: Sendable, CustomTestStringConvertible {
    let line: Int
    let section: Int
    let block: Int
    let leads: [String]
    let due: String
    let kind: DueDateKind
    let isDefaulted: Bool
    var starts: String? = nil
    var phrase: String? = nil

    var testDescription: String { "line \(line)" }
}

@Suite("2018 directive: tasks, lead agencies and due dates")
struct TaskTests {
    static let samples: [TaskExpectation] = [
        .init(line: 55, section: 1, block: 1, leads: ["dept-finance"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(line: 87, section: 1, block: 5, leads: ["customs"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(
            line: 106, section: 1, block: 12, leads: ["all-city-agencies", "all-district-committees"], due: "2018-12-31", kind: .endOfYear,
            isDefaulted: true),
        .init(line: 119, section: 2, block: 2, leads: ["dept-planning-investment"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(line: 154, section: 3, block: 5, leads: ["economic-zone-authority"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(line: 170, section: 4, block: 1, leads: ["dept-transport"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(line: 204, section: 4, block: 7, leads: ["all-district-committees"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(line: 227, section: 5, block: 3, leads: ["economic-zone-authority"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(
            line: 258, section: 6, block: 4, leads: ["dept-agriculture-rural-development"], due: "2018-03-31", kind: .endOfQuarter,
            isDefaulted: false, phrase: "Trong quý I/2018"),
        .init(line: 286, section: 6, block: 12, leads: ["cooperative-alliance"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(line: 318, section: 7, block: 5, leads: ["police-and-military"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(
            line: 343, section: 8, block: 2, leads: ["dept-health"], due: "2018-01-01", kind: .startDate, isDefaulted: false,
            starts: "2018-01-01", phrase: "từ đầu năm 2018"),
        .init(
            line: 361, section: 8, block: 5, leads: ["social-insurance"], due: "2018-12-31", kind: .endOfYear, isDefaulted: false,
            phrase: "đến hết năm 2018"),
        .init(line: 388, section: 9, block: 5, leads: ["all-district-committees"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(
            line: 401, section: 10, block: 2, leads: ["city-police"], due: "2018-12-31", kind: .endOfYear, isDefaulted: false,
            phrase: "trong năm 2018"),
        .init(line: 415, section: 10, block: 4, leads: ["fire-police"], due: "2018-12-31", kind: .endOfYear, isDefaulted: true),
        .init(
            line: 456, section: 11, block: 3, leads: ["radio-television"], due: "2018-01-01", kind: .startDate, isDefaulted: false,
            starts: "2018-01-01", phrase: "từ ngày 01/01/2018"),
        .init(
            line: 466, section: 12, block: 2, leads: ["dept-home-affairs", "emulation-board"], due: "2018-12-31", kind: .endOfYear,
            isDefaulted: true),
        .init(
            line: 469, section: 12, block: 3, leads: ["all-city-agencies", "all-district-committees"], due: "2018-12-31", kind: .endOfYear,
            isDefaulted: true),
    ]

    @Test("Sample tasks: section, block, leads and due date", arguments: samples)
    func sample(_ expected: TaskExpectation) throws {
        let task = try #require(try directive2018().tasks.first { $0.line == expected.line })
        #expect(task.sectionNumber == expected.section)
        #expect(task.blockNumber == expected.block)
        #expect(task.leadAgencies.map(\.code) == expected.leads)
        #expect(task.timing.due.description == expected.due)
        #expect(task.timing.kind == expected.kind)
        #expect(task.timing.isDefaulted == expected.isDefaulted)
        #expect(task.timing.starts?.description == expected.starts)
        #expect(task.timing.phrase == expected.phrase)
    }

    @Test("Every section has sampled tasks")
    func samplesCoverSections() {
        #expect(Set(Self.samples.map(\.section)) == Set(1...12))
    }

    @Test("Only six 2018 tasks give a date; the others default to 31 December")
    func defaulted() throws {
        let directive = try directive2018()
        let dated = directive.tasks.filter { !$0.timing.isDefaulted }
        #expect(dated.map(\.line) == [258, 328, 343, 361, 401, 456])
        let defaulted = directive.tasks.filter(\.timing.isDefaulted)
        #expect(defaulted.allSatisfy { $0.timing.due == CalendarDay(year: 2018, month: 12, day: 31) && $0.timing.phrase == nil })
    }

    @Test(
        "Districts named in task texts, with or without quận/huyện, in order of mention",
        arguments: [
            (87, ["306"]),
            (186, ["305", "312"]),
            (204, ["308", "314", "315", "316", "312"]),
            (250, ["317"]),
            (341, ["303", "305", "315", "308", "317"]),
            (397, ["305", "304", "309", "315"]),
            (55, []),
        ])
    func districts(line: Int, codes: [String]) throws {
        let task = try #require(try directive2018().tasks.first { $0.line == line })
        #expect(task.districtCodes == codes)
    }

    @Test(
        "Key projects named in task texts",
        arguments: [
            (170, ["bach-dang-bridge", "national-road-10", "urban-transport-world-bank", "drainage-solid-waste-jica"]),
            (171, ["coastal-road", "ho-sen-cau-rao-2-axis", "bac-song-cam-urban-area"]),
            (172, ["nam-cau-binh-interchange", "road-359-upgrade", "nguyen-trai-bridge", "tan-vu-lach-huyen-2"]),
            (183, ["bac-song-cam-urban-area", "city-administrative-center"]),
            (328, []),
        ])
    func keyProjects(line: Int, codes: [String]) throws {
        let task = try #require(try directive2018().tasks.first { $0.line == line })
        #expect(task.keyProjectsNamed == codes)
    }

    @Test("A block naming several agencies gives its tasks to each")
    func multiAgencyBlock() throws {
        let directive = try directive2018()
        let registry = AgencyRegistry.default
        let homeAffairs = directive.tasks(assignedTo: "dept-home-affairs", in: registry).map(\.line)
        let emulation = directive.tasks(assignedTo: "emulation-board", in: registry).map(\.line)
        #expect(emulation.contains(466))
        #expect(homeAffairs.contains(466))
        // Sở Nội vụ also leads its own blocks (I.11, II.1) and is a member of "Các Sở, ban, ngành".
        #expect(homeAffairs.contains(104) && homeAffairs.contains(110))
    }

    @Test("A collective block reaches every member: each district committee gets the district tasks")
    func collectiveBlock() throws {
        let directive = try directive2018()
        let registry = AgencyRegistry.default
        let leChan = directive.tasks(assignedTo: "district-305-pc", in: registry)
        #expect(leChan.contains { $0.line == 204 })  // IV.7 Ủy ban nhân dân các quận, huyện
        #expect(leChan.contains { $0.line == 106 })  // I.12 Các Sở, ngành, Ủy ban nhân dân quận, huyện
        #expect(!leChan.contains { $0.line == 55 })  // I.1 Sở Tài chính
        let finance = directive.tasks(assignedTo: "dept-finance", in: registry)
        #expect(finance.contains { $0.line == 106 })
        #expect(!finance.contains { $0.line == 204 })
    }
}

@Suite("Task due dates read from phrases")
struct TaskTimingTests {
    @Test(
        "Phrases give due dates; dates before the plan year are ignored",
        arguments: [
            ("Trong quý I/2018 hoàn thành.", "2018-03-31", DueDateKind.endOfQuarter, false, nil as String?),
            ("hoàn thành trong quý III năm 2018", "2018-09-30", .endOfQuarter, false, nil),
            ("Trình đề án trước ngày 15/01/2018.", "2018-01-15", .deadline, false, nil),
            ("báo cáo trước ngày 20/11", "2018-11-20", .deadline, false, nil),
            ("Phát sóng từ ngày 01/01/2018.", "2018-01-01", .startDate, false, "2018-01-01"),
            ("Hoàn thành trong tháng 6/2018.", "2018-06-30", .endOfMonth, false, nil),
            ("Hoàn thành trong tháng 2", "2018-02-28", .endOfMonth, false, nil),
            ("Tổ chức tổng kết 6 tháng đầu năm.", "2018-06-30", .endOfHalfYear, false, nil),
            ("phấn đấu đến hết năm 2018 cân đối quỹ", "2018-12-31", .endOfYear, false, nil),
            ("trước ngày 15/01/2019 gửi báo cáo", "2019-01-15", .deadline, false, nil),
            ("Bộ luật có hiệu lực từ ngày 01/07/2017.", "2018-12-31", .endOfYear, true, nil),
            ("Nghị quyết số 08-NQ/TU ngày 16/5/2013 của Thành ủy.", "2018-12-31", .endOfYear, true, nil),
            ("trước ngày 31/02/2018", "2018-12-31", .endOfYear, true, nil),
            ("Trong quý II/2018, trước ngày 15/03/2018 trình", "2018-06-30", .endOfQuarter, false, nil),
            ("Thực hiện tốt công tác thi đua.", "2018-12-31", .endOfYear, true, nil),
        ])
    func timing(text: String, due: String, kind: DueDateKind, isDefaulted: Bool, starts: String?) {
        let timing = TaskTimingReader(year: 2018).timing(of: text)
        #expect(timing.due.description == due)
        #expect(timing.kind == kind)
        #expect(timing.isDefaulted == isDefaulted)
        #expect(timing.starts?.description == starts)
        #expect((timing.phrase == nil) == isDefaulted)
    }
}
