import PlanContracts

/// A budget classification: revenue by source, expenditure by kind and function. Codes are dotted paths; a parent's
/// figures are the sums of its leaves.
struct BudgetClassification: Sendable, Equatable {
    /// "domestic.taxes-fees".
    var code: String
    /// "Thuế, phí và lệ phí".
    var nameVi: String
    /// Revenue or expenditure.
    var direction: Planmonitor_Budget_V1_BudgetDirection

    /// The code of the parent, `nil` for a top-level code.
    var parentCode: String? {
        code.lastIndex(of: ".").map { String(code[..<$0]) }
    }

    /// The classification in the order reports list it (parents before their children).
    static let all: [BudgetClassification] = [
        .init(code: "domestic", nameVi: "Thu nội địa", direction: .revenue),
        .init(code: "domestic.taxes-fees", nameVi: "Thuế, phí và lệ phí", direction: .revenue),
        .init(code: "domestic.land", nameVi: "Tiền sử dụng đất, đấu giá quyền sử dụng đất", direction: .revenue),
        .init(code: "domestic.other", nameVi: "Thu nội địa khác", direction: .revenue),
        .init(code: "import-export", nameVi: "Thu từ hoạt động xuất khẩu, nhập khẩu", direction: .revenue),
        .init(code: "development-investment", nameVi: "Chi đầu tư phát triển", direction: .expenditure),
        .init(code: "recurrent", nameVi: "Chi thường xuyên", direction: .expenditure),
        .init(code: "recurrent.education-training", nameVi: "Chi giáo dục - đào tạo và dạy nghề", direction: .expenditure),
        .init(code: "recurrent.science-technology", nameVi: "Chi khoa học và công nghệ", direction: .expenditure),
        .init(code: "recurrent.health", nameVi: "Chi y tế, dân số và gia đình", direction: .expenditure),
        .init(code: "recurrent.social-security", nameVi: "Chi bảo đảm xã hội", direction: .expenditure),
        .init(code: "recurrent.economic", nameVi: "Chi các hoạt động kinh tế", direction: .expenditure),
        .init(code: "recurrent.environment", nameVi: "Chi bảo vệ môi trường", direction: .expenditure),
        .init(code: "recurrent.administration", nameVi: "Chi quản lý hành chính", direction: .expenditure),
        .init(code: "recurrent.defence-security", nameVi: "Chi quốc phòng, an ninh", direction: .expenditure),
        .init(code: "recurrent.other", nameVi: "Chi thường xuyên khác", direction: .expenditure),
    ]

    private static let byCode = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// The classification of `code`.
    static func named(_ code: String) -> BudgetClassification? { byCode[code] }

    /// True when no other code lies below it: execution is recorded on leaves only.
    var isLeaf: Bool { !Self.all.contains { $0.parentCode == code } }

    /// True when `code` is this classification or lies below it.
    func covers(_ other: String) -> Bool { other == code || other.hasPrefix(code + ".") }

    /// The leaf codes, for messages.
    static var leafCodes: [String] { all.filter(\.isLeaf).map(\.code) }
}

extension Planmonitor_Budget_V1_BudgetDirection {
    /// "revenue" / "expenditure".
    var code: String {
        switch self {
        case .revenue: "revenue"
        case .expenditure: "expenditure"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }
}
