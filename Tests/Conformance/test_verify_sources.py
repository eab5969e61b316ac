"""`tbkit verify` of several sources at once (log directories, event files, archives read in
place): each file listed under the source it came from, the exit status the worst of them all."""
import io
import tarfile

from tensorboardX import SummaryWriter


def make_logdir(root, runs):
    for run in runs:
        w = SummaryWriter(str(root / run))
        for step in range(20):
            w.add_scalar("loss", 1.0 / (step + 1), step)
        w.close()
    return root


def test_verify_lists_files_by_source_and_an_archive_member_by_its_path_in_the_archive(tmp_path, tbkit):
    logdir = make_logdir(tmp_path / "logs", ["a", "b"])
    archive = tmp_path / "logs.tar.gz"
    tbkit("archive", logdir, archive)
    result = tbkit("verify", logdir, archive, logdir)
    lines = result.stdout.splitlines()
    assert lines[0] == f"source {logdir}: 2 files"
    assert lines[3] == f"source {archive}: 2 files"
    assert lines[4].startswith(f"ok       {archive}/a/events.out.tfevents.")
    assert lines[5].startswith(f"ok       {archive}/b/events.out.tfevents.")
    assert lines[1].split(":", 1)[1] == lines[4].split(":", 1)[1]  # same records and bytes
    # 4 files of a file_version record and 20 scalars each
    assert lines[-1] == f"4 files checked in 2 sources, {4 * 21} sound records, 0 with problems"


def test_verify_exits_with_the_worst_status_and_names_an_archive_member_whose_digest_fails(tmp_path, tbkit):
    logdir = make_logdir(tmp_path / "logs", ["a", "b"])
    archive = tmp_path / "logs.tar.gz"
    tbkit("archive", logdir, archive)
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(bad, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if data is not None and member.name.startswith("b/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    sound = make_logdir(tmp_path / "sound", ["c"])
    result = tbkit("verify", sound, bad, check=False)
    assert result.returncode == 1
    assert f"source {sound}: 1 file" in result.stdout and f"source {bad}: 1 file" in result.stdout
    assert "b/events.out.tfevents." in result.stderr and "SHA-256" in result.stderr and "not used" in result.stderr
    assert "2 files checked in 2 sources" in result.stdout
    missing = tbkit("verify", sound, tmp_path / "nothing", check=False)
    assert missing.returncode == 2
