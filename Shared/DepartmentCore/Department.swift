/// The five department services: each follows the targets it reports and the tasks of the agencies it represents.
///
/// The raw value is the service's name: the domain of its events, its schema, its broker user and database role.
public enum Department: String, Sendable, CaseIterable, CustomStringConvertible {
    /// State budget revenue and spending (Sở Tài chính, Cục Thuế, Cục Hải quan, Kho bạc…).
    case budget
    /// Growth, investment, trade, industry, agriculture, tourism (Sở Kế hoạch và Đầu tư, Sở Công Thương…).
    case investment
    /// Transport, construction, land, environment, ports, ICT (Sở Giao thông vận tải, Sở Xây dựng…).
    case infrastructure
    /// Education, health, labour, culture, social insurance (Sở Giáo dục và Đào tạo, Sở Y tế…).
    case social
    /// Defence, public security, inspection, justice, foreign affairs (Công an thành phố, Bộ Chỉ huy Quân sự…).
    case security

    public var description: String { rawValue }
}
