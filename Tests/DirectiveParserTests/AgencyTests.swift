import Foundation
import Testing

@testable import DirectiveParser

@Suite("Agency registry and block resolution")
struct AgencyTests {
    @Test("Every 2018 block resolves to known agencies or groups")
    func everyBlockResolves() throws {
        let directive = try directive2018()
        let registry = AgencyRegistry.default
        for block in directive.blocks {
            #expect(!block.leadAgencies.isEmpty, "block \(block.sectionNumber).\(block.number)")
            for lead in block.leadAgencies {
                if lead.isGroup {
                    #expect(registry.group(code: lead.code) != nil, "\(lead.code)")
                } else {
                    #expect(registry.agency(code: lead.code) != nil, "\(lead.code)")
                }
            }
            #expect(!registry.expand(block.leadAgencies).isEmpty)
        }
    }

    @Test(
        "Block headings as written resolve to codes",
        arguments: [
            (54, "Sở Tài chính", ["dept-finance"]),
            (65, "Cục Thuế thành phố", ["tax-department"]),
            (85, "Cục Hải Quan thành phố", ["customs"]),
            (278, "Cục Hải quan Hải Phòng", ["customs"]),
            (91, "Kho bạc Nhà nước thành phố Hải Phòng", ["state-treasury"]),
            (89, "Công an thành phố", ["city-police"]),
            (392, "Bộ Chỉ huy Quân sự thành phố", ["military-command"]),
            (407, "Bộ Chỉ huy Bộ đội Biên phòng thành phố", ["border-guard"]),
            (77, "Sở Kế hoạch và Đầu tư", ["dept-planning-investment"]),
            (98, "Sở Thông tin và truyền thông", ["dept-information-communications"]),
            (101, "Sở Công thương", ["dept-industry-trade"]),
            (147, "Trung tâm Xúc tiến Đầu tư, Thương mại, Du lịch thành phố", ["investment-promotion-center"]),
            (268, "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", ["investment-promotion-center"]),
            (153, "Ban quản lý khu kinh tế", ["economic-zone-authority"]),
            (347, "Sở Lao động, Thương binh và Xã hội", ["dept-labour-invalids-social-affairs"]),
            (285, "Liên minh hợp tác xã và doanh nghiệp", ["cooperative-alliance"]),
            (465, "Sở Nội vụ, Ban Thi đua khen thưởng", ["dept-home-affairs", "emulation-board"]),
            (105, "Các Sở, ngành, Ủy ban nhân dân quận, huyện", ["all-city-agencies", "all-district-committees"]),
            (127, "Các Sở, ban, ngành, quận, huyện", ["all-city-agencies", "all-district-committees"]),
            (201, "Các Sở, ban, ngành, đơn vị liên quan", ["all-city-agencies"]),
            (228, "Các Sở, ban, ngành, địa phương", ["all-city-agencies", "all-district-committees"]),
            (467, "Các Sở, ban, ngành và địa phương", ["all-city-agencies", "all-district-committees"]),
            (203, "Ủy ban nhân dân các quận, huyện", ["all-district-committees"]),
            (366, "Ủy ban nhân dân các quận huyện", ["all-district-committees"]),
            (386, "Các quận, huyện", ["all-district-committees"]),
            (317, "Các cơ quan công an, quân sự", ["police-and-military"]),
        ])
    func heading(line: Int, agencyText: String, codes: [String]) throws {
        let block = try #require(try directive2018().blocks.first { $0.line == line })
        #expect(block.agencyText == agencyText)
        #expect(block.leadAgencies.map(\.code) == codes)
        #expect(block.leadAgencies.map(\.isGroup) == codes.map { AgencyRegistry.default.group(code: $0) != nil })
    }

