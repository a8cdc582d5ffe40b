import Foundation
import Testing

@testable import DirectiveParser

/// What a measure (a target's own or a sub-target's) should read as.
struct MeasureExpectation: Sendable, CustomTestStringConvertible {
    let id: String
    let name: String
    let comparator: TargetComparator
    let comparatorText: String
    let low: String
    let high: String?
    let unit: UnitCode
    let unitText: String
    let basis: MeasureBasis

    init(
        _ id: String, _ name: String, _ comparator: TargetComparator, _ comparatorText: String, _ low: String, _ high: String? = nil,
        _ unit: UnitCode, _ unitText: String, _ basis: MeasureBasis
    ) {
        self.id = id
        self.name = name
        self.comparator = comparator
        self.comparatorText = comparatorText
        self.low = low
        self.high = high
        self.unit = unit
        self.unitText = unitText
        self.basis = basis
    }

    var value: TargetValue {
        high.map { .range(low: decimal(low), high: decimal($0)) } ?? .exact(decimal(low))
    }

    var testDescription: String { id }
}

@Suite("2018 directive: the 18 targets")
struct TargetTests {
    static let targetMeasures: [MeasureExpectation] = [
        .init(
            "1", "Tốc độ tăng trưởng GRDP (giá so sánh 2010)", .atLeast, "tăng từ … trở lên", "15", nil, .percent, "%",
            .growthOverPreviousYear),
        .init("2", "GRDP bình quân đầu người (theo giá hiện hành)", .reach, "đạt", "4195", nil, .usd, "USD", .level),
        .init("3", "Chỉ số sản xuất công nghiệp (IIP)", .increase, "tăng", "22", nil, .percent, "%", .growthOverPreviousYear),
        .init("4", "Giá trị sản xuất nông, lâm, thủy sản", .increase, "tăng", "2.77", nil, .percent, "%", .growthOverPreviousYear),
        .init("5", "Tổng vốn đầu tư toàn xã hội huy động", .reach, "đạt", "82100", nil, .billionVND, "tỷ đồng", .cumulativeAmountForYear),
        .init("6", "Thu nội địa", .unqualified, "", "24725", nil, .billionVND, "tỷ đồng", .cumulativeAmountForYear),
        .init("7", "Sản lượng hàng hoá thông qua cảng", .reach, "đạt", "107", nil, .millionTonnes, "triệu tấn", .cumulativeAmountForYear),
        .init("8", "Kim ngạch xuất khẩu", .increase, "tăng", "22", "23", .percent, "%", .growthOverPreviousYear),
        .init("9", "Thu hút khách du lịch", .about, "đạt khoảng", "7.5", nil, .millionVisits, "triệu lượt khách", .cumulativeAmountForYear),
        .init(
            "11", "Thu hút vốn đầu tư trực tiếp nước ngoài (FDI)", .unqualified, "", "1.2", nil, .billionUSD, "tỷ USD",
            .cumulativeAmountForYear),
        .init("12", "Tỷ lệ thất nghiệp thành thị", .at, "ở mức", "3.96", nil, .percent, "%", .level),
        .init("14", "Tỷ lệ dân số tham gia bảo hiểm y tế", .reach, "đạt", "84.5", nil, .percent, "%", .level),
        .init("15", "Tỷ lệ hộ nghèo (theo chuẩn nghèo đa chiều)", .decrease, "giảm", "0.65", nil, .percent, "%", .changeInPercentagePoints),
        .init("16", "Tỷ lệ dân số nông thôn sử dụng nước hợp vệ sinh", .reach, "đạt", "98.9", nil, .percent, "%", .level),
        .init(
            "18", "Tỷ lệ cơ sở khám, chữa bệnh xử lý chất thải y tế đạt tiêu chuẩn môi trường", .reach, "đạt", "100", nil, .percent, "%",
            .level),
    ]

    static let subTargetMeasures: [MeasureExpectation] = [
        .init("1.a", "nhóm nông, lâm, thủy sản", .increase, "tăng", "2.75", nil, .percent, "%", .growthOverPreviousYear),
        .init("1.b", "nhóm công nghiệp, xây dựng", .increase, "tăng", "20.5", nil, .percent, "%", .growthOverPreviousYear),
        .init("1.c", "nhóm dịch vụ", .increase, "tăng", "12.1", nil, .percent, "%", .growthOverPreviousYear),
        .init("4.a", "giá trị sản xuất nông nghiệp", .increase, "tăng", "1.37", nil, .percent, "%", .growthOverPreviousYear),
        .init("4.b", "giá trị sản xuất thủy sản", .increase, "tăng", "6.28", nil, .percent, "%", .growthOverPreviousYear),
        .init(
            "10.a", "toàn thành phố bình quân tiêu chí nông thôn mới theo Bộ chỉ tiêu quốc gia", .reach, "đạt", "17", "17.5", .criteria,
            "tiêu chí", .level),
        .init("10.b", "xã cơ bản đạt 19 tiêu chí nông thôn mới", .increase, "có thêm", "15", nil, .communes, "xã", .count),
        .init(
            "13.a", "Giải quyết việc làm cho lượt người lao động", .about, "khoảng", "54500", nil, .personTimes, "lượt người",
            .cumulativeAmountForYear),
        .init("13.b", "tỷ lệ lao động qua đào tạo", .reach, "đạt", "80", nil, .percent, "%", .level),
        .init(
            "13.c", "tỷ lệ lao động qua đào tạo từ 3 tháng trở lên có văn bằng chứng chỉ", .unqualified, "là", "33", nil, .percent, "%",
            .level),
        .init("17.a", "ở đô thị", .reach, "đạt", "97.6", nil, .percent, "%", .level),
        .init("17.b", "nông thôn", .reach, "đạt", "88.5", nil, .percent, "%", .level),
    ]

