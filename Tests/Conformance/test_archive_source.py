"""A `tbkit archive` .tar.gz read in place as a source by every reading command: the same runs,
rows and tables as its log directory; a member whose SHA-256 does not match the manifest is named
and its data left out; a truncated archive gives the runs before the damage, names it, exits 1."""
import csv
import io
import json
import os
import subprocess
import sys
import tarfile
import zlib

import pytest
from tensorboardX import SummaryWriter

RUNS = ["alpha", "beta", "gamma"]


@pytest.fixture(scope="module")
def study(tmp_path_factory, tbkit):
    root = tmp_path_factory.mktemp("archive_source")
    logdir = root / "logs"
    for r, run in enumerate(RUNS):
        w = SummaryWriter(str(logdir / run))
        for step in range(300):
            w.add_scalar("loss", 1.0 / (step + 1 + r), step)
            if step % 30 == 0:
                w.add_histogram("w", [float(step + i) for i in range(10)], step)
        w.close()
    archive = root / "study.tar.gz"
    tbkit("archive", logdir, archive)
    return {"root": root, "logdir": logdir, "archive": archive}


def rows(text):
    return [tuple(r.values()) for r in csv.DictReader(io.StringIO(text))]


def test_export_of_the_archive_equals_export_of_its_logdir(study, tbkit):
    for extra in ([], ["--kind", "histograms"], ["--kind", "histograms", "--stats"]):
        a = tbkit("export", study["archive"], *extra).stdout
        b = tbkit("export", study["logdir"], *extra).stdout
        assert a == b and len(rows(a)) > 0, extra


def test_inspect_compare_and_report_of_the_archive_match_the_logdir(study, tbkit, tmp_path):
    a = json.loads(tbkit("inspect", study["archive"], "--json").stdout)
    b = json.loads(tbkit("inspect", study["logdir"], "--json").stdout)
    assert [r["name"] for r in a["runs"]] == RUNS
    strip = lambda runs: [{k: v for k, v in r.items() if k not in ("files", "source")} for r in runs]
    assert strip(a["runs"]) == strip(b["runs"])
    def entries(source):
        tables = json.loads(tbkit("compare", source, "--json").stdout)["tags"]
        return [[{k: v for k, v in e.items() if k != "source"} for e in t["entries"]] for t in tables]

    assert entries(study["archive"]) == entries(study["logdir"])
    tbkit("report", study["archive"], "-o", tmp_path / "a.html")
    assert "alpha" in (tmp_path / "a.html").read_text()


def rewrite(archive, out, change):
    """Copies a .tar.gz member by member, `change(name, data)` giving each member's new data."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if data is not None:
                data = change(member.name, data)
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)


def test_a_member_whose_sha256_does_not_match_is_named_and_its_data_not_used(study, tbkit, tmp_path):
    bad = tmp_path / "bad.tar.gz"

    def flip(name, data):
        if name.startswith("beta/") and "tfevents" in name:
            data = bytearray(data)
            data[-1] ^= 0x01  # the last record's data CRC: the file is no longer the archived one
            return bytes(data)
        return data

    rewrite(study["archive"], bad, flip)
    result = tbkit("export", bad, check=False)
    assert result.returncode == 1
    assert "beta/" in result.stderr and "SHA-256" in result.stderr and "not used" in result.stderr
    runs = {r[0] for r in rows(result.stdout)}
    assert runs == {"alpha", "gamma"}


def test_a_truncated_archive_gives_the_runs_before_the_damage_and_exits_1(study, tbkit, tmp_path):
    whole = study["archive"].read_bytes()
    # Cut the compressed file where the inflated stream is halfway through gamma's event file.
    with tarfile.open(study["archive"], "r:gz") as t:
        gamma = next(m for m in t.getmembers() if m.name.startswith("gamma/") and "tfevents" in m.name)
    target, inflated = gamma.offset_data + gamma.size // 2, 0
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    for end in range(256, len(whole), 256):
        inflated += len(stream.decompress(whole[end - 256:end]))
        if inflated >= target:
            break
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[:end])
    result = tbkit("export", cut, check=False)
    assert result.returncode == 1
    assert "damaged at compressed byte" in result.stderr and f"member {gamma.name}" in result.stderr, result.stderr
    got = rows(result.stdout)
    full = rows(tbkit("export", study["logdir"]).stdout)
    assert got == [r for r in full if r[0] in ("alpha", "beta")]
    inspect = tbkit("inspect", cut, check=False)
    assert inspect.returncode == 1 and "run beta" in inspect.stdout and "run gamma" not in inspect.stdout


def test_an_archive_and_its_logdir_together_are_two_sources_with_prefixed_runs(study, tbkit):
    result = tbkit("export", study["logdir"], study["archive"])
    header = result.stdout.splitlines()[0]
    assert header == "run,source,tag,step,wall_time,value"
    names = {r[0] for r in rows(result.stdout)}
    assert f"{study['archive']}/alpha" in names and f"{study['logdir']}/alpha" in names


PEAK_RSS = """
import os, resource, subprocess, sys
env = dict(os.environ)
if sys.argv[1] != "-":
    env["TBKIT_ARCHIVE_MEMORY_MB"] = sys.argv[1]
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, env=env, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def peak_rss_mb(budget, *command):
    """Peak RSS in MiB of one command, run from a fresh interpreter so no other child counts."""
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, budget, *map(str, command)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def test_reading_an_archive_in_place_holds_at_most_its_memory_budget_not_the_archive(tbkit, tmp_path):
    # 24 runs of 2.2 MB: 53 MB of event files, far more than the 4 MiB budget.
    logdir = tmp_path / "big"
    for r in range(24):
        tbkit("write-sample", logdir / f"r{r:02d}", "--stress-scalars", "50000")
    total_mb = sum(p.stat().st_size for p in logdir.rglob("*tfevents*")) / 2**20
    assert total_mb > 50
    archive = tmp_path / "big.tar.gz"
    tbkit("archive", logdir, archive)
    binary = tbkit("inspect", logdir).args[0]
    extracted = peak_rss_mb("-", binary, "export", logdir)
    bounded = peak_rss_mb("4", binary, "export", archive)
    unbounded = peak_rss_mb("1024", binary, "export", archive)
    # Holding every member is visible in the measure, so the bounded figure means something...
    assert unbounded - extracted > total_mb * 0.6, (extracted, bounded, unbounded)
    # ...and the bounded reading holds its budget and the files in flight, not the archive.
    assert bounded - extracted < total_mb * 0.4, (extracted, bounded, unbounded)
    a = tbkit("export", archive, env={**os.environ, "TBKIT_ARCHIVE_MEMORY_MB": "4"}).stdout
    assert a == tbkit("export", logdir).stdout
