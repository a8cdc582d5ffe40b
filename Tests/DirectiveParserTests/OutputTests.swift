import Foundation
import Testing

@testable import DirectiveParser

@Suite("Output for the CLI: JSON and the plain-text report")
struct OutputTests {
    @Test("JSON is stable, has sorted keys and ISO dates, and reads back to the same directive")
    func json() throws {
        let directive = try directive2018()
        let data = try directive.jsonData()
        #expect(try directive.jsonData() == data)
        #expect(try Directive(jsonData: data) == directive)
        let text = try #require(String(data: data, encoding: .utf8))
        let topLevelKeys = ["blocks", "issuer", "reportingCalendar", "sections", "targets", "tasks", "theme", "title", "year"]
        let positions = try topLevelKeys.map { key in try #require(text.range(of: "\n  \"\(key)\" : ")).lowerBound }
        #expect(positions == positions.sorted())
        #expect(text.contains("\"due\" : \"2018-03-31\""))
        #expect(text.contains("\"date\" : \"2018-11-20\""))
        #expect(text.contains("\"Tăng cường kỷ cương thu, chi ngân sách nhà nước - Cải thiện môi trường đầu tư kinh doanh\""))
    }

    @Test("Decimals are exact in JSON", arguments: [(1, "2.75"), (15, "0.65"), (9, "7.5")])
    func exactDecimals(target: Int, value: String) throws {
        let text = try #require(String(data: try directive2018().jsonData(), encoding: .utf8))
        #expect(text.contains("\"value\" : \(value)"))
        let decoded = try Directive(jsonData: try directive2018().jsonData())
        let measure = try #require(
            target == 1 ? decoded.target(number: 1)?.subTargets.first?.measure : decoded.target(number: target)?.measure)
        #expect(measure.value == .exact(decimal(value)))
    }

    @Test("The report has Vietnamese headers, the target rows and the counts")
    func report() throws {
        let report = try directive2018().plainTextReport()
        for header in ["Chỉ tiêu", "So sánh", "Giá trị", "Đơn vị", "Cơ sở so sánh", "Mục", "Khối chủ trì", "Nhiệm vụ"] {
            #expect(report.contains(header), "header \(header)")
        }
        #expect(report.hasPrefix("CHỈ THỊ NĂM 2018 — Ủy ban nhân dân thành phố Hải Phòng\n"))
        #expect(report.contains("Số chỉ tiêu: 18\n"))
        #expect(report.contains("Số mục: 12\n"))
        #expect(report.contains("Số khối đơn vị chủ trì: 86\n"))
        #expect(report.contains("Số nhiệm vụ: 318 (có thời hạn cụ thể: 6; mặc định cuối năm: 312)\n"))
        let lines = report.split(separator: "\n").map(String.init)
        let five = try #require(lines.first { $0.hasPrefix("(5) ") })
        #expect(five.contains("Tổng vốn đầu tư toàn xã hội huy động"))
        #expect(five.contains("82.100  tỷ đồng"))
        #expect(lines.contains { $0.hasPrefix("  10.a") && $0.contains("17 - 17,5  tiêu chí") })
    }

    @Test("Target table columns line up whatever the diacritics")
    func reportAlignment() throws {
        let report = try directive2018().plainTextReport()
        let lines = report.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("Số ") && $0.contains("Giá trị") })
        let rows = lines[(header + 2)...].prefix { !$0.isEmpty && ($0.hasPrefix("(") || $0.hasPrefix("  ")) }
        #expect(rows.count == 18 + 12)
        // The value column is right-aligned: every row's unit starts at the same display column.
        let unitColumn = TextTable.displayWidth(of: String(lines[header].prefix { $0 != "Đ" }))
        for row in rows where row.contains("%") {
            let beforeUnit = String(row[..<row.range(of: "  %")!.lowerBound]) + "  "
            #expect(TextTable.displayWidth(of: beforeUnit) == unitColumn, "\(row)")
        }
    }

    @Test("Display width counts NFD like NFC, combining marks as zero, wide characters as two")
    func displayWidth() {
        let word = "Nguyễn Trãi"
        #expect(TextTable.displayWidth(of: word) == 11)
        #expect(TextTable.displayWidth(of: word.decomposedStringWithCanonicalMapping) == 11)
        #expect(TextTable.displayWidth(of: "海防") == 4)
        #expect(TextTable.truncated("Thành phố Hải Phòng", toWidth: 10) == "Thành phố…")
    }

    @Test("A table with NFD, NFC and wide cells lines up")
    func tableAlignment() {
        var table = TextTable(columns: [.init("Tên"), .init("Giá trị", alignment: .right)])
        table.append(["Đồ Sơn", "1"])
        table.append(["Đồ Sơn".decomposedStringWithCanonicalMapping, "22"])
        table.append(["海防", "333"])
        let lines = table.rendered().split(separator: "\n").map(String.init)
        #expect(Set(lines.map(TextTable.displayWidth(of:))).count == 1)
        #expect(lines[0] == "Tên     Giá trị")
        #expect(lines[2] == "Đồ Sơn        1")
    }
}
