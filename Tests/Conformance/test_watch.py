"""`tbkit watch` on a log directory that grows while it runs: in a pseudo-terminal (tmux: keys
sent with send-keys, the screen read with capture-pane) and in plain mode through a pipe."""
import os
import select
import shutil
import signal
import subprocess
import time
import uuid

import pytest
from tensorboardX import SummaryWriter

from conftest import tbkit_binary

TMUX = shutil.which("tmux")


def wait_until(predicate, what, timeout=30):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; last seen:\n{last}")


class Tmux:
    def __init__(self, command, cwd):
        self.name = "tbkit-watch-" + uuid.uuid4().hex[:8]
        self.env = dict(os.environ, TMUX="")
        subprocess.run([TMUX, "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", command],
                       check=True, cwd=cwd, env=self.env)
        self.run("set-option", "-t", self.name, "remain-on-exit", "on")

    def run(self, *args):
        return subprocess.run([TMUX, *args], check=True, capture_output=True, text=True, env=self.env).stdout

    def screen(self):
        return self.run("capture-pane", "-p", "-t", self.name)

    def show(self, fmt):
        return self.run("display-message", "-p", "-t", self.name, fmt).strip()

    def close(self):
        subprocess.run([TMUX, "kill-session", "-t", self.name], capture_output=True, env=self.env)


def write_points(writer, tag, steps, scale=1.0):
    for step in steps:
        writer.add_scalar(tag, scale / (step + 1), step)
    writer.flush()


@pytest.mark.skipif(TMUX is None, reason="needs tmux (apt-get install tmux)")
@pytest.mark.parametrize("quit_key", ["q", "C-c"])
def test_watch_follows_a_growing_logdir_in_a_terminal_and_restores_it_on_quit(tmp_path, quit_key):
    logdir = tmp_path / "logs"
    a = SummaryWriter(str(logdir / "a"), flush_secs=1)
    write_points(a, "loss", range(3))
    after = tmp_path / "stty-after.txt"
    command = f"'{tbkit_binary()}' watch '{logdir}' --interval 0.2; echo exit=$? > '{tmp_path}/rc.txt'; stty -a > '{after}'; sleep 60"
    tmux = Tmux(command, tmp_path)
    try:
        wait_until(lambda: "step 2" in (s := tmux.screen()) and s, "the first points")
        assert tmux.show("#{alternate_on}") == "1"
        screen = tmux.screen()
        assert "a  (1 file)" in screen and "loss" in screen and "q quits" in screen
        write_points(a, "loss", range(3, 10))  # the same file grows
        write_points(a, "acc", range(10))
        wait_until(lambda: "step 9" in (s := tmux.screen()) and "acc" in s and s, "the appended points")
        b = SummaryWriter(str(logdir / "b"), flush_secs=1)  # a run that starts later
        write_points(b, "loss", range(5), scale=2.0)
        screen = wait_until(lambda: "step 4" in (s := tmux.screen()).split("b  (1 file)")[-1] and s, "the new run")
        assert any(ch in screen for ch in "▁▂▃▄▅▆▇█")
        tmux.run("send-keys", "-t", tmux.name, quit_key)
        wait_until(lambda: (tmp_path / "rc.txt").exists() and after.exists() and after.stat().st_size > 0, "watch to quit")
        assert (tmp_path / "rc.txt").read_text().strip() == "exit=0"
        wait_until(lambda: tmux.show("#{alternate_on}") == "0", "the alternate screen to be left")
        assert tmux.show("#{cursor_flag}") == "1"
        modes = after.read_text().split()
        assert "icanon" in modes and "echo" in modes and "isig" in modes  # not raw any more
        a.close()
        b.close()
    finally:
        tmux.close()


