"""The command line's way in, and the warm process that spares a build the program's start.

A build from the command line spends about a third of an edit's rebuild starting Python and
importing the program and Jinja before it reads a single input. `svarsarkivet warm` is a process
that has done that once and stays up, as a compiler's daemon does (mypy's dmypy, Gradle's daemon):
each `svarsarkivet build` hands it its arguments, folder, environment and terminal, and it forks a
copy of itself that runs the build as the command would, writing to that terminal and exiting with
its code. Each build is a process of its own that starts from the cache on disk, as any build does:
nothing a build does outlives it in the warm process, so a build through it makes the same site.

The warm process is found by its socket, one per project and Python, in a folder only its user can
open. A build that finds none, or one started from other code, runs as it always did (cold). When
the program's code or the installed packages change, the warm process starts itself again.

This module is imported by every command: until it knows it will build cold, it imports only modules
built into the interpreter (`_socket` and `_signal` stand in for their wrappers, whose import, enum
and all, took 11 ms of a 20 ms start).
"""

from __future__ import annotations

import marshal
import os
import sys

PROTOCOL = 1
STARTED, REFUSED, ENDED = b"S", b"R", b"E"
INTERRUPTED = 130  # a build stopped by Ctrl-C, as a shell reports it
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP")  # what the command passes on to the build it handed over


def main() -> None:
    """`python -m generator` and `svarsarkivet`: a build through the warm process if one is up for
    this code, else the command as it always ran."""
    argv = sys.argv[1:]
    code = built_warm(argv) if argv[:1] == ["build"] else None
    if code is None:
        run_cold()  # ends the process
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_cold() -> None:
    import gc

    # Importing the package makes some 44,000 objects that live as long as the process; the collector
    # would visit them in some 60 young collections and find nothing (a tenth of the start-up time).
    gc.disable()
    from generator.cli import run

    gc.freeze()
    gc.enable()
    run()


def project_folder() -> str:
    return os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def socket_path(project: str) -> str | None:
    """Where the warm process of this project and this Python listens; None where there is no such
    thing (no Unix sockets, no user id) or the path is too long for a socket."""
    if not hasattr(os, "getuid") or not hasattr(os, "fork"):
        return None
    import binascii  # built into Python, as are marshal, _socket, _signal and array

    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("TMPDIR") or "/tmp"
    which = f"{project}\0{sys.executable}\0{sys.version}".encode("utf-8", "surrogateescape")
    path = os.path.join(base, f"svarsarkivet-{os.getuid()}", f"{binascii.crc32(which):08x}.sock")
    return path if len(path.encode("utf-8", "surrogateescape")) < 100 else None


def private_folder(folder: str) -> bool:
    """Whether `folder` is a folder (not a link) of this user that no one else can open: a socket found
    elsewhere could be anyone's, and a build hands over its environment and terminal."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return info.st_mode & 0o170000 == 0o040000 and info.st_uid == os.getuid() and info.st_mode & 0o077 == 0


def request(project: str, argv: list[str]) -> bytes:
    message = marshal.dumps((PROTOCOL, project, sys.executable, argv, os.getcwd(), dict(os.environ), current_umask()))
    return len(message).to_bytes(4, "big") + message


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ---- the command's side ----------------------------------------------------------------------

def built_warm(argv: list[str]) -> int | None:
    """Hand the build to the warm process and wait for its exit code; None if there is no warm process
    for this code, or it declined (the caller builds cold)."""
    project = project_folder()
    path = socket_path(project)
    if path is None or not private_folder(os.path.dirname(path)):
        return None
    try:
        import _signal
        import _socket
        from array import array

        conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    except (ImportError, AttributeError, OSError):
        return None
    # Ctrl-C and the like go to the build once it is under way (to its process group: its workers
    # too, as a terminal sends them to a cold build's); one that comes before is passed on then
    group, pending = [], []

    def forward(signum: int, _frame) -> None:
        if not group:
            pending.append(signum)
            return
        try:
            os.killpg(group[0], signum)
        except OSError:  # it has ended meanwhile
            pass
    before = {name: _signal.signal(getattr(_signal, name), forward) for name in FORWARDED}
    try:
        conn.connect(path)
        if not same_user(conn, _socket):
            raise PermissionError
        message = request(project, argv)
        sent = conn.sendmsg([message], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, array("i", (0, 1, 2)))])
        conn.sendall(message[sent:])
        reply = received(conn, 5)
    except OSError:
        reply = b""
    if reply[:1] != STARTED or len(reply) != 5:
        conn.close()
        for name, handler in before.items():
            _signal.signal(getattr(_signal, name), handler)
        for signum in pending:  # as if it had come now, to this process
            os.kill(os.getpid(), signum)
        return None
    group.append(int.from_bytes(reply[1:], "big"))
    for signum in pending:
        forward(signum, None)
    try:
        ended = received(conn, 5)
    except OSError:
        ended = b""
    finally:
        conn.close()
    if ended[:1] != ENDED or len(ended) != 5:
        print("error: the build in the warm process ended without a result", file=sys.stderr)
        return 1
    return int.from_bytes(ended[1:], "big", signed=True)


def same_user(conn, sockets) -> bool:
    """Whether the process at the other end is this user's (where the system says: Linux)."""
    if not hasattr(sockets, "SO_PEERCRED"):
        return True
    credentials = conn.getsockopt(sockets.SOL_SOCKET, sockets.SO_PEERCRED, 12)
    return int.from_bytes(credentials[4:8], sys.byteorder) == os.getuid()