    @Test("Every agency of the 2018 blocks is a distinct body with one code")
    func distinctBodies() throws {
        let directive = try directive2018()
        let named = Set(directive.blocks.flatMap(\.leadAgencies).filter { !$0.isGroup }.map(\.code))
        #expect(
            named == [
                "dept-finance", "tax-department", "dept-planning-investment", "dept-natural-resources-environment",
                "customs", "city-police", "state-treasury", "city-inspectorate", "dept-information-communications",
                "dept-industry-trade", "dept-home-affairs", "city-pc-office", "dept-science-technology",
                "investment-promotion-center", "state-bank-branch", "economic-zone-authority", "dept-transport",
                "dept-construction", "dept-education-training", "dept-tourism", "dept-agriculture-rural-development",
                "port-authority", "cooperative-alliance", "cat-ba-heritage-board", "dept-foreign-affairs",
                "dept-culture-sports", "dept-health", "dept-labour-invalids-social-affairs", "social-insurance",
                "dept-justice", "military-command", "border-guard", "fire-police", "radio-television", "emulation-board",
            ])
    }

    @Test(
        "Groups expand to their members",
        arguments: [
            ("all-district-committees", 15), ("police-and-military", 4),
        ])
    func groupExpansion(code: String, memberCount: Int) throws {
        let registry = AgencyRegistry.default
        let members = registry.expand([AgencyReference(code: code, isGroup: true)])
        #expect(members.count == memberCount)
    }

    @Test("District committees come from the org-units list; city agencies exclude them and the committee itself")
    func groupMembers() throws {
        let registry = AgencyRegistry.default
        let districts = registry.expand([AgencyReference(code: "all-district-committees", isGroup: true)])
        #expect(districts.map(\.code) == DistrictCatalog.default.districts.map { "district-\($0.code)-pc" })
        #expect(districts.first?.nameVi == "Ủy ban nhân dân quận Hồng Bàng")
        let cityAgencies = registry.expand([AgencyReference(code: "all-city-agencies", isGroup: true)])
        #expect(cityAgencies.allSatisfy { $0.kind == .cityAgency })
        #expect(cityAgencies.contains { $0.code == "dept-finance" } && cityAgencies.contains { $0.code == "customs" })
        #expect(!cityAgencies.contains { $0.code == "city-people-committee" })
        let both = registry.expand([
            AgencyReference(code: "all-city-agencies", isGroup: true), AgencyReference(code: "all-district-committees", isGroup: true),
            AgencyReference(code: "dept-finance", isGroup: false),
        ])
        #expect(both.count == cityAgencies.count + districts.count)
    }

    @Test(
        "Services represent agencies",
        arguments: [
            (MonitoringService.budget, ["dept-finance", "tax-department", "customs", "state-treasury"]),
            (.investment, ["dept-planning-investment", "dept-industry-trade", "economic-zone-authority"]),
            (.infrastructure, ["dept-transport", "dept-construction", "dept-natural-resources-environment"]),
            (.social, ["dept-health", "dept-education-training", "dept-labour-invalids-social-affairs", "social-insurance"]),
            (.security, ["city-police", "military-command", "border-guard", "fire-police"]),
            (.aggregator, ["city-people-committee", "city-pc-office", "district-305-pc"]),
        ])
    func services(service: MonitoringService, includes codes: [String]) {
        let represented = AgencyRegistry.default.agencies(representedBy: service).map(\.code)
        for code in codes {
            #expect(represented.contains(code), "\(service) should represent \(code)")
        }
    }

    @Test("Every agency belongs to exactly one service")
    func oneServicePerAgency() {
        let registry = AgencyRegistry.default
        let counted = MonitoringService.allCases.map { registry.agencies(representedBy: $0).count }.reduce(0, +)
        #expect(counted == registry.agencies.count)
    }

    @Test(
        "Names resolve ignoring case, tone-mark placement and spacing",
        arguments: [
            ("Uỷ ban nhân dân các quận, huyện", "all-district-committees"),
            ("SỞ TÀI CHÍNH", "dept-finance"),
            ("Sở  Kế hoạch và Đầu tư", "dept-planning-investment"),
            ("UBND huyện Cát Hải", "district-317-pc"),
            ("Ủy ban nhân dân quận Lê Chân", "district-305-pc"),
        ])
    func resolveName(name: String, code: String) {
        #expect(AgencyRegistry.default.resolve(name: name)?.code == code)
    }

    @Test("An unknown name does not resolve")
    func unknownName() {
        #expect(AgencyRegistry.default.resolve(name: "Sở Hàng không Vũ trụ") == nil)
    }

    @Test("A registry with an alias naming two bodies, or an unknown member, is refused")
    func invalidRegistry() {
        let finance = Agency(code: "a", nameVi: "Sở Tài chính", nameEn: "Finance", kind: .cityAgency, service: .budget, aliases: [])
        let clash = Agency(code: "b", nameVi: "Sở Thuế", nameEn: "Tax", kind: .cityAgency, service: .budget, aliases: ["SỞ TÀI CHÍNH"])
        #expect(throws: ReferenceDataError.self) { try AgencyRegistry(agencies: [finance, clash], groups: []) }
        let group = AgencyGroup(code: "g", nameVi: "Nhóm", nameEn: "Group", memberKinds: [], memberCodes: ["missing"], aliases: [])
        #expect(throws: ReferenceDataError.self) { try AgencyRegistry(agencies: [finance], groups: [group]) }
        #expect(throws: ReferenceDataError.self) { try AgencyRegistry(agencies: [finance, finance], groups: []) }
    }

    @Test("A smaller registry can be supplied: an agency missing from it is a parse error")
    func suppliedRegistry() throws {
        let onlyFinance = try AgencyRegistry(
            agencies: [
                Agency(code: "dept-finance", nameVi: "Sở Tài chính", nameEn: "Finance", kind: .cityAgency, service: .budget, aliases: [])
            ],
            groups: [])
        let parser = DirectiveTextParser(agencies: onlyFinance)
        #expect(throws: DirectiveParseError.self) { try parser.parse(Fixtures.data2018()) }
    }
}
