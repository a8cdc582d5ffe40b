import Foundation
import Testing

@testable import DirectiveParser

@Suite("2018 directive: header and structure")
struct StructureTests {
    @Test("18 targets, 12 sections, 86 lead-agency blocks, 318 tasks")
    func counts() throws {
        let directive = try directive2018()
        #expect(directive.targets.count == 18)
        #expect(directive.sections.count == 12)
        #expect(directive.blocks.count == 86)
        #expect(directive.tasks.count == 318)
    }

    @Test("Counting rules: one task per dash line, one paragraph task where a block has no dash")
    func countingRules() throws {
        let directive = try directive2018()
        #expect(directive.tasks.filter { $0.form == .dashItem }.count == 317)
        let paragraphs = directive.tasks.filter { $0.form == .paragraph }
        #expect(paragraphs.map(\.line) == [466])
        #expect(paragraphs.first?.text.hasPrefix("Tiếp tục đổi mới, nâng cao chất lượng công tác thi đua, khen thưởng") == true)
        // Every block has at least one task, and no task comes from Part Two or the recipients list.
        for block in directive.blocks {
            #expect(directive.tasks.contains { $0.sectionNumber == block.sectionNumber && $0.blockNumber == block.number })
        }
        #expect(directive.tasks.allSatisfy { (55...469).contains($0.line) })
    }

    @Test("Header facts: year, title, theme, issuer derived from the body")
    func header() throws {
        let directive = try directive2018()
        #expect(directive.year == 2018)
        #expect(
            directive.title
                == "VỀ NHỮNG NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU CHỈ ĐẠO, ĐIỀU HÀNH THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI, QUỐC PHÒNG - AN NINH THÀNH PHỐ NĂM 2018"
        )
        #expect(directive.theme == "Tăng cường kỷ cương thu, chi ngân sách nhà nước - Cải thiện môi trường đầu tư kinh doanh")
        #expect(
            directive.issuer
                == Issuer(
                    name: "Ủy ban nhân dân thành phố Hải Phòng", localityKind: "thành phố", locality: "Hải Phòng",
                    localitySource: .bodyMentions))
    }

    @Test(
        "Sections: numeral, title, blocks and tasks",
        arguments: [
            (1, "I", "Tăng cường kỷ cương thu - chi ngân sách nhà nước", 53, 12, 42),
            (2, "II", "Đẩy mạnh cải cách hành chính, tăng cường kỷ luật, kỷ cương công vụ", 108, 5, 19),
            (
                3, "III", "Tiếp tục cải thiện môi trường đầu tư, kinh doanh, hỗ trợ và phát triển doanh nghiệp, đẩy mạnh thu hút đầu tư",
                133, 8, 24
            ),
            (
                4, "IV",
                "Xây dựng hệ thống kết cấu hạ tầng giao thông đồng bộ; xây dựng đô thị văn minh, hiện đại, mở rộng không gian đô thị", 166,
                7, 33
            ),
            (5, "V", "Phát triển giáo dục - đào tạo, khoa học - công nghệ, nâng cao chất lượng nguồn nhân lực", 207, 4, 19),
            (
                6, "VI",
                "Thúc đẩy tăng trưởng gắn với điều chỉnh cơ cấu kinh tế, đổi mới mô hình tăng trưởng một cách đồng bộ, toàn diện, nhất là các ngành và lĩnh vực trọng tâm, nâng cao hiệu quả và sức cạnh tranh nền kinh tế thành phố",
                231, 14, 50
            ),
            (
                7, "VII", "Quản lý tài nguyên và bảo vệ môi trường, chủ động phòng chống thiên tai, thích ứng với biến đổi khí hậu", 297, 7,
                20
            ),
            (
                8, "VIII",
                "Thực hiện hiệu quả việc xây dựng và phát triển văn hóa, con người, bảo đảm an sinh và phúc lợi xã hội, nâng cao đời sống nhân dân",
                325, 8, 36
            ),
            (9, "IX", "Nâng cao hiệu quả cải cách tư pháp, phòng, chống tham nhũng, lãng phí, giải quyết khiếu nại, tố cáo", 370, 5, 15),
            (10, "X", "Bảo đảm quốc phòng - an ninh; nâng cao hiệu quả công tác đối ngoại và hội nhập quốc tế, liên kết vùng", 391, 9, 39),
            (
                11, "XI",
                "Đẩy mạnh thông tin truyền thông, tạo đồng thuận xã hội; tăng cường quản lý nhà nước về công tác báo chí truyền thông", 440,
                4, 15
            ),
            (
                12, "XII",
                "Tổ chức triển khai thực hiện tốt Nghị quyết của Thành ủy, Hội đồng nhân dân; Thực hiện tốt Quy chế làm việc của Ủy ban nhân dân thành phố và quy chế phối hợp của cơ quan, đơn vị; phát động hiệu quả các phong trào thi đua thực hiện tốt nhiệm vụ năm 2018",
                460, 3, 6
            ),
        ])
    func section(number: Int, numeral: String, title: String, line: Int, blockCount: Int, taskCount: Int) throws {
        let directive = try directive2018()
        let section = try #require(directive.sections.first { $0.number == number })
        #expect(section == Section(number: number, numeral: numeral, title: title, line: line))
        #expect(directive.blocks(inSection: number).count == blockCount)
        #expect(directive.tasks(inSection: number).count == taskCount)
        #expect(directive.blocks(inSection: number).map(\.number) == Array(1...blockCount))
    }

    @Test("Task keys are unique and stable across parses")
    func taskKeys() throws {
        let directive = try directive2018()
        #expect(Set(directive.tasks.map(\.key)).count == directive.tasks.count)
        let again = try DirectiveTextParser().parse(text: Fixtures.text2018())
        #expect(again.tasks.map(\.key) == directive.tasks.map(\.key))
        let first = try #require(directive.tasks.first)
        #expect(first.key.hasPrefix("1|dept-finance|"))
        #expect(first.key.count == "1|dept-finance|".count + 16)
    }

    @Test("Text exact: Vietnamese kept as written, in NFC")
    func exactText() throws {
        let directive = try directive2018()
        let task = try #require(directive.tasks.first { $0.line == 258 })
        #expect(
            task.text
                == "Trong quý I/2018 hoàn thành và hạ thủy 13 tàu khai thác thủy sản và dịch vụ hậu cần thủy sản có tổng công suất máy chính trên 800 CV được đóng theo Nghị định 67/2014/NĐ-CP ngày 7/7/2014 của Chính phủ về một số chính sách phát triển thủy sản."
        )
        let everything = directive.tasks.map(\.text) + directive.targets.map(\.sourceText)
        #expect(everything.allSatisfy { $0 == $0.precomposedStringWithCanonicalMapping })
    }
}
