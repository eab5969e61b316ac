/// Where the bytes of one Parquet file go: written in order, then committed once whole.
package protocol ParquetOutput: AnyObject {
    /// Appends `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError)
    /// The file is whole: make it visible (a rename for files).
    func commit() throws(ParquetError)
}

extension ParquetFileOutput: ParquetOutput {}

/// A Parquet file handed to a byte sink as it is written (a pipe, standard output).
package final class ParquetStreamOutput: ParquetOutput {
    private let sink: (UnsafeRawBufferPointer) throws(ParquetError) -> Void

    /// An output handing every byte to `sink`.
    package init(sink: @escaping (UnsafeRawBufferPointer) throws(ParquetError) -> Void) { self.sink = sink }

    /// Hands `bytes` to the sink.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) { try sink(bytes) }

    /// Nothing to do: the sink had every byte already.
    package func commit() {}
}
