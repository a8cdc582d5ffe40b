import Foundation
import PlanAnalysis

/// The monthly briefing for the People's Committee (báo cáo tình hình thực hiện kế hoạch tháng), in the usual outline:
/// I. the targets, II. by sector with what changed since last month, III. overdue tasks by agency, IV. reporting
/// compliance, V. risks and recommendations (rules, each naming the figures it rests on). As Markdown and as HTML.
struct Briefing {
    var picture: Picture
    /// Last month's picture, for "what changed"; nil in January.
    var previous: Picture?

    /// The sectors of part II, by the department service that reports their targets.
    static let sectors: [(service: String, title: String)] = [
        ("budget", "Thu, chi ngân sách"), ("investment", "Tăng trưởng, đầu tư và phát triển kinh tế"),
        ("infrastructure", "Kết cấu hạ tầng và công trình trọng điểm"), ("social", "Văn hóa - xã hội, lao động, môi trường"),
        ("security", "Quốc phòng - an ninh"),
    ]

    /// A block of the document, rendered to either format.
    enum Block {
        case heading(Int, String)
        case paragraph(String)
        case table(header: [String], rows: [[String]])
        case list([String])
    }

    /// The document's blocks, in order.
    func blocks() -> [Block] {
        let p = picture
        var blocks: [Block] = [
            .heading(1, "BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI THÁNG \(p.month)/\(p.year)"),
            .paragraph("\(p.orgUnitName) — theo Chỉ thị \(p.directiveID) (phiên bản \(p.directiveRevision)). Số liệu tổng hợp tự động từ báo cáo của các sở, ngành, địa phương qua PlanMonitor."),
        ]
        if p.containsDemoData { blocks.append(.paragraph("LƯU Ý: báo cáo có số liệu minh họa (demo), không phải số liệu chính thức.")) }

        blocks.append(.heading(2, "I. CÁC CHỈ TIÊU CHỦ YẾU"))
        blocks.append(.table(
            header: ["Chỉ tiêu", "Kế hoạch", "Thực hiện lũy kế", "% kế hoạch", "Đánh giá", "Dự báo cả năm"],
            rows: p.targets.map { target in
                [
                    "\(target.subTargetCode.isEmpty ? "(\(target.number))" : target.code) \(target.nameVi)", target.planText,
                    target.latest.map { "\($0.valueText) \(target.unitText) (\(PeriodLabel.vietnamese($0.period)))" } ?? "chưa có số liệu",
                    Self.percentOfPlan(target), target.statusVi,
                    target.forecast.map { "\(NumberStyle.vietnamese.format($0.yearEnd)) \(target.unitText) (khả năng đạt \(NumberStyle.vietnamese.format($0.probabilityOfMeeting * 100, maximumFractionDigits: 0))%)" } ?? "—",
                ]
            }))

        blocks.append(.heading(2, "II. TÌNH HÌNH CÁC LĨNH VỰC"))
        for (index, sector) in Self.sectors.enumerated() {
            blocks.append(.heading(3, "\(index + 1). \(sector.title)"))
            let targets = p.targets.filter { $0.ownerService == sector.service }
            let withData = targets.filter { $0.latest != nil }
            if targets.isEmpty {
                blocks.append(.paragraph("Lĩnh vực không có chỉ tiêu định lượng trong chỉ thị."))
            } else if withData.isEmpty {
                blocks.append(.paragraph("Chưa có số liệu của lĩnh vực này."))
            } else {
                blocks.append(.list(withData.map { target in
                    "\(target.nameVi): \(target.reasonVi)\(change(of: target).map { " \($0)" } ?? "")"
                }))
            }
        }

        blocks.append(.heading(2, "III. NHIỆM VỤ QUÁ HẠN THEO CƠ QUAN CHỦ TRÌ"))
        let lagging = p.tasks.byAgency.filter { $0.overdue > 0 }
        if lagging.isEmpty {
            blocks.append(.paragraph("Không có nhiệm vụ quá hạn. Tổng số \(p.tasks.total) nhiệm vụ, đã báo cáo \(p.tasks.reported), hoàn thành \(p.tasks.done), vướng mắc \(p.tasks.blocked)."))
        } else {
            blocks.append(.table(header: ["Cơ quan chủ trì", "Quá hạn", "Vướng mắc", "Hoàn thành / tổng"], rows: lagging.map {
                [$0.agencyName, String($0.overdue), String($0.blocked), "\($0.done)/\($0.total)"]
            }))
            blocks.append(.list(p.tasks.overdue.map { "\($0.key) (hạn \($0.dueDate), \($0.statusVi.lowercased())): \(Self.shorten($0.text))" }))
        }

        blocks.append(.heading(2, "IV. CHẾ ĐỘ BÁO CÁO"))
        if p.compliance.deadline.isEmpty {
            blocks.append(.paragraph("Chỉ thị không quy định hạn báo cáo tháng."))
        } else {
            blocks.append(.paragraph("Hạn gửi báo cáo tháng \(p.month): ngày \(p.compliance.deadlineDay)/\(p.month)/\(p.year). Đúng hạn: \(p.compliance.onTime); muộn: \(p.compliance.late); chưa gửi: \(p.compliance.missing)."))
            let remind = p.compliance.agencies.filter { p.compliance.toRemind.contains($0.agencyCode) }
            if !remind.isEmpty {
                blocks.append(.list(remind.map { "\($0.agencyName): \($0.statusVi.lowercased())\($0.daysLate > 0 ? " \($0.daysLate) ngày" : "")" }))
            }
        }

        blocks.append(.heading(2, "V. RỦI RO VÀ KIẾN NGHỊ"))
        let risks = recommendations()
        blocks.append(risks.isEmpty ? .paragraph("Chưa phát hiện rủi ro từ số liệu hiện có.") : .list(risks))
        return blocks
    }