def received(conn, size: int) -> bytes:
    """`size` bytes, or fewer if the other end closed first (a signal received meanwhile is handled,
    and the wait goes on)."""
    data = b""
    while len(data) < size:
        more = conn.recv(size - len(data))
        if not more:
            break
        data += more
    return data


# ---- the warm process ------------------------------------------------------------------------

def keep_warm() -> int:
    """`svarsarkivet warm`: import the program and serve builds until stopped (Ctrl-C)."""
    import gc
    import signal
    import socket

    gc.disable()
    # what a build imports, the pages' Jinja and Markdown with the rest, imported once here
    import jinja2  # noqa: F401
    import markdown  # noqa: F401

    from generator import cli
    from generator.build import Loaded
    from generator.cache import registry_of, registry_record

    cli.parser()  # kept (4 ms of each build's start)
    project = project_folder()
    code = CodeWatch(project)
    loaded = Loaded(code.key, registry_of(registry_record(None, code.key), code.key))
    gc.freeze()
    gc.enable()
    path = socket_path(project)
    if path is None:
        print("error: no warm process here: it needs Unix sockets, and a short path for one "
              "(set XDG_RUNTIME_DIR or TMPDIR to a shorter folder)", file=sys.stderr)
        return 1
    listener = listening_socket(path)
    if listener is None:
        return 1
    # ended children are reaped by the system; each build restores the default (see run_handed_over)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for ending in (signal.SIGTERM, signal.SIGHUP):  # stopped, or its terminal closed: its socket is removed
        signal.signal(ending, lambda _signum, _frame: sys.exit(0))
    inode = os.stat(path).st_ino
    print(f"Warm: builds of {project} from the command line start here, at once "
          f"(socket {path}). Ctrl-C stops it.", flush=True)
    try:
        while True:
            conn, _address = listener.accept()
            with conn:
                restart = serve_one(conn, listener, socket, project, code, loaded)
            if restart:
                print("The code or the installed packages changed: starting again.", flush=True)
                stop_listening(listener, path, inode)
                os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        stop_listening(listener, path, inode)


def listening_socket(path: str):
    """The warm process's socket, made in a private folder; None (and said why) if another warm
    process is up for this code, or the folder is not private."""
    import contextlib
    import socket

    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as e:
        print(f"error: cannot make {folder}: {e.strerror}", file=sys.stderr)
        return None
    if not private_folder(folder):
        print(f"error: {folder} is not a folder of yours that only you can open", file=sys.stderr)
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:  # none there, or one left by a process that ended without removing it
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        else:
            print(f"error: a warm process is already up for this project ({path})", file=sys.stderr)
            return None
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(path)
        os.chmod(path, 0o600)
        listener.listen(16)
    except OSError as e:  # another one started meanwhile, say
        listener.close()
        print(f"error: cannot listen on {path}: {e.strerror}", file=sys.stderr)
        return None
    return listener


