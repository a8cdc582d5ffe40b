import PlanContracts

/// The codes of the security service's enumerations, as CSV files write them, with their Vietnamese names and the
/// agencies whose records they are.
public enum SecurityVocabulary {
    /// Công an thành phố: cases and traffic accidents.
    public static let policeAgency = "city-police"
    /// Cảnh sát Phòng cháy và chữa cháy thành phố: fires and explosions.
    public static let firePoliceAgency = "fire-police"
    /// Bộ Chỉ huy Quân sự thành phố: conscription and drills.
    public static let militaryAgency = "military-command"

    /// The case categories: the enum, the codes a file may use (English, then Vietnamese), the Vietnamese name.
    public static let categories: [(category: Planmonitor_Security_V1_CaseCategory, codes: [String], nameVi: String)] = [
        (.criminal, ["criminal", "hình sự"], "phạm pháp hình sự"),
        (.economic, ["economic", "kinh tế"], "kinh tế, tham nhũng"),
        (.environmental, ["environmental", "môi trường"], "môi trường"),
        (.publicOrder, ["public-order", "trật tự xã hội"], "trật tự xã hội"),
        (.drugs, ["drugs", "ma túy"], "ma túy"),
        (.smuggling, ["smuggling", "buôn lậu"], "buôn lậu, gian lận thương mại"),
    ]

    /// "criminal, economic, …", for messages.
    public static var categoryCodes: String { categories.map { $0.codes[0] }.joined(separator: ", ") }

    /// The drill kinds: the enum, the codes a file may use, the Vietnamese name.
    public static let drillKinds: [(kind: Planmonitor_Security_V1_DrillKind, codes: [String], nameVi: String)] = [
        (.areaDefence, ["area-defence", "khu vực phòng thủ"], "diễn tập khu vực phòng thủ"),
        (.disasterResponse, ["disaster-response", "phòng chống thiên tai"], "diễn tập phòng chống thiên tai - tìm kiếm cứu nạn"),
        (.combatDefence, ["combat-defence", "chiến đấu phòng thủ"], "diễn tập chiến đấu phòng thủ"),
    ]

    /// "area-defence, disaster-response, combat-defence", for messages.
    public static var drillKindCodes: String { drillKinds.map { $0.codes[0] }.joined(separator: ", ") }
}
