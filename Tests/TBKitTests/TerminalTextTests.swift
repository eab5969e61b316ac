import Testing

@testable import TBKit

/// Names from files are shown on a terminal through `TerminalText`: no byte a terminal acts on
/// passes through, long names are cut, and nothing crashes on bad input.
@Suite struct TerminalTextTests {
    /// Whether `text` holds anything a terminal would act on: a C0 control other than newline and
    /// tab, DEL, a C1 control, a bidi control or a line/paragraph separator.
    func holdsTerminalControl(_ text: String, allowingLayout: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            if allowingLayout, scalar == "\n" || scalar == "\t" { return false }
            return TerminalText.needsEscaping(scalar)
        }
    }

    @Test func plainNamesAreShownUnchanged() {
        for name in ["loss", "train/accuracy", "run-1 (lr=0.1)", "Größe", "損失", "📉 loss", "a\\x1b"] {
            #expect(TerminalText.escaped(name) == name)
        }
    }

    @Test func c0ControlsAndDeleteAreShownAsHexOrShortEscapes() {
        #expect(TerminalText.escaped("a\u{0}b") == "a\\x00b")
        #expect(TerminalText.escaped("\u{7}") == "\\x07")
        #expect(TerminalText.escaped("\u{1F}\u{7F}") == "\\x1f\\x7f")
        #expect(TerminalText.escaped("a\tb\nc\rd") == "a\\tb\\nc\\rd")
        for value in UInt8(0)...0x1F {
            #expect(!holdsTerminalControl(TerminalText.escaped(String(Character(Unicode.Scalar(value))))))
        }
    }

    @Test func newlineAndTabAreKeptOnlyWhereTheyLayOutAMessage() {
        #expect(TerminalText.escaped("a\tb\nc", layout: true) == "a\tb\nc")
        #expect(TerminalText.escaped("a\rb\u{1B}c", layout: true) == "a\\rb\\x1bc")
        #expect(TerminalText.escapedLines("one\u{1B}[2J\ntwo\tthree") == "one\\x1b[2J\ntwo\tthree")
    }

    @Test func escapeSequencesThatRetitleAndClearTheTerminalBecomeText() {
        let hostile = "loss\u{1B}]0;pwned\u{7}\u{1B}[2J\u{1B}[H"
        let shown = TerminalText.escaped(hostile)
        #expect(shown == "loss\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H")
        #expect(!shown.utf8.contains(0x1B))
        #expect(!shown.utf8.contains(0x07))
    }

    @Test func c1ControlsAreShownAsScalarEscapes() {
        #expect(TerminalText.escaped("a\u{9B}2J") == "a\\u{009B}2J")
        #expect(TerminalText.escaped("\u{80}\u{85}\u{9F}") == "\\u{0080}\\u{0085}\\u{009F}")
        // The first printable character after the C1 block is left alone.
        #expect(TerminalText.escaped("\u{A0}é") == "\u{A0}é")
    }

    @Test func bidiControlsAndSeparatorsAreShownAsScalarEscapes() {
        #expect(TerminalText.escaped("evil\u{202E}txt.exe") == "evil\\u{202E}txt.exe")
        for value: UInt32 in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            let scalar = Unicode.Scalar(value)!
            let shown = TerminalText.escaped("x" + String(Character(scalar)) + "y")
            #expect(shown == "x\\u{\(String(value, radix: 16, uppercase: true))}y")
        }
        #expect(
            TerminalText.escaped("\u{200E}\u{200F}\u{061C}\u{2028}\u{2029}")
                == "\\u{200E}\\u{200F}\\u{061C}\\u{2028}\\u{2029}")
    }

    @Test func invalidUTF8BytesAreShownAsHexBytes() {
        #expect(TerminalText.escaped(bytes: [0x61, 0xFF, 0x62]) == "a\\xffb")
        #expect(TerminalText.escaped(bytes: [0xC3]) == "\\xc3")  // a lone lead byte at the end
        #expect(TerminalText.escaped(bytes: [0xE2, 0x82, 0x41]) == "\\xe2\\x82A")  // a cut 3-byte sequence
        #expect(TerminalText.escaped(bytes: [0xC0, 0x80]) == "\\xc0\\x80")  // an overlong NUL
        #expect(TerminalText.escaped(bytes: [0xED, 0xA0, 0x80]) == "\\xed\\xa0\\x80")  // a surrogate
        #expect(TerminalText.escaped(bytes: Array("ok é".utf8)) == "ok é")
        // C1 written as raw single bytes is not UTF-8: shown as bytes, never passed through.
        #expect(TerminalText.escaped(bytes: [0x9B, 0x32, 0x4A]) == "\\x9b2J")
    }

    @Test func aOneMegabyteNameIsCutToTheLimitWithAMarker() {
        let name = String(repeating: "a", count: 1 << 20)
        let shown = TerminalText.escaped(name)
        #expect(shown == String(repeating: "a", count: TerminalText.nameLimit) + "…[+\((1 << 20) - 200) bytes]")
        // The whole text when asked for.
        #expect(TerminalText.escaped(name, limit: nil).utf8.count == 1 << 20)
    }

    @Test func aOneMegabyteNameOfEscapeSequencesIsCutWithoutSplittingAnEscape() {
        let name = String(repeating: "\u{1B}[2J", count: 1 << 18)
        let shown = TerminalText.escaped(name)
        #expect(!holdsTerminalControl(shown))
        let kept = shown.prefix { $0 != "…" }
        #expect(kept.unicodeScalars.count <= TerminalText.nameLimit)
        #expect(kept.hasSuffix("[2J") || kept.hasSuffix("\\x1b") || kept.hasSuffix("["))
        #expect(!kept.hasSuffix("\\x1"))
        #expect(shown.hasSuffix(" bytes]"))
    }

    @Test func aNameOfOnlyControlCharactersIsShownEntirelyEscaped() {
        let name =
            String(String.UnicodeScalarView((0...0x1F).map { Unicode.Scalar(UInt8($0)) }))
            + "\u{7F}\u{85}\u{9B}\u{202E}"
        let shown = TerminalText.escaped(name, limit: nil)
        #expect(!holdsTerminalControl(shown))
        #expect(shown.hasPrefix("\\x00\\x01\\x02"))
        #expect(shown.hasSuffix("\\x7f\\u{0085}\\u{009B}\\u{202E}"))
        // Cut, it still shows no control and says what was left out.
        let cut = TerminalText.escaped(String(repeating: "\u{1}", count: 10_000))
        #expect(!holdsTerminalControl(cut))
        #expect(cut.hasSuffix("…[+\(10_000 - TerminalText.nameLimit / 4) bytes]"))
    }

    @Test func escapingTwiceChangesNothing() {
        let once = TerminalText.escaped("a\u{1B}[31m\u{202E}b\u{9B}", limit: nil)
        #expect(TerminalText.escaped(once, limit: nil) == once)
    }

    @Test func longMessageLinesAreCutOneByOne() {
        let long = String(repeating: "x", count: 5000)
        let shown = TerminalText.escapedLines("head\n" + long + "\ntail")
        let lines = shown.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[0] == "head" && lines[2] == "tail")
        #expect(lines[1].hasSuffix("…[+3000 bytes]"))
    }
}
