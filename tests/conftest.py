import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
CORPUS = Path(__file__).parent / "corpus"


def run_build(*args: str, cwd: Path = PROJECT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0", **(env or {})})


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The site built from seeds/, once per test run."""
    out = tmp_path_factory.mktemp("seed") / "site"
    result = run_build("--seeds", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="session")
def synthetic_site(tmp_path_factory) -> Path:
    """A site built from 150 synthetic answers (bench/synth.py): big enough for several index shards."""
    from bench.synth import write_answers

    folder = tmp_path_factory.mktemp("synthetic")
    write_answers(150, folder / "seeds")
    result = run_build("--seeds", str(folder / "seeds"), "--out", str(folder / "site"))
    assert result.returncode == 0, result.stderr
    return folder / "site"