    /// Rule-based risks and recommendations, each naming the figures it rests on.
    func recommendations() -> [String] {
        var items: [String] = []
        for target in picture.targets where target.status == "offTrack" || target.status == "atRisk" || target.status == "missed" {
            let level = target.status == "atRisk" ? "có nguy cơ không đạt" : "chậm so với tiến độ"
            let forecast = target.forecast.map { " Dự báo cả năm \(NumberStyle.vietnamese.format($0.yearEnd)) \(target.unitText), khả năng đạt \(NumberStyle.vietnamese.format($0.probabilityOfMeeting * 100, maximumFractionDigits: 0))%." } ?? ""
            items.append("Chỉ tiêu \(target.code) \(target.nameVi) \(level): \(target.reasonVi)\(forecast) Đề nghị ngành \(Self.serviceVi(target.ownerService)) rà soát, có giải pháp đẩy nhanh tiến độ.")
        }
        let missingData = picture.targets.filter { $0.status == "noData" }
        if !missingData.isEmpty {
            items.append("\(missingData.count) chỉ tiêu chưa có số liệu (\(missingData.map(\.code).joined(separator: ", "))): đề nghị các cơ quan chủ trì báo cáo số liệu.")
        }
        let overdue = picture.tasks.overdue.count
        if overdue > 0 { items.append("\(overdue) nhiệm vụ quá hạn chưa hoàn thành: đề nghị cơ quan chủ trì báo cáo nguyên nhân và thời hạn hoàn thành.") }
        if !picture.compliance.toRemind.isEmpty {
            items.append("\(picture.compliance.missing) cơ quan chưa gửi và \(picture.compliance.late) cơ quan gửi muộn báo cáo tháng \(picture.month): đề nghị Văn phòng UBND thành phố nhắc nhở.")
        }
        for project in picture.projects where !project.warnings.isEmpty {
            items.append("Công trình \(project.title): \(project.warnings.joined(separator: "; ")).")
        }
        return items
    }

    /// What changed since last month for a target, in words.
    func change(of target: TargetPicture) -> String? {
        guard let previous, let before = previous.targets.first(where: { $0.code == target.code }) else { return nil }
        if before.status != target.status { return "(Tháng trước: \(before.statusVi.lowercased()).)" }
        if let old = before.latest, let new = target.latest, old.value != new.value, old.period != new.period {
            return "(Tháng trước: \(old.valueText) \(target.unitText).)"
        }
        return nil
    }

    static func percentOfPlan(_ target: TargetPicture) -> String {
        guard let latest = target.latest, target.basis == "cumulativeAmount" || target.basis == "count", let plan = target.planValue, plan > 0
        else { return "—" }
        return NumberStyle.vietnamese.format(latest.value / plan * 100, maximumFractionDigits: 1) + "%"
    }

    static func serviceVi(_ service: String) -> String {
        switch service {
        case "budget": "tài chính - ngân sách"
        case "investment": "kế hoạch - đầu tư"
        case "infrastructure": "giao thông - xây dựng"
        case "social": "văn hóa - xã hội"
        case "security": "quốc phòng - an ninh"
        default: service
        }
    }

    static func shorten(_ text: String, limit: Int = 160) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    // MARK: Rendering

    func markdown() -> String {
        var lines: [String] = []
        for block in blocks() {
            switch block {
            case .heading(let level, let text): lines.append(String(repeating: "#", count: level) + " " + text)
            case .paragraph(let text): lines.append(text)
            case .table(let header, let rows):
                func row(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
                lines.append(([row(header), "|" + String(repeating: " --- |", count: header.count)] + rows.map(row)).joined(separator: "\n"))
            case .list(let items): lines.append(items.map { "- " + $0 }.joined(separator: "\n"))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    func html() -> String {
        var page = HTMLPage.head(title: "Báo cáo tháng \(picture.month)/\(picture.year) — \(picture.orgUnitName)")
        page += "<main class=\"briefing\">"
        for block in blocks() {
            switch block {
            case .heading(let level, let text): page += "<h\(level)>\(HTML.escape(text))</h\(level)>"
            case .paragraph(let text): page += "<p>\(HTML.escape(text))</p>"
            case .table(let header, let rows):
                page += "<table><thead><tr>" + header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
                page += rows.map { "<tr>" + $0.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
            case .list(let items): page += "<ul>" + items.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
            }
        }
        return page + "</main>" + HTMLPage.tail
    }
}
