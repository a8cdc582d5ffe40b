/// A numbered item ("5. …") or lettered sub-item ("a) …") of Part Two.
struct PartTwoItem {
    /// "5", or "2.a" for a sub-item.
    let item: String
    /// The text as written, continuation lines joined with a space.
    var text: String
    let line: Int
    /// The text of the numbered item a sub-item belongs to.
    let parentText: String?
}

/// Reads the reporting deadlines out of the items of Part Two.
///
/// An item with "vào ngày N hàng tháng" is a monthly report (and a quarterly one when it says "hàng quý"); an item with
/// "trước ngày d/m/yyyy" is the year-end review when it says "tổng kết", the next directive's draft when it says
/// "xây dựng Chỉ thị", the action plan when it says "kế hoạch" or "chương trình hành động". Reporters are the agencies
/// named before the item's first verb (the parent item's when none); recipients those named after "gửi"/"báo cáo".
struct ReportingCalendarReader {
    let agencies: AgencyRegistry

    func obligations(in items: [PartTwoItem]) -> [ReportingObligation] {
        items.flatMap(obligations(of:))
    }

    private func obligations(of item: PartTwoItem) -> [ReportingObligation] {
        let key = MatchingKey(item.text)
        func says(_ phrase: String) -> Bool { key.containsWord(MatchingKey(phrase)) }
        func obligation(_ kind: ReportKind, _ recurrence: ReportRecurrence, day: Int, date: CalendarDay?) -> ReportingObligation {
            ReportingObligation(
                kind: kind, recurrence: recurrence, dayOfMonth: day, date: date, reporters: reporters(of: item),
                recipients: recipients(in: item.text), item: item.item, text: item.text, line: item.line)
        }

        if let monthly = Self.monthlyDay.firstMatch(in: item.text), let day = monthly[1].flatMap({ Int($0) }) {
            var found = [obligation(.monthlyReport, .monthly, day: day, date: nil)]
            if says("hàng quý") || says("cuối quý") {
                found.append(obligation(.quarterlyReport, .quarterly, day: day, date: nil))
            }
            return found
        }
        guard let dated = Self.deadline.firstMatch(in: item.text),
            let day = dated[1].flatMap({ Int($0) }), let month = dated[2].flatMap({ Int($0) }),
            let year = dated[3].flatMap({ Int($0) }), let date = CalendarDay(year: year, month: month, day: day)
        else { return [] }
        let kind: ReportKind
        if says("tổng kết") {
            kind = .yearEndReview
        } else if says("xây dựng Chỉ thị") {
            kind = .nextDirectiveDraft
        } else if says("chương trình hành động") || says("kế hoạch") {
            kind = .actionPlan
        } else {
            return []
        }
        return [obligation(kind, .once, day: day, date: date)]
    }

    /// The agencies named before the item's first verb, or before its parent's when the item names none there.
    private func reporters(of item: PartTwoItem) -> [AgencyReference] {
        let own = subjectMentions(in: item.text)
        guard own.isEmpty, let parentText = item.parentText else { return own }
        return subjectMentions(in: parentText)
    }

    private func subjectMentions(in text: String) -> [AgencyReference] {
        let subjectEnd = Self.firstVerb.firstMatch(in: text).map { text.distance(from: text.startIndex, to: $0.range.lowerBound) }
        return unique(agencies.mentions(in: text).filter { $0.offset < subjectEnd ?? Int.max }.map(\.reference))
    }

    /// The agencies named after the first "gửi" (send to) or "báo cáo" (report to), in order.
    private func recipients(in text: String) -> [AgencyReference] {
        guard let marker = Self.recipientMarker.firstMatch(in: text) else { return [] }
        let start = text.distance(from: text.startIndex, to: marker.range.upperBound)
        return unique(agencies.mentions(in: text).filter { $0.offset >= start }.map(\.reference))
    }

    private func unique(_ references: [AgencyReference]) -> [AgencyReference] {
        var seen = Set<AgencyReference>()
        return references.filter { seen.insert($0).inserted }
    }

    private static let monthlyDay = Pattern(#"vào\s+ngày\s+(\d{1,2})\s+hàng\s+tháng"#)
    private static let deadline = Pattern(#"(?:trước|vào)\s+ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})"#)
    private static let recipientMarker = Pattern(#"(?:^|\s)(?:gửi|báo\s+cáo)\s"#)
    /// The verbs that end the subject of a Part Two item.
    private static let firstVerb = Pattern(
        #"(?:^|\s)(?:quán\s+triệt|có\s+trách\s+nhiệm|tổng\s+hợp|gửi|báo\s+cáo|phối\s+hợp|thực\s+hiện|ban\s+hành|đánh\s+giá|phân\s+công|đề\s+nghị|theo\s+dõi)(?![\p{L}])"#
    )
}