def stop_listening(listener, path: str, inode: int) -> None:
    """Close the socket and remove its file (`inode`), if that is still there (not a newer process's)."""
    import contextlib

    listener.close()
    with contextlib.suppress(OSError):
        if os.stat(path).st_ino == inode:
            os.unlink(path)


class CodeWatch:
    """Whether the code this process imported is still the code on disk: the generator's files by
    their status, and by their digest when that changed (an editor saving a file unchanged), and the
    folders Python imports from (installing or removing a package changes them)."""

    def __init__(self, project: str):
        from pathlib import Path

        from generator.cache import code_key

        self.folder = os.path.join(project, "generator")
        self.status = self.files_status()
        self.key = code_key(Path(self.folder))
        self.paths = self.import_paths()

    def files_status(self) -> tuple:
        found, stack = [], [self.folder]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != "__pycache__":
                            stack.append(entry.path)
                    else:
                        info = entry.stat(follow_symlinks=False)
                        found.append((entry.path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
        return tuple(sorted(found))

    def import_paths(self) -> tuple:
        stamps = []
        for folder in sys.path:
            try:
                stamps.append((folder, os.stat(folder or ".").st_mtime_ns))
            except OSError:
                stamps.append((folder, None))
        return tuple(stamps)

    def current(self) -> bool:
        from pathlib import Path

        from generator.cache import code_key

        if self.import_paths() != self.paths:
            return False
        status = self.files_status()
        if status != self.status:
            if code_key(Path(self.folder)) != self.key:
                return False
            self.status = status
        return True


def serve_one(conn, listener, socket, project: str, code: CodeWatch, loaded) -> bool:
    """Take one build from `conn` and start it in a process of its own (and say so); whether this
    process must start again (its code is not the code on disk)."""
    import time

    conn.settimeout(5)  # a command that connects and says nothing holds up no other
    fds: list[int] = []
    try:
        if not same_user(conn, socket):
            return False
        head, fds, _flags, _address = socket.recv_fds(conn, 4, 3)
        head += received(conn, 4 - len(head))
        body = received(conn, int.from_bytes(head, "big"))
        version, their_project, executable, argv, cwd, env, umask = marshal.loads(body)
        if version != PROTOCOL or their_project != project or executable != sys.executable or len(fds) != 3:
            conn.sendall(REFUSED)
            return False
        if not code.current():
            conn.sendall(REFUSED)
            return True
        conn.settimeout(None)
        pid = os.fork()
        if pid == 0:
            try:
                listener.close()
                run_handed_over(conn, fds, argv, cwd, env, umask, loaded)
            finally:  # never back into the loop, a second warm process
                os._exit(1)
        print(f"{time.strftime('%H:%M:%S')} build {pid}: {' '.join(argv[1:])} (in {cwd})", flush=True)
        return False
    except (OSError, ValueError, EOFError, TypeError):  # a command that went away, or not ours
        return False
    finally:
        for fd in fds:
            os.close(fd)


def run_handed_over(conn, fds: list[int], argv: list[str], cwd: str, env: dict, umask: int, loaded) -> None:
    """In the forked process: become the command that handed the build over (its terminal, folder,
    environment and umask), run the build and send its exit code; never returns."""
    import signal
    import traceback

    code, kept = 1, []
    try:
        os.setpgid(0, 0)  # Ctrl-C where the warm process runs stops it, not the builds it started
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the build waits for the processes it forks
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        os.umask(umask)
        conn.sendall(STARTED + os.getpid().to_bytes(4, "big"))
        code = exit_code_of(argv, loaded, kept)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            conn.sendall(ENDED + code.to_bytes(4, "big", signed=True))
        finally:
            os._exit(code)


def exit_code_of(argv: list[str], loaded, kept: list) -> int:
    """The build's exit code, as the process of a cold command would end with it. Its report goes in
    `kept`, held until the process ends, as cli.run holds it (freeing the build's objects one by one
    would cost 8 ms of an edit at 2,000 answers)."""
    import traceback

    from generator.cli import command

    try:
        code, report = command(argv, loaded)
        kept.append(report)
        return code
    except SystemExit as e:  # argparse, for --help and for arguments it does not take
        if e.code is None or isinstance(e.code, int):
            return e.code or 0
        print(e.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return INTERRUPTED
    except Exception:
        traceback.print_exc()
        return 1
