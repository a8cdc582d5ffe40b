import Foundation
import Testing

@testable import DirectiveParser

@Suite("Bundled reference data: ownership, districts, key projects")
struct ReferenceDataTests {
    @Test(
        "Which service reports each target",
        arguments: [
            (1, MonitoringService.investment), (2, .investment), (3, .investment), (4, .investment), (5, .investment), (6, .budget),
            (7, .investment), (8, .investment), (9, .investment), (10, .social), (11, .investment), (12, .social), (13, .social),
            (14, .social), (15, .social), (16, .social), (17, .social), (18, .social),
        ])
    func ownership(target: Int, service: MonitoringService) {
        #expect(TargetOwnership.default.owner(ofTarget: target) == service)
    }

    @Test("Every 2018 target has an owner; an unknown target has none")
    func everyTargetOwned() throws {
        let ownership = TargetOwnership.default
        #expect(try directive2018().targets.allSatisfy { ownership.owner(ofTarget: $0.number) != nil })
        #expect(ownership.owner(ofTarget: 19) == nil)
        #expect(ownership.targets(ownedBy: .budget) == [6])
        #expect(ownership.targets(ownedBy: .investment) == [1, 2, 3, 4, 5, 7, 8, 9, 11])
        #expect(ownership.targets(ownedBy: .social) == [10, 12, 13, 14, 15, 16, 17, 18])
    }

    @Test("The ownership file names each target as the 2018 directive does")
    func ownershipNames() throws {
        let directive = try directive2018()
        #expect(TargetOwnership.default.entries.map(\.number) == directive.targets.map(\.number))
        for entry in TargetOwnership.default.entries {
            #expect(directive.target(number: entry.number)?.name == entry.nameVi)
        }
    }

    @Test("A target listed twice is refused")
    func duplicateOwnership() {
        let entry = TargetOwnership.Entry(number: 1, nameVi: "GRDP", service: .investment)
        #expect(throws: ReferenceDataError.self) { try TargetOwnership(entries: [entry, entry]) }
    }

    @Test("The bundled org-units file is the reference copy")
    func orgUnitsCopy() throws {
        #expect(try BundledResource.orgUnits.data() == Data(contentsOf: Fixtures.orgUnitsURL))
    }

    @Test("Fifteen districts, each with its People's Committee in the agency registry")
    func districts() throws {
        let catalog = DistrictCatalog.default
        #expect(catalog.districts.count == 15)
        #expect(catalog.districts.filter { $0.kind == .urban }.count == 7)
        #expect(
            catalog.district(code: "305")
                == District(code: "305", name: "Lê Chân", fullName: "Quận Lê Chân", nameEn: "Le Chan District", kind: .urban))
        for district in catalog.districts {
            let agency = try #require(AgencyRegistry.default.agency(code: "district-\(district.code)-pc"))
            #expect(agency.kind == .districtCommittee)
            #expect(agency.nameVi.hasSuffix(district.name))
        }
    }

    @Test(
        "District names are matched as whole capitalised words",
        arguments: [
            ("tại các quận, huyện: Hồng Bàng, Lê Chân", ["303", "305"]),
            ("thu thập ý kiến an toàn của người dân", []),
            ("Ủy ban nhân dân quận Hải An", ["306"]),
            ("huyện Thuỷ Nguyên và huyện Thủy Nguyên", ["311"]),
            ("khu vực Cát Hải", ["317"]),
        ])
    func districtMatching(text: String, codes: [String]) {
        #expect(DistrictCatalog.default.districtCodes(mentionedIn: text) == codes)
    }

    @Test("Key projects: codes unique, patterns found ignoring case, whole words only")
    func keyProjects() throws {
        let catalog = KeyProjectCatalog.default
        #expect(Set(catalog.projects.map(\.code)).count == catalog.projects.count)
        #expect(catalog.projectCodes(namedIn: "khu đô thị mới Bắc Sông Cấm") == ["bac-song-cam-urban-area"])
        #expect(catalog.projectCodes(namedIn: "mở rộng Quốc lộ 10") == ["national-road-10"])
        #expect(catalog.projectCodes(namedIn: "mở rộng Quốc lộ 100").isEmpty)
        let supplied = try KeyProjectCatalog(
            jsonData: Data(#"{"projects":[{"code":"x","nameVi":"Cầu X","nameEn":"X Bridge","patterns":["cầu X"]}]}"#.utf8))
        #expect(supplied.projectCodes(namedIn: "khởi công Cầu X") == ["x"])
        #expect(throws: ReferenceDataError.self) {
            try KeyProjectCatalog(projects: [KeyProject(code: "x", nameVi: "X", nameEn: "X", patterns: [])])
        }
    }
}
