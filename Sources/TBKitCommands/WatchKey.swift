/// A key `tbkit watch` acts on, parsed from the bytes a terminal sends in raw mode.
enum WatchKey: Equatable {
    case quit, up, down, pageUp, pageDown, home, end

    /// The keys in `bytes`, in order; bytes of other keys are skipped. Arrows and Home/End come
    /// as `ESC [ x` or `ESC O x` (the two cursor-key modes), Page Up/Down as `ESC [ 5 ~`/`ESC [ 6 ~`,
    /// Home/End also as `ESC [ 1 ~`/`ESC [ 4 ~` (and 7/8, rxvt); j/k, space and g/G work too.
    static func parse(_ bytes: [UInt8]) -> [WatchKey] {
        var keys: [WatchKey] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B, i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") || bytes[i + 1] == UInt8(ascii: "O") {
                let c = bytes[i + 2]
                switch c {
                case UInt8(ascii: "A"): keys.append(.up)
                case UInt8(ascii: "B"): keys.append(.down)
                case UInt8(ascii: "H"): keys.append(.home)
                case UInt8(ascii: "F"): keys.append(.end)
                case UInt8(ascii: "1")...UInt8(ascii: "8"):
                    if i + 3 < bytes.count, bytes[i + 3] == UInt8(ascii: "~") {
                        switch c {
                        case UInt8(ascii: "1"), UInt8(ascii: "7"): keys.append(.home)
                        case UInt8(ascii: "4"), UInt8(ascii: "8"): keys.append(.end)
                        case UInt8(ascii: "5"): keys.append(.pageUp)
                        case UInt8(ascii: "6"): keys.append(.pageDown)
                        default: break
                        }
                        i += 4
                        continue
                    }
                default: break
                }
                i += 3
                continue
            }
            switch b {
            case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3: keys.append(.quit)
            case UInt8(ascii: "k"): keys.append(.up)
            case UInt8(ascii: "j"): keys.append(.down)
            case UInt8(ascii: " "): keys.append(.pageDown)
            case UInt8(ascii: "g"): keys.append(.home)
            case UInt8(ascii: "G"): keys.append(.end)
            default: break
            }
            i += 1
        }
        return keys
    }

    /// The first line shown after this key, from `top`, for a body of `count` lines seen
    /// `page` lines at a time (kept within 0...count - page).
    func scrolled(_ top: Int, count: Int, page: Int) -> Int {
        let last = Swift.max(0, count - page)
        let next: Int
        switch self {
        case .up: next = top - 1
        case .down: next = top + 1
        case .pageUp: next = top - Swift.max(1, page - 1)
        case .pageDown: next = top + Swift.max(1, page - 1)
        case .home: next = 0
        case .end: next = last
        case .quit: next = top
        }
        return Swift.min(Swift.max(0, next), last)
    }
}
