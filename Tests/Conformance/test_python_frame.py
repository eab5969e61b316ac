"""tbkit's Parquet-to-DataFrame reader (python/tbkit/_frame.py) against pyarrow's own conversion,
on files shaped to reach its edges: many row groups whose run/tag dictionaries differ, more tags
than an int8 code holds, no rows at all, and columns it leaves to pyarrow."""
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from conftest import ROOT

sys.path.insert(0, str(ROOT / "python"))
from tbkit._frame import parquet_frame  # noqa: E402

SCHEMA = pa.schema([
    pa.field("run", pa.string(), nullable=False),
    pa.field("tag", pa.string(), nullable=False),
    pa.field("step", pa.int64(), nullable=False),
    pa.field("wall_time", pa.float64(), nullable=False),
    pa.field("value", pa.float64(), nullable=False),
])


def parquet_bytes(table, row_group_size):
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, row_group_size=row_group_size, compression="gzip")
    return sink.getvalue().to_pybytes()


def scalar_table(rows, tags):
    rng = np.random.default_rng(7)
    return pa.table({
        "run": [f"run{i // 5000}" for i in range(rows)],
        # A tag's first appearance moves through the file, so each row group's dictionary is a
        # different list, in a different order.
        "tag": [f"tag{(i * 7919) % tags if i > rows // 3 else i % 3}" for i in range(rows)],
        "step": np.arange(rows, dtype=np.int64) * 3 - 5,
        "wall_time": 1.7e9 + np.arange(rows) / 8,
        "value": rng.standard_normal(rows),
    }, schema=SCHEMA)


def assert_same_as_pyarrow(frame, table):
    expected = table.to_pandas()
    assert list(frame.columns) == list(expected.columns)
    assert len(frame) == len(expected)
    for name in expected.columns:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            assert list(frame[name].astype(str)) == list(expected[name])
        else:
            assert frame[name].dtype == expected[name].dtype
            np.testing.assert_array_equal(frame[name].to_numpy(), expected[name].to_numpy())


def test_many_row_groups_with_differing_dictionaries_read_as_pyarrow_reads_them():
    table = scalar_table(20_000, tags=40)
    frame = parquet_frame(parquet_bytes(table, row_group_size=3_000))
    assert_same_as_pyarrow(frame, table)
    assert isinstance(frame["run"].dtype, pd.CategoricalDtype)
    assert isinstance(frame["tag"].dtype, pd.CategoricalDtype)
    assert frame["tag"].cat.codes.dtype == np.int8


def test_more_tags_than_an_int8_code_holds_widen_the_codes_without_losing_rows():
    table = scalar_table(30_000, tags=1_000)
    frame = parquet_frame(parquet_bytes(table, row_group_size=4_096))
    assert_same_as_pyarrow(frame, table)
    assert frame["tag"].cat.categories.size == len(set(table.column("tag").to_pylist()))
    assert frame["tag"].cat.codes.dtype == np.int16


def test_a_file_without_rows_gives_the_columns_and_no_rows():
    frame = parquet_frame(parquet_bytes(scalar_table(0, tags=1), row_group_size=100))
    assert list(frame.columns) == SCHEMA.names
    assert len(frame) == 0
    assert frame["step"].dtype == np.int64


def test_nullable_and_text_columns_go_through_pyarrows_conversion_unchanged():
    table = pa.table({
        "run": ["a", "b", "a"],
        "hparam/lr": pa.array([0.1, None, 0.3], pa.float64()),
        "text": ["x", "y", "z"],
    })
    frame = parquet_frame(parquet_bytes(table, row_group_size=2))
    assert list(frame["run"].astype(str)) == ["a", "b", "a"]
    assert np.isnan(frame["hparam/lr"][1]) and frame["hparam/lr"][2] == 0.3
    assert list(frame["text"]) == ["x", "y", "z"]
