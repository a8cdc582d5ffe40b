import DepartmentCore
import DirectiveParser
import PlanContracts
import SwiftProtobuf

/// GetYearToDate's answer of a department service, as `planctl records ytd` prints it (in Vietnamese).
protocol YearToDateReport: SwiftProtobuf.Message {
    /// The totals as text: a heading naming the unit, year and month, then the figures.
    var printed: String { get }
}

extension Planmonitor_Budget_V1_BudgetYearToDateResponse: YearToDateReport {
    /// Budget execution by classification (parents before their parts, indented) and the tax arrears.
    var printed: String {
        var table = TextTable(columns: [
            .init("Mã mục"), .init("Tên", maximumWidth: 48), .init("Dự toán (tỷ đồng)", alignment: .right),
            .init("Thực hiện (tỷ đồng)", alignment: .right), .init("% dự toán", alignment: .right),
            .init("Cùng kỳ năm trước (tỷ đồng)", alignment: .right), .init("% cùng kỳ", alignment: .right),
        ])
        for line in lines {
            let isPart = line.classificationCode.contains(".")
            table.append([
                line.classificationCode, (isPart ? "  " : "") + line.nameVi, line.estimate.amount, line.executed.amount,
                percentText(line.percentOfEstimate), line.samePeriodLastYear.amount, percentText(line.percentOfLastYear),
            ])
        }
        return [
            "Thu, chi ngân sách của đơn vị \(orgUnitCode) năm \(year), lũy kế đến tháng \(throughMonth)",
            table.rendered(),
            "Nợ thuế cuối tháng \(throughMonth): \(moneyText(arrearsStock)); đã thu hồi từ đầu năm: \(moneyText(arrearsRecovered))",
        ].joined(separator: "\n")
    }
}

extension Planmonitor_Investment_V1_InvestmentYearToDateResponse: YearToDateReport {
    /// Investment attracted and disbursed, projects and enterprises, one figure a line.
    var printed: String {
        [
            "Đầu tư và doanh nghiệp của đơn vị \(orgUnitCode) năm \(year), lũy kế đến tháng \(throughMonth)",
            "Vốn FDI thu hút: \(moneyText(fdiAttracted))",
            "  cấp mới: \(moneyText(fdiNewCapital))",
            "  điều chỉnh vốn: \(moneyText(fdiAdditionalCapital))",
            "Dự án FDI cấp mới: \(fdiProjectsCertified)",
            "Vốn đăng ký trong nước và PPP: \(moneyText(domesticRegistered))",
            "Dự án bị thu hồi giấy chứng nhận: \(projectsRevoked)",
            "Vốn FDI giải ngân: \(moneyText(fdiDisbursed))",
            "Doanh nghiệp thành lập mới: \(enterprisesRegistered)",
            "Doanh nghiệp giải thể: \(enterprisesDissolved)",
            "Doanh nghiệp đang hoạt động: \(enterprisesActive < 0 ? "chưa thống kê" : String(enterprisesActive))",
        ].joined(separator: "\n")
    }
}

extension Planmonitor_Infrastructure_V1_PublicInvestmentYearToDateResponse: YearToDateReport {
    /// Public-investment disbursement: the city's line, then one line per owner.
    var printed: String {
        var table = TextTable(columns: [
            .init("Chủ đầu tư", maximumWidth: 48), .init("Số dự án", alignment: .right), .init("Kế hoạch vốn (tỷ đồng)", alignment: .right),
            .init("Đã giải ngân (tỷ đồng)", alignment: .right), .init("% kế hoạch", alignment: .right),
        ])
        for summary in [city] + byOwner {
            table.append([
                summary.ownerNameVi, String(summary.projectCount), summary.capitalPlan.amount, summary.disbursed.amount,
                percentText(summary.percentOfPlan),
            ])
        }
        return "Giải ngân vốn đầu tư công năm \(year), lũy kế đến tháng \(throughMonth)\n" + table.rendered()
    }
}