def test_watch_prints_a_line_per_update_through_a_pipe_and_ends_on_sigint(tmp_path):
    logdir = tmp_path / "logs"
    a = SummaryWriter(str(logdir / "a"), flush_secs=1)
    write_points(a, "loss", range(3))
    # tensorboardX writes from a queue thread: start watching once all three points are on disk.
    from tensorboard.backend.event_processing import event_accumulator
    def on_disk():
        acc = event_accumulator.EventAccumulator(str(logdir / "a"))
        acc.Reload()
        return "loss" in acc.Tags()["scalars"] and len(acc.Scalars("loss")) == 3
    wait_until(on_disk, "tensorboardX to write the first points")
    proc = subprocess.Popen([tbkit_binary(), "watch", str(logdir), "--interval", "0.2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []

    def read_until(predicate, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            r, _, _ = select.select([proc.stdout], [], [], 0.2)
            if r:
                lines.append(proc.stdout.readline().rstrip("\n"))
        raise AssertionError(f"timed out; lines so far: {lines}")

    try:
        read_until(lambda: any(l.startswith("a\tloss\t2\t") for l in lines))
        assert lines[0] == "a\tloss\t2\t0.333333"  # the last point of each series first, not every point
        write_points(a, "loss", [3])
        read_until(lambda: "a\tloss\t3\t0.25" in lines)
        b = SummaryWriter(str(logdir / "b"), flush_secs=1)
        write_points(b, "acc", [0])
        read_until(lambda: "b\tacc\t0\t1" in lines)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert "\x1b" not in "".join(lines)  # no terminal control codes in plain mode
        a.close()
        b.close()
    finally:
        if proc.poll() is None:
            proc.kill()


def lab_like_logdir(root):
    """8 runs of 11 tags (10 scalars and a histogram), as the lab writes: taller than 40 rows."""
    import numpy as np
    runs = [f"run{i}" for i in range(8)]
    for name in runs:
        w = SummaryWriter(str(root / name), flush_secs=1)
        for t in range(10):
            write_points(w, f"tag{t:02d}", range(3))
        w.add_histogram("weights", np.arange(100, dtype=np.float32) / 100, 2)
        w.close()
    return runs


@pytest.mark.skipif(TMUX is None, reason="needs tmux (apt-get install tmux)")
def test_watch_scrolls_a_table_taller_than_the_terminal_with_arrows_pages_home_and_end(tmp_path):
    logdir = tmp_path / "logs"
    lab_like_logdir(logdir)
    command = f"'{tbkit_binary()}' watch '{logdir}' --interval 0.3; sleep 60"
    tmux = Tmux(command, tmp_path)

    def key(name, expect, what):
        tmux.run("send-keys", "-t", tmux.name, name)
        return wait_until(lambda: expect(s := tmux.screen()) and s, what)

    try:
        screen = wait_until(lambda: "of 104" in (s := tmux.screen()) and s, "the scroll line")
        # 8 runs × (blank, name, 11 tags) = 104 body lines; 40 rows: the header, 38 lines, the footer.
        assert "lines 1–38 of 104" in screen and "run0  (1 file)" in screen and "run7" not in screen
        key("End", lambda s: "lines 67–104 of 104" in s, "End")
        screen = tmux.screen()
        assert "run7  (1 file)" in screen and "run0  (1 file)" not in screen
        last = [l for l in screen.splitlines() if l.strip()][-2]
        assert last.lstrip().startswith("weights") and "histogram n=100 " in last
        key("Home", lambda s: "lines 1–38 of 104" in s, "Home")
        key("Down", lambda s: "lines 2–39 of 104" in s, "Down")
        key("Up", lambda s: "lines 1–38 of 104" in s, "Up")
        key("PageDown", lambda s: "lines 38–75 of 104" in s, "PageDown")
        key("PageUp", lambda s: "lines 1–38 of 104" in s, "PageUp")
        assert tmux.screen().splitlines()[0].startswith("tbkit watch ")  # the header stays
    finally:
        tmux.close()


def read_lines(proc, count, timeout=20):
    """What `proc` printed once it has printed `count` lines (or `timeout` seconds passed)."""
    out = b""
    deadline = time.time() + timeout
    while out.count(b"\n") < count and time.time() < deadline:
        r, _, _ = select.select([proc.stdout], [], [], 0.2)
        if r:
            out += os.read(proc.stdout.fileno(), 65536)
    return out


def test_watch_run_and_tag_filters_keep_only_the_named_series_with_a_histogram_line(tmp_path):
    logdir = tmp_path / "logs"
    lab_like_logdir(logdir)
    proc = subprocess.Popen([tbkit_binary(), "watch", str(logdir), "--interval", "0.2",
                             "--run", "run3", "--run", "run5", "--tag", "tag04", "--tag", "weights"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out = read_lines(proc, 4)
        lines = out.decode().splitlines()
        assert sorted(l.split("\t")[0] + "/" + l.split("\t")[1] for l in lines) == [
            "run3/tag04", "run3/weights", "run5/tag04", "run5/weights"]
        hist = next(l for l in lines if "\tweights\t" in l).split("\t")
        assert hist[2] == "2" and hist[3].startswith("n=100 mean=0.495 ")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("args,option,names", [
    (["--run", "nosuch"], "--run nosuch", "run0, run1"),
    (["--tag", "nosuch"], "--tag nosuch", "tag00, tag01"),
])
def test_watch_filter_matching_nothing_is_an_error_listing_what_there_is(tmp_path, args, option, names):
    logdir = tmp_path / "logs"
    lab_like_logdir(logdir)
    result = subprocess.run([tbkit_binary(), "watch", str(logdir), "--plain", *args],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 1
    assert result.stderr.startswith("tbkit: error: " + option + " matches no ")
    assert names in result.stderr


def test_watch_follows_several_logdirs_naming_shared_runs_by_their_logdir(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for root, scale in ((first, 1.0), (second, 2.0)):
        for run in (["shared", "only-" + root.name]):
            w = SummaryWriter(str(root / run), flush_secs=1)
            write_points(w, "loss", range(3), scale)
            w.close()
    proc = subprocess.Popen([tbkit_binary(), "watch", str(first), str(second) + "/", str(first), "--interval", "0.2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out = read_lines(proc, 4)
        lines = sorted(out.decode().splitlines())
        assert lines == [
            f"{first}/shared\tloss\t2\t0.333333",
            f"{second}/shared\tloss\t2\t0.666667",
            "only-first\tloss\t2\t0.333333",
            "only-second\tloss\t2\t0.666667",
        ]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_watch_refuses_an_archive_with_the_usage_status(tmp_path):
    logdir = tmp_path / "logs"
    w = SummaryWriter(str(logdir / "a"))
    write_points(w, "loss", range(3))
    w.close()
    archive = tmp_path / "logs.tar.gz"
    subprocess.run([tbkit_binary(), "archive", str(logdir), str(archive)], check=True, capture_output=True)
    result = subprocess.run([tbkit_binary(), "watch", str(logdir), str(archive), "--plain"],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert "does not grow" in result.stderr
