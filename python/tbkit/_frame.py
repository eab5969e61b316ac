"""The Parquet the executable streams, turned into a pandas DataFrame with little memory beside it.

pyarrow's ``read_table(...).to_pandas()`` holds the whole Arrow table and, for a while, the frame
as well. Here the frame's columns are allocated once at their final size (the row count is in
the footer) and filled one column at a time, in batches of a few thousand rows, so beside the
frame there is only the Parquet bytes, one column chunk being decoded and one batch. run and tag
are read as dictionaries and become pandas Categoricals whose codes are written straight into a
small integer array: no string per row is ever made.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

#: Columns read as dictionaries and returned as pandas Categoricals.
CATEGORICAL = ("run", "tag")

#: Rows decoded at a time. Small batches keep memory flat: Arrow's allocator reuses their small
#: buffers, where the freed buffers of whole column chunks (4 MiB for 512Ki doubles) stay
#: resident. Measured with bench_dataframe.py on 1,000,000 scalars: peak +44 MiB with batches of
#: 8Ki rows, +56 MiB reading whole row groups, in the same time.
_BATCH_ROWS = 8192

_NUMERIC = {pa.int64(): np.int64, pa.float64(): np.float64}


def parquet_frame(data: bytes) -> pd.DataFrame:
    """The DataFrame of the Parquet file ``data``: run and tag as Categoricals, every other column
    as its numpy dtype. Columns other than required int64/double and run/tag strings (nullable
    hparams, text) go through pyarrow's own conversion."""
    schema = pq.read_schema(pa.BufferReader(data))
    categorical = [name for name in CATEGORICAL if name in schema.names]
    if not _streamable(schema, categorical):
        table = pq.read_table(pa.BufferReader(data), read_dictionary=categorical)
        return table.to_pandas(self_destruct=True, split_blocks=True)
    parquet = pq.ParquetFile(pa.BufferReader(data), read_dictionary=categorical)
    rows = parquet.metadata.num_rows
    columns: dict[str, np.ndarray] = {}
    categories: dict[str, dict[str, int]] = {name: {} for name in categorical}
    for field in schema:
        dtype = np.int8 if field.name in categories else _NUMERIC[field.type]
        columns[field.name] = np.empty(rows, dtype=dtype)
    start = 0
    for group in range(parquet.num_row_groups):
        count = parquet.metadata.row_group(group).num_rows
        for name in schema.names:
            at = start
            batches = parquet.iter_batches(_BATCH_ROWS, row_groups=[group], columns=[name], use_threads=False)
            for batch in batches:
                chunk = batch.column(0)
                if name in categories:
                    columns[name] = _put_codes(columns[name], at, chunk, categories[name])
                else:
                    columns[name][at : at + len(chunk)] = chunk.to_numpy(zero_copy_only=False)
                at += len(chunk)
        start += count
    frame: dict[str, object] = {}
    for name in schema.names:
        if name in categories:
            frame[name] = pd.Categorical.from_codes(columns[name], categories=list(categories[name]))
        else:
            frame[name] = columns[name]
    del columns
    return pd.DataFrame(frame, copy=False)


def _streamable(schema: pa.Schema, categorical: list[str]) -> bool:
    """Whether every column is a required int64/double, or a run/tag string."""
    for field in schema:
        if field.nullable:
            return False
        if field.name in categorical:
            if not pa.types.is_string(field.type) and not pa.types.is_large_string(field.type):
                return False
        elif field.type not in _NUMERIC:
            return False
    return True


def _put_codes(codes: np.ndarray, at: int, chunk: pa.DictionaryArray, seen: dict[str, int]) -> np.ndarray:
    """Writes ``chunk``'s values as codes into the frame's categories ``seen`` (extended with new
    names) at row ``at`` of ``codes``; returns ``codes``, widened first if the categories outgrew
    its integer type."""
    mapping = [seen.setdefault(name, len(seen)) for name in chunk.dictionary.to_pylist()]
    wider: Optional[type] = None
    if len(seen) > np.iinfo(codes.dtype).max:
        wider = np.int16 if len(seen) <= np.iinfo(np.int16).max else np.int32
    if wider is not None:
        codes = codes.astype(wider)
    indices = chunk.indices.to_numpy(zero_copy_only=False)
    np.take(np.asarray(mapping, dtype=codes.dtype), indices, out=codes[at : at + len(chunk)], mode="clip")
    return codes