extension Planmonitor_Social_V1_SocialYearToDateResponse: YearToDateReport {
    /// Jobs, training, assistance and insurance as label/value lines, then the latest rates as fractions and new
    /// rural development.
    var printed: String {
        var lines = [
            "Lao động, an sinh xã hội của đơn vị \(orgUnitCode) năm \(year), lũy kế đến tháng \(throughMonth)",
            "Giải quyết việc làm trong nước: \(jobsDomestic) người",
            "Xuất khẩu lao động: \(jobsLabourExport) người",
            "Tuyển sinh giáo dục nghề nghiệp: \(trainingEnrolled) người; tốt nghiệp: \(trainingGraduated) người",
            "Người được trợ giúp xã hội (tháng gần nhất): \(assistanceBeneficiaries)",
        ]
        for summary in insurance {
            let name = SocialMeasures.insuranceGroups.first { $0.group == summary.group }?.nameVi ?? "\(summary.group)"
            lines.append("Tham gia bảo hiểm y tế, \(name): \(summary.participants) người")
        }
        if !rates.isEmpty {
            var table = TextTable(columns: [
                .init("Chỉ tiêu"), .init("Tỷ lệ", maximumWidth: 60), .init("Tháng", alignment: .right), .init("Tử số", alignment: .right),
                .init("Mẫu số", alignment: .right), .init("%", alignment: .right), .init("Số quận, huyện", alignment: .right),
                .init("Đầu năm (%)", alignment: .right), .init("Thay đổi (điểm %)", alignment: .right),
            ])
            for rate in rates {
                let definition = SocialMeasures.rate(rate.measure)
                table.append([
                    rate.subTargetCode.isEmpty ? "(\(rate.targetNumber))" : "(\(rate.subTargetCode))", definition?.nameVi ?? "\(rate.measure)",
                    String(rate.month), rate.numerator, rate.denominator, rate.percent, String(rate.districts),
                    rate.startOfYearPercent, rate.changeInPoints,
                ])
            }
            lines.append(table.rendered())
        }
        if newRural.communesAssessed > 0 {
            lines.append(
                "Nông thôn mới: \(newRural.communesAssessed) xã được đánh giá, bình quân \(newRural.averageCriteria.isEmpty ? "—" : newRural.averageCriteria) tiêu chí/xã; "
                    + "\(newRural.communesMeetingAll) xã đạt đủ 19 tiêu chí, trong đó \(newRural.communesNewlyMeetingAll) xã mới đạt trong năm")
        }
        return lines.joined(separator: "\n")
    }
}

extension Planmonitor_Security_V1_SecurityYearToDateResponse: YearToDateReport {
    /// Cases by category, traffic accidents and fires against the same period of last year, conscription and drills.
    var printed: String {
        var table = TextTable(columns: [
            .init("Chỉ tiêu", maximumWidth: 60), .init("Năm nay", alignment: .right), .init("Cùng kỳ năm trước", alignment: .right),
            .init("Tăng, giảm", alignment: .right), .init("%", alignment: .right),
        ])
        func append(_ label: String, _ figure: Planmonitor_Security_V1_YearOnYear) {
            table.append([
                label, String(figure.thisYear), figure.lastYearRecorded ? String(figure.samePeriodLastYear) : "chưa có số liệu",
                figure.lastYearRecorded ? String(figure.change) : "", percentText(figure.percentChange),
            ])
        }
        for count in cases {
            let name = SecurityVocabulary.categories.first { $0.category == count.category }?.nameVi ?? "\(count.category)"
            append("Vụ \(name)", count.cases)
        }
        append("Tai nạn giao thông: số vụ", trafficCases)
        append("Tai nạn giao thông: số người chết", trafficDeaths)
        append("Tai nạn giao thông: số người bị thương", trafficInjuries)
        append("Cháy, nổ: số vụ", fireCases)
        append("Cháy, nổ: số người chết", fireDeaths)
        append("Cháy, nổ: số người bị thương", fireInjuries)
        var lines = [
            "An ninh, quốc phòng của đơn vị \(orgUnitCode) năm \(year), lũy kế đến tháng \(throughMonth) (số liệu tổng hợp)",
            table.rendered(),
            "Tai nạn giao thông giảm trên cả ba tiêu chí: \(trafficFellOnAllThree ? "có" : "không")",
            "Thiệt hại do cháy, nổ (ước tính): \(moneyText(fireDamage))",
            "Giao quân: \(conscriptionDelivered)/\(conscriptionQuota) công dân\(conscriptionPercent.isEmpty ? "" : " (\(conscriptionPercent)%)")",
        ]
        for drill in drills {
            let name = SecurityVocabulary.drillKinds.first { $0.kind == drill.kind }?.nameVi ?? "\(drill.kind)"
            lines.append("\(name.prefix(1).uppercased() + name.dropFirst()): \(drill.held)/\(drill.planned) cuộc\(drill.percent.isEmpty ? "" : " (\(drill.percent)%)")")
        }
        lines.append("Xã, phường, thị trấn đã diễn tập chiến đấu phòng thủ: \(communesDrilled)/\(communes)\(communesDrilledPercent.isEmpty ? "" : " (\(communesDrilledPercent)%)")")
        return lines.joined(separator: "\n")
    }
}

/// "12.34%"; empty when the service gives no percentage.
private func percentText(_ percent: String) -> String {
    percent.isEmpty ? "" : "\(percent)%"
}
