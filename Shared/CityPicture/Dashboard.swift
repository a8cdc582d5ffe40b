import Foundation
import PlanAnalysis

/// The leadership dashboard (bảng điều hành): one server-rendered HTML page in Vietnamese with SVG trend charts, no
/// scripts, readable on a phone and printable.
struct Dashboard {
    var picture: Picture

    /// The agencies with overdue or blocked tasks shown, the most overdue first.
    static let laggingRows = 12

    func html() -> String {
        let p = picture
        var page = HTMLPage.head(title: "Tình hình thực hiện kế hoạch \(p.month)/\(p.year) — \(p.orgUnitName)")
        page += "<header><h1>Tình hình thực hiện Chỉ thị \(HTML.escape(p.directiveID))</h1>"
        page += "<p class=\"sub\">\(HTML.escape(p.orgUnitName)) · tháng \(p.month)/\(p.year) · phiên bản chỉ thị \(p.directiveRevision)</p>"
        if p.containsDemoData {
            page += "<p class=\"demo\" role=\"note\">Có số liệu minh họa (demo) — không phải số liệu chính thức.</p>"
        }
        page += unitSelector()
        page += "</header><main>"
        page += targetsTable()
        page += tasksSection()
        page += projectsSection()
        page += complianceSection()
        page += "</main>"
        page += "<footer>Nguồn: các sở, ngành báo cáo qua PlanMonitor; mỗi số liệu ghi rõ thông điệp, cơ quan và thời điểm nhận (xem <a href=\"/api/picture?month=\(p.year)-\(String(format: "%02d", p.month))&amp;unit=\(p.orgUnitCode)\">API</a>).</footer>"
        return page + HTMLPage.tail
    }

    private func unitSelector() -> String {
        let month = String(format: "%04d-%02d", picture.year, picture.month)
        var html = "<form class=\"selector\" method=\"get\" action=\"/\"><label>Địa bàn <select name=\"unit\" id=\"unit\">"
        for unit in picture.units {
            html += "<option value=\"\(unit.code)\"\(unit.code == picture.orgUnitCode ? " selected" : "")>\(HTML.escape(unit.name))</option>"
        }
        html += "</select></label> <label>Tháng <input type=\"month\" name=\"month\" value=\"\(month)\"></label> <button type=\"submit\">Xem</button></form>"
        return html
    }

    private func targetsTable() -> String {
        var html = "<section><h2>Các chỉ tiêu chủ yếu</h2><div class=\"scroll\"><table id=\"targets\"><thead><tr>"
        html += "<th>Số</th><th>Chỉ tiêu</th><th>Kế hoạch</th><th>Thực hiện</th><th>Tiến độ</th><th>Trạng thái</th><th>Dự báo cuối năm</th><th>Xu hướng</th></tr></thead><tbody>"
        for target in picture.targets {
            let latest = target.latest.map { "\($0.valueText) \(HTML.escape(target.unitText))\($0.estimate ? " <small>(ước)</small>" : "")<br><small>\(HTML.escape(PeriodLabel.vietnamese($0.period)))</small>" } ?? "<span class=\"none\">Chưa có số liệu</span>"
            let progress = target.progressRatio.map { NumberStyle.vietnamese.format($0 * 100, maximumFractionDigits: 1) + "%" } ?? "—"
            let forecast = target.forecast.map {
                "\(NumberStyle.vietnamese.format($0.yearEnd)) <small>(\(NumberStyle.vietnamese.format($0.low))–\(NumberStyle.vietnamese.format($0.high)); khả năng đạt \(NumberStyle.vietnamese.format($0.probabilityOfMeeting * 100, maximumFractionDigits: 0))%)</small>"
            } ?? "—"
            html += "<tr data-target=\"\(target.code)\" data-status=\"\(target.status)\"><td>\(target.subTargetCode.isEmpty ? "(\(target.number))" : target.code)</td>"
            html += "<td>\(HTML.escape(target.nameVi))</td><td>\(HTML.escape(target.planText))</td><td class=\"num\" data-value=\"\(target.latest.map { String($0.value) } ?? "")\">\(latest)</td>"
            html += "<td class=\"num\">\(progress)</td><td><span class=\"status \(target.status)\" title=\"\(HTML.escape(target.reasonVi))\">\(HTML.escape(target.statusVi))</span></td>"
            html += "<td class=\"num\">\(forecast)</td><td>\(Sparkline(points: target.series.map { (Int($0.month), $0.value) }).svg())</td></tr>"
        }
        return html + "</tbody></table></div></section>"
    }

