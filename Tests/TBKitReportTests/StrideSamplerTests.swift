import TBKit
import Testing

@testable import TBKitReport

@Suite struct StrideSamplerTests {
    @Test func thinningIsEvenBoundedAndEndsWithTheLastItem() {
        for n in [1, 2, 39, 40, 41, 79, 80, 81, 1_000, 12_345] {
            var s = StrideSampler<Int>(limit: 40)
            for i in 0..<n { s.add(i) }
            let r = s.result()
            #expect(r.count <= 41, "n=\(n)")
            #expect(r.last == n - 1, "n=\(n)")
            #expect(r.first == 0, "n=\(n)")
            if n <= 40 { #expect(r == Array(0..<n)) }
            let gaps = Set(zip(r.dropLast(), r.dropFirst().dropLast()).map { $1 - $0 })
            #expect(gaps.count <= 1, "n=\(n): uneven gaps \(gaps)")
        }
    }
}
