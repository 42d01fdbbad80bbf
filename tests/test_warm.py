"""The warm process (`svarsarkivet warm`): a build handed to it is the build a cold command makes, with
the same site, messages and exit codes; it is found only in a private folder, never from other code,
and a command that finds none, or a dead one, builds cold."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT, SEEDS
from test_incremental import same_tree

from bench.synth import write_answers
from generator.warm import CodeWatch, socket_path

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the warm process needs fork and Unix sockets")


def environment(run: Path) -> dict[str, str]:
    # the folder the socket goes in: each test its own, never a warm process the developer left up
    return {"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0", "XDG_RUNTIME_DIR": str(run)}


class Warm:
    """A warm process for `project`, its output in a file (read by `log`)."""

    def __init__(self, run: Path, project: Path = PROJECT):
        self.run = run
        run.mkdir(exist_ok=True)
        self.log_file = run / "warm.log"
        with self.log_file.open("wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "generator", "warm"], cwd=project, env=environment(run),
                                         stdout=log, stderr=subprocess.STDOUT)
        self.wait_for("Ctrl-C stops it")

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8")

    def wait_for(self, text: str, times: int = 1) -> None:
        deadline = time.monotonic() + 60
        while self.log().count(text) < times:
            assert self.proc.poll() is None or self.log().count(text) >= times, self.log()
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.05)

    def builds(self) -> int:
        return sum(" build " in line for line in self.log().splitlines())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(timeout=20)


@pytest.fixture
def warm(tmp_path):
    process = Warm(tmp_path / "run")
    yield process
    process.stop()


def command(run: Path, *args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    """`python -m generator build ARGS` with the warm process (if any) whose socket is in `run`."""
    return subprocess.run([sys.executable, "-m", "generator", "build", *args], cwd=cwd, env=environment(run),
                          capture_output=True, text=True, timeout=300)


def timeless(output: str) -> str:
    return re.sub(r" in [0-9.]+ s", " in T s", output)


def test_a_build_handed_to_the_warm_process_makes_the_site_a_cold_build_makes(warm, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    # relative paths, from another folder than the warm process's: they are the command's
    hot = command(warm.run, "--seeds", "seeds", "--out", "hot", "--base-url", "https://example.org/", cwd=tmp_path)
    assert hot.returncode == 0, hot.stderr
    assert warm.builds() == 1 and f"(in {tmp_path})" in warm.log()
    cold = command(tmp_path / "none", "--seeds", "seeds", "--out", "cold", "--base-url", "https://example.org/", cwd=tmp_path)
    assert cold.returncode == 0, cold.stderr
    assert warm.builds() == 1  # that one found no warm process: it was built here
    assert timeless(hot.stdout.replace("hot", "cold")) == timeless(cold.stdout) and "Built 5 answers" in hot.stdout
    assert same_tree(tmp_path / "hot", tmp_path / "cold") == []
    assert (tmp_path / ".hot.cache").is_dir()  # its cache where a cold build keeps it

    # an edit, through the warm process, against the same edit built cold
    edited = seeds / "001_6cc6f9bb12d67c73.txt"
    text = edited.read_text(encoding="utf-8")
    assert "Fler utsatta områden" in text
    edited.write_text(text.replace("Fler utsatta områden", "Fler utsatta bostadsområden", 1), encoding="utf-8")
    hot = command(warm.run, "--seeds", "seeds", "--out", "hot", "--base-url", "https://example.org/", cwd=tmp_path)
    cold = command(tmp_path / "none", "--seeds", "seeds", "--out", "cold", "--base-url", "https://example.org/", cwd=tmp_path)
    assert hot.returncode == cold.returncode == 0, hot.stderr + cold.stderr
    assert "made)" in hot.stdout and warm.builds() == 2
    assert "Fler utsatta bostadsområden" in (tmp_path / "hot" / "svar" / "2021-22-46" / "index.html").read_text(encoding="utf-8")
    assert same_tree(tmp_path / "hot", tmp_path / "cold") == []


def test_its_messages_exit_codes_and_environment_are_the_command_s(warm, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    broken = seeds / "004_a3e8633d8479b537.txt"
    text = broken.read_text(encoding="utf-8")
    assert "Stockholm den 25 oktober 2017" in text
    broken.write_text(text.replace("Stockholm den 25 oktober 2017", "Stockholm den 35 oktober 2017"), encoding="utf-8")
    results = [command(run, "--seeds", str(seeds), "--out", str(tmp_path / "site")) for run in (warm.run, tmp_path / "none")]
    assert warm.builds() == 1
    assert [r.returncode for r in results] == [1, 1]
    assert results[0].stderr == results[1].stderr and "nothing was written" in results[0].stderr
    assert not (tmp_path / "site").exists()
    # arguments argparse refuses: its message and code 2, as from a cold command
    results = [command(run, "--no-such-option") for run in (warm.run, tmp_path / "none")]
    assert [r.returncode for r in results] == [2, 2] and results[0].stderr == results[1].stderr
    # the environment is the command's: Netlify's URL gives the feeds their address
    env = {**environment(warm.run), "URL": "https://netlify.example/"}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(SEEDS), "--out", str(tmp_path / "env")],
                          cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "https://netlify.example/" in (tmp_path / "env" / "feed.xml").read_text(encoding="utf-8")
    assert warm.builds() == 3


def test_ctrl_c_stops_the_build_it_handed_over(warm, tmp_path):
    write_answers(600, tmp_path / "seeds")
    time.sleep(0.2)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--seeds", "seeds", "--out", "site"], cwd=tmp_path,
                            env=environment(warm.run), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    warm.wait_for(" build ")
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert not (tmp_path / "site").exists()  # nothing half-written
    assert warm.proc.poll() is None  # the warm process lives on, and builds again
    done = command(warm.run, "--seeds", str(SEEDS), "--out", str(tmp_path / "again"))
    assert done.returncode == 0 and warm.builds() == 2


def test_it_is_found_only_in_a_folder_no_one_else_can_open(warm, tmp_path):
    sockets = list(warm.run.rglob("*.sock"))
    assert len(sockets) == 1
    folder = sockets[0].parent
    assert folder.stat().st_mode & 0o777 == 0o700 and sockets[0].stat().st_mode & 0o777 == 0o600
    os.chmod(folder, 0o755)
    try:
        done = command(warm.run, "--seeds", str(SEEDS), "--out", str(tmp_path / "site"))
    finally:
        os.chmod(folder, 0o700)
    assert done.returncode == 0 and warm.builds() == 0  # built cold
    # a second warm process for the same code says the first is up
    second = subprocess.run([sys.executable, "-m", "generator", "warm"], cwd=PROJECT, env=environment(warm.run),
                            capture_output=True, text=True, timeout=60)
    assert second.returncode == 1 and "already up" in second.stderr


def test_a_dead_warm_process_s_socket_is_passed_over_and_replaced(tmp_path):
    first = Warm(tmp_path / "run")
    first.proc.kill()
    first.proc.wait()
    assert list((tmp_path / "run").rglob("*.sock"))  # left behind
    done = command(first.run, "--seeds", str(SEEDS), "--out", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr  # built cold
    second = Warm(tmp_path / "run")
    try:
        done = command(second.run, "--seeds", str(SEEDS), "--out", str(tmp_path / "site"))
        assert done.returncode == 0 and second.builds() == 1
    finally:
        second.stop()
    assert not list((tmp_path / "run").rglob("*.sock"))  # removed as it stopped


def project_copy(folder: Path) -> Path:
    for name in ("generator", "templates", "static"):
        shutil.copytree(PROJECT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "node_modules").symlink_to(PROJECT / "node_modules")
    return folder


def test_changed_code_is_never_run_warm_the_process_starts_again_with_it(tmp_path):
    project = project_copy(tmp_path / "project")
    warm = Warm(tmp_path / "run", project)
    try:
        done = command(warm.run, "--seeds", str(SEEDS), "--out", str(tmp_path / "site"), cwd=project)
        assert done.returncode == 0 and warm.builds() == 1, done.stderr
        # saved unchanged: still the same code
        errors = project / "generator" / "errors.py"
        errors.write_text(errors.read_text(encoding="utf-8"), encoding="utf-8")
        done = command(warm.run, "--seeds", str(SEEDS), "--out", str(tmp_path / "site"), cwd=project)
        assert done.returncode == 0 and warm.builds() == 2
        # changed: this build is made cold, by the new code, and the warm process starts again with it
        errors.write_text(errors.read_text(encoding="utf-8").replace('"""', '"""Changed. ', 1), encoding="utf-8")
        done = command(warm.run, "--seeds", str(SEEDS), "--out", str(tmp_path / "site"), cwd=project)
        assert done.returncode == 0 and warm.builds() == 2, done.stderr
        warm.wait_for("starting again")
        warm.wait_for("Ctrl-C stops it", times=2)
        done = command(warm.run, "--seeds", str(SEEDS), "--out", str(tmp_path / "site"), cwd=project)
        assert done.returncode == 0 and warm.builds() == 3
    finally:
        warm.stop()


def test_code_watch_tells_a_changed_file_from_one_saved_unchanged(tmp_path):
    project = tmp_path / "project"
    (project / "generator").mkdir(parents=True)
    code = project / "generator" / "a.py"
    code.write_text("A = 1\n", encoding="utf-8")
    watch = CodeWatch(str(project))
    assert watch.current()
    code.write_text("A = 1\n", encoding="utf-8")
    os.utime(code, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    assert watch.current()
    code.write_text("A = 2\n", encoding="utf-8")
    assert not watch.current()
    (project / "generator" / "a.py").write_text("A = 1\n", encoding="utf-8")
    (project / "generator" / "b.py").write_text("", encoding="utf-8")
    assert not watch.current()


def test_the_command_falls_back_cold_where_the_socket_path_would_be_too_long(tmp_path):
    deep = tmp_path / ("x" * 120)
    deep.mkdir()
    assert socket_path(str(PROJECT)) is not None
    env = environment(deep)
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(SEEDS), "--out", str(tmp_path / "site")],
                          cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    refused = subprocess.run([sys.executable, "-m", "generator", "warm"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "shorter folder" in refused.stderr


def test_a_ctrl_c_during_the_hand_over_reaches_the_build_once_it_is_under_way(tmp_path, monkeypatch):
    """The command's side alone, against a stand-in for the warm process: a Ctrl-C that comes after the
    request and before the build has started is passed on to the build's process group then."""
    import socket
    import threading

    from generator import warm

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    path = warm.socket_path(warm.project_folder())
    os.makedirs(os.path.dirname(path), mode=0o700)
    build = subprocess.Popen(["sleep", "60"], start_new_session=True)  # the build, in a process group of its own
    handlers = {name: signal.getsignal(getattr(signal, name)) for name in warm.FORWARDED}
    outcome = {}

    def stand_in(listener: socket.socket) -> None:
        conn, _address = listener.accept()
        with conn:
            _head, fds, _flags, _address = socket.recv_fds(conn, 4, 3)
            for fd in fds:
                os.close(fd)
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, before the build is under way
            time.sleep(0.3)
            conn.sendall(warm.STARTED + build.pid.to_bytes(4, "big"))
            outcome["build"] = build.wait(timeout=20)
            conn.sendall(warm.ENDED + warm.INTERRUPTED.to_bytes(4, "big", signed=True))

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(path)
        listener.listen(1)
        thread = threading.Thread(target=stand_in, args=(listener,))
        thread.start()
        try:
            code = warm.built_warm(["build", "--seeds", "seeds"])
        finally:
            thread.join(timeout=30)
            for name, handler in handlers.items():
                signal.signal(getattr(signal, name), handler)
            build.kill()
    assert code == warm.INTERRUPTED
    assert outcome["build"] == -signal.SIGINT