    private func tasksSection() -> String {
        let tasks = picture.tasks
        var html = "<section><h2>Nhiệm vụ</h2><p>\(tasks.total) nhiệm vụ; đã báo cáo \(tasks.reported), hoàn thành \(tasks.done), vướng mắc \(tasks.blocked), quá hạn \(tasks.overdue.count).</p>"
        let lagging = tasks.byAgency.filter { $0.overdue > 0 || $0.blocked > 0 }
        if lagging.isEmpty {
            html += "<p class=\"none\">Không có nhiệm vụ quá hạn hay vướng mắc.</p>"
        } else {
            html += "<div class=\"scroll\"><table id=\"overdue\"><thead><tr><th>Cơ quan chủ trì</th><th>Quá hạn</th><th>Vướng mắc</th><th>Hoàn thành / tổng</th></tr></thead><tbody>"
            for agency in lagging.prefix(Self.laggingRows) {
                html += "<tr><td>\(HTML.escape(agency.agencyName))</td><td class=\"num\">\(agency.overdue)</td><td class=\"num\">\(agency.blocked)</td><td class=\"num\">\(agency.done)/\(agency.total)</td></tr>"
            }
            html += "</tbody></table></div>"
            if lagging.count > Self.laggingRows {
                html += "<p class=\"none\">… và \(lagging.count - Self.laggingRows) cơ quan khác (xem <a href=\"/api/picture?month=\(picture.year)-\(String(format: "%02d", picture.month))&amp;unit=\(picture.orgUnitCode)\">API</a>).</p>"
            }
        }
        return html + "</section>"
    }

    private func projectsSection() -> String {
        let atRisk = picture.projects.filter { !$0.warnings.isEmpty }
        var html = "<section><h2>Công trình trọng điểm có nguy cơ chậm</h2>"
        if picture.projects.isEmpty {
            html += "<p class=\"none\">Chưa có số liệu từ ngành hạ tầng.</p>"
        } else if atRisk.isEmpty {
            html += "<p>Không có cảnh báo.</p>"
        } else {
            html += "<ul id=\"projects\">" + atRisk.map { "<li><strong>\(HTML.escape($0.title))</strong>: \(HTML.escape($0.warnings.joined(separator: "; ")))</li>" }.joined() + "</ul>"
        }
        return html + "</section>"
    }

    private func complianceSection() -> String {
        let compliance = picture.compliance
        var html = "<section><h2>Chế độ báo cáo tháng \(picture.month)/\(picture.year)</h2>"
        guard !compliance.deadline.isEmpty else { return html + "<p class=\"none\">Chỉ thị không quy định hạn báo cáo tháng.</p></section>" }
        html += "<p>Hạn gửi: ngày \(compliance.deadlineDay) hằng tháng. Đúng hạn \(compliance.onTime), muộn \(compliance.late), chưa gửi \(compliance.missing).</p>"
        html += "<div class=\"scroll\"><table id=\"compliance\"><thead><tr><th>#</th><th>Cơ quan</th><th>Tình trạng</th><th>Số tháng đúng hạn</th></tr></thead><tbody>"
        for row in compliance.agencies {
            html += "<tr data-agency=\"\(row.agencyCode)\"><td class=\"num\">\(row.rank)</td><td>\(HTML.escape(row.agencyName))</td><td><span class=\"report \(row.status)\">\(HTML.escape(row.statusVi))\(row.daysLate > 0 ? " \(row.daysLate) ngày" : "")</span></td><td class=\"num\">\(row.onTimeMonths)</td></tr>"
        }
        return html + "</tbody></table></div></section>"
    }
}

/// A small trend chart: the figures by month as a polyline over the year.
struct Sparkline {
    var points: [(month: Int, value: Double)]
    var width = 120.0
    var height = 32.0

