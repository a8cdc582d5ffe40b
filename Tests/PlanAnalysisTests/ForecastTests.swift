import PlanAnalysis
import Testing

@Suite("Year-end forecasts, intervals and the probability of meeting")
struct ForecastTests {
    @Test("One month of a total: the pace is taken as uncertain by ±25%, over the rest of the year")
    func singleMonthTotal() throws {
        let assessment = TargetAssessment(spec: try cargoTarget(), points: series((1, 10)), asOfMonth: 1)
        let forecast = try #require(assessment.forecast)
        #expect(forecast.method == .linearTrend)
        #expect(isClose(forecast.yearEnd, 120))
        #expect(isClose(forecast.low, 92.5))
        #expect(isClose(forecast.high, 147.5))
        #expect(isClose(forecast.probabilityOfMeeting, 0.72768, tolerance: 1e-4))
    }

    @Test("Port cargo at June: 101.92 million tonnes, 80% between 89.18 and 114.66, 30% likely to reach 107")
    func portCargo() throws {
        let assessment = TargetAssessment(spec: try cargoTarget(), points: series((6, 50.96)), asOfMonth: 6)
        let forecast = try #require(assessment.forecast)
        #expect(isClose(forecast.low, 89.18))
        #expect(isClose(forecast.high, 114.66))
        #expect(isClose(forecast.probabilityOfMeeting, 0.30467, tolerance: 1e-4))
    }

    @Test("Several months of a total: the interval comes from the spread of the monthly projections")
    func spreadOfProjections() throws {
        let assessment = TargetAssessment(spec: try cargoTarget(), points: series((2, 12), (4, 30), (6, 50)), asOfMonth: 6)
        let forecast = try #require(assessment.forecast)
        // Projections 72, 90 and 100: standard deviation 14.19, × 1.2816 × (1 − 6/12) = 9.09.
        #expect(isClose(forecast.yearEnd, 100))
        #expect(isClose(forecast.low, 90.9079057, tolerance: 1e-6))
        #expect(isClose(forecast.high, 109.0920943, tolerance: 1e-6))
        #expect(isClose(forecast.probabilityOfMeeting, 0.16190, tolerance: 1e-4))
    }

    @Test("Growth carries the year-to-date rate, with an interval from the months to come")
    func growth() throws {
        let assessment = TargetAssessment(spec: try grdpGrowthTarget(), points: series((6, 16.03)), asOfMonth: 6)
        let forecast = try #require(assessment.forecast)
        #expect(forecast.method == .latestLevel)
        #expect(forecast.yearEnd == 16.03)
        #expect(isClose(forecast.low, 14.02625))
        #expect(isClose(forecast.high, 18.03375))
        #expect(isClose(forecast.probabilityOfMeeting, 0.74498, tolerance: 1e-4))
    }

    @Test(
        "The interval holds the forecast and the probability is within 0…1",
        arguments: [
            [(3, 24.0), (6, 50.96)], [(6, 50.96)], [(1, 3.0), (2, 9.0), (3, 30.0)], [(11, 100.0)], [(12, 90.0)],
        ])
    func intervalHoldsForecast(pairs: [(Int, Double)]) throws {
        let points = pairs.map { MonthlyPoint(month: $0.0, value: $0.1) }
        let forecast = try #require(TargetAssessment(spec: try cargoTarget(), points: points, asOfMonth: 12).forecast)
        #expect(forecast.low <= forecast.yearEnd && forecast.yearEnd <= forecast.high)
        #expect((0...1).contains(forecast.probabilityOfMeeting))
    }

    @Test("A higher total at June makes meeting the target more likely: near 0 far below, near 1 far above")
    func probabilityRisesWithTheTotal() throws {
        let probabilities = try [20.0, 40, 50, 55, 60, 80].map { total in
            try #require(TargetAssessment(spec: try cargoTarget(), points: series((6, total)), asOfMonth: 6).forecast)
                .probabilityOfMeeting
        }
        #expect(zip(probabilities, probabilities.dropFirst()).allSatisfy { $0 < $1 })
        #expect(probabilities[0] < 0.001)
        #expect(probabilities[5] > 0.999)
    }

    @Test("A falling poverty rate well ahead of its decrease is very likely to meet it; a rising one is not")
    func decreasingTarget() throws {
        let falling = TargetAssessment(spec: try povertyTarget(), points: series((3, 2.3), (6, 2.0)), asOfMonth: 6)
        let fallingForecast = try #require(falling.forecast)
        #expect(fallingForecast.method == .linearTrend)
        #expect(isClose(fallingForecast.yearEnd, 1.4))
        #expect(fallingForecast.probabilityOfMeeting > 0.99)
        let rising = TargetAssessment(spec: try povertyTarget(), points: series((3, 2.5), (6, 2.6)), asOfMonth: 6)
        #expect(try #require(rising.forecast).probabilityOfMeeting < 0.01)
    }

    @Test("A range has probability below 1 even far inside, and small when the forecast is above it")
    func rangeProbability() throws {
        let spec = try TargetSpec(basis: .growth, comparator: .range(low: 11, high: 11.5), value: nil, unit: "%")
        let inside = try #require(TargetAssessment(spec: spec, points: series((6, 11.25)), asOfMonth: 6).forecast)
        let above = try #require(TargetAssessment(spec: spec, points: series((6, 14)), asOfMonth: 6).forecast)
        #expect(inside.probabilityOfMeeting > above.probabilityOfMeeting)
        #expect(inside.probabilityOfMeeting < 1)
        #expect(above.probabilityOfMeeting < 0.05)
    }
}
