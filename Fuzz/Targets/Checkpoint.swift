import InitLab
import TBKit

// libFuzzer target: arbitrary bytes as a training checkpoint (InitLab's CheckpointFormat).
//
// Byte 0 = flags, the rest = the input.
//   flags bit 0: the input is a body; frame it (magic, version, length, CRC32C) first, so mutated
//                fields get past the checksum into the decoder
// A checkpoint that decodes must encode to bytes that decode to the same encoding; one that does
// not must say why in words (its error description names the file).
#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let flags = data[0]
    var file = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if flags & 1 != 0 { file = CheckpointFormat.frame(file) }
    let checkpoint: TrainingCheckpoint
    do {
        checkpoint = try TrainingCheckpoint(decoding: file, path: "fuzz.ckpt")
    } catch {
        check(String(describing: error).contains("fuzz.ckpt"), "an error that does not name the file: \(error)")
        return 0
    }
    let encoded = checkpoint.encoded()
    guard let again = try? TrainingCheckpoint(decoding: encoded, path: "again.ckpt") else {
        fail("a checkpoint that decoded does not decode after encoding")
    }
    check(again.encoded() == encoded, "decode(encode(checkpoint)) encodes differently")
    return 0
}
