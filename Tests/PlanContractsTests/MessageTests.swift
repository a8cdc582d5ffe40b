import Foundation
import PlanContracts
import SwiftProtobuf
import Testing

@Suite("Messages")
struct MessageTests {
    private func observation(indicator: String, publisher: String) -> Planmonitor_Common_V1_Observation {
        var observation = Planmonitor_Common_V1_Observation()
        observation.id = "5f0b6d1e-8f55-4a54-9d6b-2b7f4f0c1a01"
        observation.targetNumber = 1
        observation.subTargetCode = "1.b"
        observation.indicator = indicator
        observation.orgUnitCode = "31"
        observation.period.halfYear = .with {
            $0.year = 2018
            $0.half = 1
        }
        observation.period.dateFrom = .with {
            $0.year = 2018
            $0.month = 1
            $0.day = 1
        }
        observation.period.dateTo = .with {
            $0.year = 2018
            $0.month = 6
            $0.day = 30
        }
        observation.value = Planmonitor_Common_V1_Quantity(value: "25.02", unit: "percent")
        observation.estimate = true
        observation.source = .with {
            $0.url = "http://thongkehaiphong.gov.vn/bao-cao-tinh-hinh-kinh-te-xa-hoi-quy/"
            $0.publisher = publisher
            $0.note = "ước tính 6 tháng"
        }
        observation.observedAt = Google_Protobuf_Timestamp(seconds: 1_530_316_800, nanos: 0)
        return observation
    }

    @Test("Observation with Vietnamese text round-trips through binary and JSON, NFC preserved")
    func observationRoundTrip() throws {
        let indicator = "Tăng trưởng công nghiệp, xây dựng".precomposedStringWithCanonicalMapping
        let publisher = "Cục Thống kê thành phố Hải Phòng".precomposedStringWithCanonicalMapping
        let original = observation(indicator: indicator, publisher: publisher)

        let bytes: [UInt8] = try original.serializedBytes()
        let decoded = try Planmonitor_Common_V1_Observation(serializedBytes: bytes)
        #expect(decoded == original)
        // Swift's == on String compares canonical equivalence; compare the scalars to see NFC kept.
        #expect(Array(decoded.indicator.unicodeScalars) == Array(indicator.unicodeScalars))
        #expect(Array(decoded.source.publisher.utf8) == Array(publisher.utf8))
        #expect(decoded.indicator.unicodeScalars.count == 33)  // NFC: "ă", "ư", "ô", "ự" are one scalar each
        // The wire carries the NFC UTF-8 bytes as they are.
        #expect(bytes.firstRange(of: Array(indicator.utf8)) != nil)

        let json = try original.jsonString()
        #expect(json.contains("\"subTargetCode\":\"1.b\""))
        let fromJSON = try Planmonitor_Common_V1_Observation(jsonString: json)
        #expect(fromJSON == original)
        #expect(Array(fromJSON.indicator.unicodeScalars) == Array(indicator.unicodeScalars))

        guard case .halfYear(let half)? = decoded.period.kind else {
            Issue.record("period kind lost: \(String(describing: decoded.period.kind))")
            return
        }
        #expect(half.year == 2018 && half.half == 1)
        #expect(decoded.value.valueDecimal == Decimal(string: "25.02"))
    }

    @Test("protobuf does not normalise: NFD text stays NFD (producers normalise to NFC)")
    func nfdIsNotChanged() throws {
        let nfd = "Hải Phòng".decomposedStringWithCanonicalMapping
        var ping = Planmonitor_Testing_V1_Ping()
        ping.text = nfd
        let decoded = try Planmonitor_Testing_V1_Ping(serializedBytes: try ping.serializedBytes() as [UInt8])
        #expect(Array(decoded.text.unicodeScalars) == Array(nfd.unicodeScalars))
        #expect(Array(decoded.text.unicodeScalars) != Array("Hải Phòng".precomposedStringWithCanonicalMapping.unicodeScalars))
    }

    @Test("a directive with targets and tasks round-trips")
    func directiveRoundTrip() throws {
        var directive = Planmonitor_Directive_V1_Directive()
        directive.id = "31-2018"
        directive.revision = 1
        directive.year = 2018
        directive.issuer = "Ủy ban nhân dân thành phố Hải Phòng"
        directive.targets = [
            .with {
                $0.number = 6
                $0.nameVi = "Thu nội địa"
                $0.group = .economic
                $0.comparator = .reach
                $0.value = "24725"
                $0.unitCode = "billion_vnd"
                $0.unitText = "tỷ đồng"
                $0.basis = .cumulativeAmount
                $0.ownerService = "budget"
            },
            .with {
                $0.number = 8
                $0.nameVi = "Kim ngạch xuất khẩu"
                $0.comparator = .range
                $0.low = "22"
                $0.high = "23"
                $0.unitCode = "percent"
                $0.basis = .growthOverPreviousYear
                $0.subTargets = []
            },
        ]
        directive.sections = [
            .with {
                $0.part = 1
                $0.number = 1
                $0.roman = "I"
                $0.title = "Tăng cường kỷ cương thu - chi ngân sách nhà nước"
                $0.blocks = [
                    .with {
                        $0.number = 1
                        $0.heading = "Sở Tài chính chủ trì"
                        $0.leadAgencyCodes = ["STC"]
                        $0.tasks = [
                            .with {
                                $0.key = "2018-I.1.1"
                                $0.sectionNumber = 1
                                $0.blockNumber = 1
                                $0.ordinal = 1
                                $0.text = "Tổ chức thực hiện dự toán ngân sách năm 2018"
                                $0.dueDate = .with { $0.year = 2018; $0.month = 12; $0.day = 31 }
                                $0.dueDateDefaulted = true
                            }
                        ]
                    }
                ]
            }
        ]
        var issued = Planmonitor_Directive_V1_DirectiveIssued()
        issued.directive = directive
        issued.changes = ["first revision"]
        let decoded = try Planmonitor_Directive_V1_DirectiveIssued(serializedBytes: try issued.serializedBytes() as [UInt8])
        #expect(decoded == issued)
        #expect(decoded.directive.targets[0].comparator == .reach)
        #expect(decoded.directive.sections[0].blocks[0].tasks[0].dueDateDefaulted)
    }
}
