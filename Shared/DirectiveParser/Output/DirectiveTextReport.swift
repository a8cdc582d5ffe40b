extension Directive {
    /// A plain-text summary for a Vietnamese reader: the header, a table of targets and sub-targets (number, name,
    /// comparator, value, unit, basis), a table of sections with their block and task counts, and the totals.
    /// Columns line up on a terminal whatever the diacritics.
    public func plainTextReport() -> String {
        var report: [String] = []
        report.append("CHỈ THỊ NĂM \(year) — \(issuer.name)")
        report.append(title)
        if let theme {
            report.append("Chủ đề năm: “\(theme)”")
        }

        var targetTable = TextTable(columns: [
            .init("Số"), .init("Chỉ tiêu", maximumWidth: 56), .init("So sánh"), .init("Giá trị", alignment: .right),
            .init("Đơn vị"), .init("Cơ sở so sánh"),
        ])
        func append(_ label: String, _ name: String, _ measure: Measure?) {
            guard let measure else {
                targetTable.append([label, name, "", "", "", ""])
                return
            }
            targetTable.append([
                label, name, measure.comparatorText.isEmpty ? "—" : measure.comparatorText,
                Self.vietnameseValue(measure.value), measure.unit.text, measure.basis.vietnameseLabel,
            ])
        }
        for target in targets {
            append("(\(target.number))", target.name, target.measure)
            for subTarget in target.subTargets {
                append("  \(subTarget.id)", "  " + subTarget.name, subTarget.measure)
            }
        }
        report.append("")
        report.append("CÁC CHỈ TIÊU CHỦ YẾU")
        report.append(targetTable.rendered())

        var sectionTable = TextTable(columns: [
            .init("Mục"), .init("Nội dung", maximumWidth: 64), .init("Khối chủ trì", alignment: .right),
            .init("Nhiệm vụ", alignment: .right),
        ])
        for section in sections {
            sectionTable.append([
                section.numeral, section.title, String(blocks(inSection: section.number).count),
                String(tasks(inSection: section.number).count),
            ])
        }
        report.append("")
        report.append("NHIỆM VỤ, GIẢI PHÁP THEO MỤC")
        report.append(sectionTable.rendered())

        let dated = tasks.filter { !$0.timing.isDefaulted }.count
        report.append("")
        report.append("Số chỉ tiêu: \(targets.count)")
        report.append("Số mục: \(sections.count)")
        report.append("Số khối đơn vị chủ trì: \(blocks.count)")
        report.append("Số nhiệm vụ: \(tasks.count) (có thời hạn cụ thể: \(dated); mặc định cuối năm: \(tasks.count - dated))")
        report.append("Số mốc báo cáo: \(reportingCalendar.count)")
        return report.joined(separator: "\n") + "\n"
    }

    private static func vietnameseValue(_ value: TargetValue) -> String {
        switch value {
        case .exact(let amount): VietnameseNumber.format(amount)
        case .range(let low, let high): "\(VietnameseNumber.format(low)) - \(VietnameseNumber.format(high))"
        }
    }
}

extension MeasureBasis {
    /// A short Vietnamese label, e.g. "tăng so với năm trước".
    public var vietnameseLabel: String {
        switch self {
        case .growthOverPreviousYear: "tăng so với năm trước"
        case .level: "mức đạt"
        case .cumulativeAmountForYear: "tổng cả năm"
        case .changeInPercentagePoints: "thay đổi (điểm %)"
        case .count: "số lượng"
        }
    }
}
