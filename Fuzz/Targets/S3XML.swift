import TBKitS3
import TBKitS3Core

// libFuzzer target: arbitrary bytes as an S3 answer, read the way S3Client reads them.
//
// The text goes through S3XML (elements, values, entity decoding) and through the ListObjectsV2
// reader; then the invariants: every element's text is its decoded body, escaping then decoding
// gives any text back, and a listing that reads holds only what its <Contents> blocks name.
#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzS3XML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let whole = text[...]
    for name in ["Contents", "Key", "Error", "Code", "Message", "UploadId", "ETag", "Part"] {
        let elements = S3XML.elements(name, in: whole)
        let values = S3XML.values(name, in: whole)
        check(elements.count == values.count, "\(elements.count) <\(name)> elements but \(values.count) values")
        check(S3XML.value(name, in: whole) == values.first, "value(\(name)) is not the first of values(\(name))")
        for (element, value) in zip(elements, values) {
            check(S3XML.decode(element) == value, "<\(name)>'s value is not its decoded text")
        }
    }
    check(S3XML.decode(S3XML.escape(text)[...]) == text, "escaping then decoding changed the text")
    if let page = try? S3Client.listing(whole, bucket: "b", prefix: "p") {
        let blocks = S3XML.elements("Contents", in: whole)
        check(page.objects.count <= blocks.count, "\(page.objects.count) objects from \(blocks.count) <Contents>")
        // Malformed text may nest or leave elements open, so keys are looked up where the
        // listing reads them: inside each <Contents> block.
        let keys = Set(blocks.flatMap { S3XML.values("Key", in: $0) })
        for object in page.objects {
            check(keys.contains(object.key), "an object key no <Key> of a <Contents> block holds")
        }
        if page.nextContinuationToken != nil {
            check(S3XML.value("IsTruncated", in: whole) == "true", "a continuation token on a complete listing")
        }
    }
    return 0
}
