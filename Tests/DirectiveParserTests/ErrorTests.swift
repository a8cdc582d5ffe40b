import Foundation
import Testing

@testable import DirectiveParser

@Suite("Parse errors carry the line, the text and the reason")
struct ErrorTests {
    /// The error parsing `text` throws; an issue when it throws none.
    private func parseError(_ text: String) throws -> DirectiveParseError {
        try #require(throws: DirectiveParseError.self) { try DirectiveTextParser().parse(text: text) }
    }

    @Test(
        "Texts that are not directives",
        arguments: [
            ("", nil as Int?, "the text is empty"),
            ("\n  \n", nil, "the text is empty"),
            ("Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2018\nNội dung…", 1, "no “CHỈ THỊ” heading at the top"),
            ("CHỈ THỊ\nVỀ NHIỆM VỤ NĂM 2018\n\nKhông có phần nào.", 1, "no “Phần thứ nhất” (Part One) heading"),
        ])
    func notADirective(text: String, line: Int?, missing: String) throws {
        let error = try parseError(text)
        #expect(error.reason == .notADirective(missing))
        #expect(error.line == line)
        #expect(error.description.contains("not a directive"))
    }

    @Test("A title without a year")
    func missingYear() throws {
        var synthetic = SyntheticDirective()
        synthetic.headerLines = []
        let text = synthetic.text.replacingOccurrences(of: " NĂM 2019\n", with: "\n")
        let error = try parseError(text)
        #expect(error.reason == .missingYear)
        #expect(error.line == 2)
    }

    @Test("An unreadable target line names its line and text")
    func unreadableTarget() throws {
        let line = "(5) Tổng vốn đầu tư toàn xã hội huy động đạt mức cao;"
        let text = try Fixtures.text2018(replacing: "(5) Tổng vốn đầu tư toàn xã hội huy động đạt 82.100 tỷ đồng;", with: line)
        let error = try parseError(text)
        #expect(error.reason == .unreadableTarget("(5) has no number in “Tổng vốn đầu tư toàn xã hội huy động đạt mức cao”"))
        #expect(error.line == 19)
        #expect(error.text == line)
        #expect(
            error.description
                == "line 19: cannot read target: (5) has no number in “Tổng vốn đầu tư toàn xã hội huy động đạt mức cao” in “\(line)”")
    }

    @Test(
        "Unknown units are refused",
        arguments: [
            ("(7) Sản lượng hàng hoá thông qua cảng đạt 107 triệu thùng;", "triệu thùng"),
            ("(7) Diện tích rừng trồng mới đạt 500 ha;", "ha"),
        ])
    func unknownUnit(line: String, unit: String) throws {
        let text = try Fixtures.text2018(replacing: "(7) Sản lượng hàng hoá thông qua cảng đạt 107 triệu tấn;", with: line)
        let error = try parseError(text)
        #expect(error.reason == .unknownUnit(unit))
        #expect(error.line == 23)
        #expect(error.text == line)
        #expect(error.description.contains("unknown unit “\(unit)”"))
    }

    @Test("A number with no unit after it")
    func missingUnit() throws {
        var synthetic = SyntheticDirective()
        synthetic.targetLines = ["(1) Số doanh nghiệp thành lập mới đạt 2500."]
        let error = try parseError(synthetic.text)
        #expect(error.reason == .unreadableTarget("(1) has no unit after 2500"))
    }

    @Test("A line breaking the list of targets is refused rather than dropping the targets after it")
    func strayLineBetweenTargets() throws {
        var synthetic = SyntheticDirective()
        synthetic.targetLines.insert("tiếp tục phấn đấu vượt kế hoạch", at: 3)
        let error = try parseError(synthetic.text)
        #expect(error.reason == .unreadableTarget("a line between targets is neither a target nor a group heading"))
        #expect(error.text == "tiếp tục phấn đấu vượt kế hoạch")
        #expect(error.line == 12)
    }

    @Test("A repeated target number")
    func duplicateTarget() throws {
        var synthetic = SyntheticDirective()
        synthetic.targetLines = ["(1) Thu nội địa 21.000 tỷ đồng;", "(1) Kim ngạch xuất khẩu tăng 10%;"]
        let error = try parseError(synthetic.text)
        #expect(error.reason == .duplicateTarget(1))
        #expect(error.text == "(1) Kim ngạch xuất khẩu tăng 10%;")
    }

    @Test("A target group that is neither economic, social nor environment")
    func unknownGroup() throws {
        var synthetic = SyntheticDirective()
        synthetic.targetLines = ["a) Các chỉ tiêu kinh tế:", "(1) Thu nội địa 21.000 tỷ đồng;", "b) Các chỉ tiêu quốc phòng:"]
        let error = try parseError(synthetic.text)
        #expect(error.reason == .unknownTargetGroup)
        #expect(error.text == "b) Các chỉ tiêu quốc phòng:")
    }

    @Test("An unknown agency in a block heading names the line and the agency")
    func unknownAgency() throws {
        let text = try Fixtures.text2018(replacing: "8. Thanh tra thành phố chủ trì:", with: "8. Sở Hàng không Vũ trụ chủ trì:")
        let error = try parseError(text)
        #expect(error.reason == .unknownAgency("Sở Hàng không Vũ trụ"))
        #expect(error.line == 96)
        #expect(error.description == "line 96: unknown agency “Sở Hàng không Vũ trụ” in block heading “8. Sở Hàng không Vũ trụ chủ trì:”")
    }

    @Test("An unknown agency next to a known one is named alone")
    func unknownAgencyInList() throws {
        let text = try Fixtures.text2018(
            replacing: "2. Sở Nội vụ, Ban Thi đua khen thưởng chủ trì:", with: "2. Sở Nội vụ, Ban Chỉ đạo Tết chủ trì:")
        let error = try parseError(text)
        #expect(error.reason == .unknownAgency("Ban Chỉ đạo Tết"))
    }

    @Test("Task text under a section before any block")
    func textOutsideBlock() throws {
        var synthetic = SyntheticDirective()
        synthetic.sections[0].insert("- Nhiệm vụ không có đơn vị chủ trì.", at: 1)
        let error = try parseError(synthetic.text)
        #expect(error.reason == .textOutsideBlock)
        #expect(error.text == "- Nhiệm vụ không có đơn vị chủ trì.")
    }

    @Test(
        "Bytes that are not UTF-8 are refused with the offset of the first bad byte",
        arguments: [
            ([0x43, 0x48, 0xFF, 0x54] as [UInt8], 2),
            ([0xEF, 0xBB, 0xBF, 0x41, 0xC3], 4),
            ([0x41, 0xE1, 0xBB], 1),
        ])
    func invalidUTF8(bytes: [UInt8], offset: Int) throws {
        let error = try #require(throws: DirectiveParseError.self) { try DirectiveTextParser().parse(Data(bytes)) }
        #expect(error.reason == .invalidUTF8(byteOffset: offset))
        #expect(error.line == nil)
        #expect(error.description == "the text is not valid UTF-8: bad byte at offset \(offset)")
    }

    @Test("A stray lead byte inside the 2018 text is refused at its offset")
    func strayLeadByte() throws {
        var bytes = Array(try Fixtures.data2018().prefix(40))
        bytes[1] = 0xC3  // a lead byte followed by an ASCII letter
        let error = try #require(throws: DirectiveParseError.self) { try DirectiveTextParser().parse(Data(bytes)) }
        #expect(error.reason == .invalidUTF8(byteOffset: 1))
    }
}
