/// The verdict on one target at one month. See `TargetAssessment` for the rules.
public enum TargetStatus: String, Sendable, CaseIterable {
    /// The target is met: at year end, or earlier for a total or count that has already reached its floor.
    case met
    /// On schedule to meet the target.
    case onTrack
    /// Slightly behind schedule or drifting away: could still be met, needs attention.
    case atRisk
    /// Well behind schedule.
    case offTrack
    /// The target was not met at year end, or can no longer be met (a total already above its ceiling).
    case missed
    /// No figure has been reported yet.
    case noData

    /// The Vietnamese label, as shown to officials.
    public var labelVi: String {
        switch self {
        case .met: "Đã đạt"
        case .onTrack: "Đúng tiến độ"
        case .atRisk: "Có nguy cơ"
        case .offTrack: "Chậm tiến độ"
        case .missed: "Không đạt"
        case .noData: "Chưa có số liệu"
        }
    }

    /// The English label.
    public var labelEn: String {
        switch self {
        case .met: "Met"
        case .onTrack: "On track"
        case .atRisk: "At risk"
        case .offTrack: "Off track"
        case .missed: "Missed"
        case .noData: "No data"
        }
    }

    /// How bad the verdict is, for picking the worse of two ends of a range: met < on track < at risk < off track < missed.
    var severity: Int {
        switch self {
        case .met: 0
        case .onTrack: 1
        case .atRisk: 2
        case .offTrack: 3
        case .missed: 4
        case .noData: 5
        }
    }
}
