import Testing

@testable import TBKitS3
@testable import TBKitS3Core

/// The hand-written reader of S3's XML answers.
@Suite struct S3XMLTests {
    @Test func errorBodyYieldsCodeMessageAndDecodedEntities() {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>a &amp; b &lt;c&gt; &#233;</Message><RequestId>tx1</RequestId></Error>
            """
        #expect(S3XML.value("Code", in: body[...]) == "NoSuchKey")
        #expect(S3XML.value("Message", in: body[...]) == "a & b <c> é")
        #expect(S3XML.value("Missing", in: body[...]) == nil)
    }

    @Test func elementsSkipLongerNamesAndAcceptAttributesAndEmptyElements() {
        let body =
            "<ListBucketResult xmlns=\"x\"><KeyCount>2</KeyCount><Key>a</Key><Key/><Key attr=\"1\">b</Key></ListBucketResult>"
        #expect(S3XML.values("Key", in: body[...]) == ["a", "", "b"])
        #expect(S3XML.value("KeyCount", in: body[...]) == "2")
        #expect(S3XML.elements("ListBucketResult", in: body[...]).count == 1)
    }

    @Test func truncatedOrHostileTextNeverCrashes() {
        for text in [
            "<", "<Key", "<Key>", "<Key>abc", "<Key/", "<Key>&", "<Key>&#xFFFFFFFF;</Key>", ">", "<Key >", "<>",
        ] {
            _ = S3XML.values("Key", in: text[...])
        }
        #expect(S3XML.value("Key", in: "<Key>&#xFFFFFFFF;</Key>"[...]) == "&#xFFFFFFFF;")
    }
}
