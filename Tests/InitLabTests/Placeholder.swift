import Testing
@testable import InitLab
