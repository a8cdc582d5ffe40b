import PlanContracts

/// What a rate measure is: the directive target it reports, how its numerator and denominator are named, and the
/// agency whose records it comes from.
public struct RateMeasureDefinition: Sendable {
    /// The measure.
    public var measure: Planmonitor_Social_V1_RateMeasure
    /// Its code in CSV files and messages: "poor-households".
    public var code: String
    /// The directive's target number.
    public var targetNumber: Int32
    /// The sub-target code ("13.b"), empty for a target without sub-targets.
    public var subTargetCode: String
    /// The rate's name: "tỷ lệ hộ nghèo".
    public var nameVi: String
    /// What the numerator counts: "hộ nghèo".
    public var numeratorVi: String
    /// What the denominator counts: "hộ dân".
    public var denominatorVi: String
    /// The agency (agencies.json code) that keeps the figures.
    public var agencyCode: String
}

/// The codes of the social service's enumerations, as CSV files write them, and the definitions of the rates.
public enum SocialMeasures {
    /// Target (15): the poverty rate, whose target is a change in points from the start of the year.
    public static let povertyTarget: Int32 = 15
    /// Target (10): new rural development, reported by its sub-targets 10.a and 10.b.
    public static let newRuralTarget: Int32 = 10
    /// Target (13): jobs (13.a) and trained labour (13.b, 13.c).
    public static let jobsTarget: Int32 = 13

    /// Sở Lao động - Thương binh và Xã hội.
    public static let labourAgency = "dept-labour-invalids-social-affairs"
    /// Sở Nông nghiệp và Phát triển nông thôn (new rural development, rural clean water).
    public static let agricultureAgency = "dept-agriculture-rural-development"

    /// Every rate measure, in target order.
    public static let rates: [RateMeasureDefinition] = [
        .init(measure: .urbanUnemployment, code: "urban-unemployment", targetNumber: 12, subTargetCode: "",
              nameVi: "tỷ lệ thất nghiệp thành thị", numeratorVi: "người thất nghiệp thành thị",
              denominatorVi: "lực lượng lao động thành thị", agencyCode: labourAgency),
        .init(measure: .trainedLabour, code: "trained-labour", targetNumber: 13, subTargetCode: "13.b",
              nameVi: "tỷ lệ lao động qua đào tạo", numeratorVi: "lao động qua đào tạo", denominatorVi: "lao động",
              agencyCode: labourAgency),
        .init(measure: .certifiedLabour, code: "certified-labour", targetNumber: 13, subTargetCode: "13.c",
              nameVi: "tỷ lệ lao động qua đào tạo từ 3 tháng trở lên có văn bằng, chứng chỉ",
              numeratorVi: "lao động có văn bằng, chứng chỉ", denominatorVi: "lao động", agencyCode: labourAgency),
        .init(measure: .healthInsurance, code: "health-insurance", targetNumber: 14, subTargetCode: "",
              nameVi: "tỷ lệ dân số tham gia bảo hiểm y tế", numeratorVi: "người tham gia bảo hiểm y tế",
              denominatorVi: "dân số", agencyCode: "social-insurance"),
        .init(measure: .poorHouseholds, code: "poor-households", targetNumber: povertyTarget, subTargetCode: "",
              nameVi: "tỷ lệ hộ nghèo", numeratorVi: "hộ nghèo", denominatorVi: "hộ dân", agencyCode: labourAgency),
        .init(measure: .ruralHygienicWater, code: "rural-hygienic-water", targetNumber: 16, subTargetCode: "",
              nameVi: "tỷ lệ dân số nông thôn sử dụng nước hợp vệ sinh", numeratorVi: "người dân nông thôn dùng nước hợp vệ sinh",
              denominatorVi: "dân số nông thôn", agencyCode: agricultureAgency),
        .init(measure: .urbanSolidWaste, code: "urban-solid-waste", targetNumber: 17, subTargetCode: "17.a",
              nameVi: "tỷ lệ chất thải rắn đô thị được thu gom, xử lý hợp vệ sinh", numeratorVi: "tấn/ngày thu gom, xử lý",
              denominatorVi: "tấn/ngày phát sinh", agencyCode: "dept-natural-resources-environment"),
        .init(measure: .ruralSolidWaste, code: "rural-solid-waste", targetNumber: 17, subTargetCode: "17.b",
              nameVi: "tỷ lệ chất thải rắn nông thôn được thu gom, xử lý hợp vệ sinh", numeratorVi: "tấn/ngày thu gom, xử lý",
              denominatorVi: "tấn/ngày phát sinh", agencyCode: "dept-natural-resources-environment"),
        .init(measure: .medicalWasteTreatment, code: "medical-waste-treatment", targetNumber: 18, subTargetCode: "",
              nameVi: "tỷ lệ cơ sở khám, chữa bệnh xử lý chất thải y tế đạt chuẩn", numeratorVi: "cơ sở xử lý đạt chuẩn",
              denominatorVi: "cơ sở khám, chữa bệnh", agencyCode: "dept-health"),
    ]

    /// The definition of `measure`.
    public static func rate(_ measure: Planmonitor_Social_V1_RateMeasure) -> RateMeasureDefinition? {
        rates.first { $0.measure == measure }
    }

    /// The measure written `code` in a file.
    public static func rate(code: String) -> RateMeasureDefinition? {
        rates.first { $0.code == code.lowercased() }
    }

    /// "urban-unemployment, trained-labour, …", for messages.
    public static var codes: String { rates.map(\.code).joined(separator: ", ") }

    /// The insurance groups with their codes and Vietnamese names.
    public static let insuranceGroups: [(group: Planmonitor_Social_V1_InsuranceGroup, code: String, nameVi: String)] = [
        (.farmingFishingHouseholds, "farming-fishing-households", "hộ gia đình làm nông, lâm, ngư nghiệp"),
        (.nearPoorHouseholds, "near-poor-households", "hộ cận nghèo"),
        (.uninsuredEnterpriseWorkers, "uninsured-enterprise-workers", "người lao động trong doanh nghiệp chưa tham gia bảo hiểm"),
        (.armedForces, "armed-forces", "lực lượng vũ trang"),
    ]

    /// "farming-fishing-households, …", for messages.
    public static var insuranceGroupCodes: String { insuranceGroups.map(\.code).joined(separator: ", ") }

    /// The job channels with their codes, in English and Vietnamese.
    public static let jobChannels: [(channel: Planmonitor_Social_V1_JobChannel, codes: [String], nameVi: String)] = [
        (.domestic, ["domestic", "trong nước"], "trong nước"),
        (.labourExport, ["labour-export", "xuất khẩu lao động"], "xuất khẩu lao động"),
    ]
}
