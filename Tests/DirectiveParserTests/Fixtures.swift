import Foundation
import Testing

@testable import DirectiveParser

/// The reference texts and small synthetic directives the tests read.
enum Fixtures {
    /// The 2018 Hai Phong directive, from the repository (resolved relative to this file).
    static let directive2018URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Shared/ReferenceData/directive/chi-thi-2018-hai-phong.txt")

    /// The GSO org-units list the district catalogue is copied from.
    static let orgUnitsURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Shared/ReferenceData/data/org-units-hai-phong-2018.csv")

    static func data2018() throws -> Data {
        try Data(contentsOf: directive2018URL)
    }

    static func text2018() throws -> String {
        try #require(String(data: data2018(), encoding: .utf8))
    }

    /// The 2018 text with `replacement` instead of the one occurrence of `original`.
    static func text2018(replacing original: String, with replacement: String) throws -> String {
        let text = try text2018()
        try #require(text.components(separatedBy: original).count == 2, "“\(original)” must occur exactly once")
        return text.replacingOccurrences(of: original, with: replacement)
    }
}

/// The 2018 directive, parsed once for all tests.
private let parsed2018 = Result { try DirectiveTextParser().parse(Fixtures.data2018()) }

func directive2018() throws -> Directive {
    try parsed2018.get()
}

/// A decimal from its plain spelling ("2.75"), so expectations are exact.
func decimal(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}

/// A small directive assembled from parts, to show the parser is not tied to the 2018 file.
struct SyntheticDirective {
    var headerLines = ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG", "Số: 01/CT-UBND"]
    var year = 2019
    var themeLine = "Năm 2019 tiếp tục thực hiện Chủ đề năm “Năm chính quyền điện tử”. Một số chỉ tiêu chủ yếu là:"
    var targetLines = [
        "a) Các chỉ tiêu kinh tế:",
        "(1) Tốc độ tăng trưởng GRDP tăng từ 8% trở lên so với năm 2018;",
        "(2) Thu nội địa 21.000 tỷ đồng;",
        "b) Các chỉ tiêu xã hội:",
        "(3) Tỷ lệ hộ nghèo giảm 0,5 - 1,25%;",
        "c) Các chỉ tiêu môi trường:",
        "(4) Tỷ lệ chất thải rắn đô thị được thu gom đạt 98,5%.",
    ]
    var sections = [
        [
            "I. Tăng cường kỷ cương thu - chi ngân sách:",
            "1. Sở Tài chính chủ trì:",
            "- Trình dự toán ngân sách bổ sung trước ngày 15/03/2019.",
            "- Trong quý II/2019 hoàn thành rà soát các khoản chi thường xuyên.",
            "2. Ủy ban nhân dân các quận, huyện chủ trì:",
            "- Quản lý chặt chẽ chi tiêu ngân sách.",
        ],
        [
            "II. Phát triển văn hóa, xã hội:",
            "1. Sở Y tế, Sở Lao động, Thương binh và Xã hội chủ trì:",
            "Nâng cao chất lượng khám chữa bệnh, hoàn thành đề án trong tháng 6/2019.",
        ],
    ]
    var partTwoLines = [
        "1. Các Sở, ngành, quận, huyện trước ngày 20/01/2019 ban hành kế hoạch, chương trình hành động, gửi Sở Kế hoạch và Đầu tư tổng hợp.",
        "2. Các Sở, ngành, quận, huyện báo cáo tình hình thực hiện Chỉ thị gửi Sở Kế hoạch và Đầu tư vào ngày 25 hàng tháng.",
    ]

    var text: String {
        var lines = headerLines
        lines += [
            "CHỈ THỊ",
            "VỀ NHỮNG NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM \(year)",
            "",
            themeLine,
            "",
        ]
        lines += targetLines
        lines += ["", "Phần thứ nhất", "NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU NĂM \(year)"]
        lines += sections.joined()
        lines += ["Phần thứ hai", "TỔ CHỨC THỰC HIỆN"]
        lines += partTwoLines
        lines += ["", "Nơi nhận:", "- Như trên;", "- Lưu VT."]
        return lines.joined(separator: "\n")
    }

    func parse() throws -> Directive {
        try DirectiveTextParser().parse(text: text)
    }
}