    @Test("Each target's own measure", arguments: targetMeasures)
    func targetMeasure(_ expected: MeasureExpectation) throws {
        let target = try #require(try directive2018().target(number: Int(expected.id)!))
        #expect(target.name == expected.name)
        let measure = try #require(target.measure)
        #expect(measure.comparator == expected.comparator)
        #expect(measure.comparatorText == expected.comparatorText)
        #expect(measure.value == expected.value)
        #expect(measure.unit == MeasureUnit(code: expected.unit, text: expected.unitText))
        #expect(measure.basis == expected.basis)
    }

    @Test("Each sub-target", arguments: subTargetMeasures)
    func subTargetMeasure(_ expected: MeasureExpectation) throws {
        let number = Int(expected.id.split(separator: ".")[0])!
        let target = try #require(try directive2018().target(number: number))
        let subTarget = try #require(target.subTargets.first { $0.id == expected.id })
        #expect(subTarget.name == expected.name)
        #expect(subTarget.measure.comparator == expected.comparator)
        #expect(subTarget.measure.comparatorText == expected.comparatorText)
        #expect(subTarget.measure.value == expected.value)
        #expect(subTarget.measure.unit == MeasureUnit(code: expected.unit, text: expected.unitText))
        #expect(subTarget.measure.basis == expected.basis)
        #expect(target.measure(id: expected.id) == subTarget.measure)
    }

    @Test(
        "Which targets have sub-targets, and which only list them",
        arguments: [
            (1, ["1.a", "1.b", "1.c"], true), (4, ["4.a", "4.b"], true), (10, ["10.a", "10.b"], false),
            (13, ["13.a", "13.b", "13.c"], false), (17, ["17.a", "17.b"], false), (2, [], true), (15, [], true),
        ])
    func subTargetShape(number: Int, ids: [String], hasOwnMeasure: Bool) throws {
        let target = try #require(try directive2018().target(number: number))
        #expect(target.subTargets.map(\.id) == ids)
        #expect((target.measure != nil) == hasOwnMeasure)
    }

    @Test("Targets without their own measure are named from the line")
    func listNames() throws {
        let directive = try directive2018()
        #expect(directive.target(number: 10)?.name == "Xây dựng nông thôn mới")
        #expect(directive.target(number: 13)?.name == "Giải quyết việc làm cho lượt người lao động; tỷ lệ lao động qua đào tạo")
        #expect(directive.target(number: 17)?.name == "Tỷ lệ chất thải rắn được thu gom và xử lý hợp vệ sinh")
    }

    @Test("Groups: 1–11 economic, 12–15 social, 16–18 environment")
    func categories() throws {
        let directive = try directive2018()
        #expect(directive.targets.map(\.number) == Array(1...18))
        for target in directive.targets {
            let expected: TargetCategory = target.number <= 11 ? .economic : target.number <= 15 ? .social : .environment
            #expect(target.category == expected, "target \(target.number)")
        }
    }

    @Test("Source text and line are kept exactly")
    func sourceText() throws {
        let directive = try directive2018()
        let target = try #require(directive.target(number: 13))
        #expect(target.line == 36)
        #expect(
            target.sourceText
                == "(13) Giải quyết việc làm cho khoảng 54.500 lượt người lao động; tỷ lệ lao động qua đào tạo đạt 80%, trong đó tỷ lệ lao động qua đào tạo từ 3 tháng trở lên có văn bằng chứng chỉ là 33%;"
        )
        #expect(
            target.subTargets.map(\.sourceText) == [
                "Giải quyết việc làm cho khoảng 54.500 lượt người lao động",
                "tỷ lệ lao động qua đào tạo đạt 80%",
                "tỷ lệ lao động qua đào tạo từ 3 tháng trở lên có văn bằng chứng chỉ là 33%",
            ])
        #expect(directive.targets.map(\.line) == [11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 34, 36, 38, 40, 43, 45, 47])
    }
}