    func svg() -> String {
        guard !points.isEmpty else { return "<svg class=\"spark\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Chưa có số liệu\"></svg>" }
        let values = points.map(\.value)
        let low = min(values.min() ?? 0, 0)
        let high = max(values.max() ?? 1, low + 1e-9)
        func x(_ month: Int) -> Double { 4 + (width - 8) * Double(month - 1) / 11 }
        func y(_ value: Double) -> Double { height - 4 - (height - 8) * (value - low) / (high - low) }
        let path = points.map { String(format: "%.1f,%.1f", x($0.month), y($0.value)) }.joined(separator: " ")
        let dots = points.map { String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\"/>", x($0.month), y($0.value)) }.joined()
        let label = points.map { "T\($0.month): \(NumberStyle.vietnamese.format($0.value))" }.joined(separator: ", ")
        return "<svg class=\"spark\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(label))\"><polyline points=\"\(path)\"/>\(dots)</svg>"
    }
}

/// Period keys in Vietnamese words.
enum PeriodLabel {
    static func vietnamese(_ key: String) -> String {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return key }
        let body = parts[1]
        // Exact days ("month:2018-04:2018-04-01..2018-04-30") qualify only a cumulative period's label.
        let nominal = String(body.prefix { $0 != ":" })
        switch parts[0] {
        case "cumulative":
            if let exact = body.split(separator: ":").dropFirst().first, let last = exact.split(separator: ".").last {
                let day = last.split(separator: "-")
                if day.count == 3 { return "lũy kế đến \(day[2])/\(day[1])/\(day[0])" }
            }
            let pieces = body.split(separator: "-")
            if pieces.count >= 2, let through = Int(pieces[1].split(separator: ".").last ?? "") {
                return "lũy kế \(through) tháng \(pieces[0])"
            }
            return "lũy kế \(body)"
        case "half-year": return nominal.hasSuffix("H1") ? "6 tháng đầu năm \(nominal.prefix(4))" : "6 tháng cuối năm \(nominal.prefix(4))"
        case "month": return "tháng \(nominal.suffix(2))/\(nominal.prefix(4))"
        case "quarter": return "quý \(nominal.suffix(1))/\(nominal.prefix(4))"
        case "year": return "năm \(nominal.prefix(4))"
        case "day": return "ngày \(body)"
        default: return key
        }
    }
}

/// Escaping and the page frame shared by the dashboard and the briefing.
enum HTML {
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

enum HTMLPage {
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <style>
        body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:12px;color:#1b1b1b;line-height:1.4}
        h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:2px solid #c62828;padding-bottom:.2rem}
        .sub{color:#555;margin:.2rem 0}.demo{background:#fff3cd;border:1px solid #e0b000;padding:.4rem .6rem;font-weight:bold}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.35rem .4rem;text-align:left;vertical-align:top}
        th{background:#f4f4f4}#targets td:nth-child(2){min-width:13em}#targets td:nth-child(4){min-width:8em}#targets td:nth-child(7) small{display:block}.num{text-align:right;white-space:nowrap}.scroll{overflow-x:auto}.none{color:#777}
        .status,.report{display:inline-block;padding:.1rem .45rem;border-radius:.6rem;font-size:.8rem;white-space:nowrap}
        .met,.on_time{background:#1b5e20;color:#fff}.onTrack{background:#43a047;color:#fff}.atRisk{background:#f9a825;color:#000}
        .offTrack,.late{background:#e65100;color:#fff}.missed,.missing{background:#b71c1c;color:#fff}.noData,.not_due,.noPlan{background:#9e9e9e;color:#fff}
        svg.spark polyline{fill:none;stroke:#1565c0;stroke-width:1.5}svg.spark circle{fill:#1565c0}
        .selector{margin:.6rem 0}.selector select,.selector input,.selector button{font-size:1rem;margin:.2rem}
        footer{margin-top:2rem;font-size:.8rem;color:#666}
        @media (max-width:640px){th:nth-child(3),td:nth-child(3),th:nth-child(7),td:nth-child(7){display:none}}
        @media print{.selector{display:none}body{max-width:none}a{color:inherit;text-decoration:none}}
        </style></head><body>
        """
    }

    static let tail = "</body></html>\n"
}
