"""The CI recipe users copy (examples/ci/): the workflow's validation step and the pre-commit hook
run here exactly as written, on a throwaway Git repository with one conforming and one broken file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Graph
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "examples" / "ci" / "validate.yml"
PRE_COMMIT_CONFIG = ROOT / "examples" / "ci" / "pre-commit-config.yaml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
GOOD = ROOT / "tests" / "shapes" / "ClaimShape.valid.ttl"
BAD = ROOT / "tests" / "shapes" / "ClaimShape.invalid.ttl"
BIN = Path(sys.executable).parent


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return env


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=_env(repo))
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path):
    """A data repository whose first commit holds a README only."""
    path = tmp_path / "data-repo"
    path.mkdir()
    _git(path, "init", "-q", "-b", "main")
    (path / "README.md").write_text("data\n")
    _git(path, "add", ".")
    _git(path, "commit", "-q", "-m", "base")
    return path


def _commit(repo: Path, files: dict[str, Path]) -> None:
    for name, source in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "data")


def _conforms(report: Path) -> bool:
    (value,) = Graph().parse(report, format="turtle").objects(None, SH.conforms)
    return value.toPython()


def _steps() -> dict[str, dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()
    return {step.get("id") or step.get("name") or step.get("uses"): step for step in job["steps"]}


def _run_validation_step(repo: Path, base: str) -> subprocess.CompletedProcess:
    step = _steps()["validate"]
    return subprocess.run(["bash", "-c", step["run"]], cwd=repo, capture_output=True, text=True,
                          env={**_env(repo), "BASE": base})


def test_the_workflow_fails_on_a_broken_file_and_keeps_every_report(repo):
    base = _git(repo, "rev-parse", "HEAD")
    _commit(repo, {"graphs/good.ttl": GOOD, "graphs/bad.ttl": BAD})

    done = _run_validation_step(repo, base)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "graphs/bad.ttl: does not conform" in done.stdout
    assert "graphs/good.ttl: conforms" in done.stdout
    artifact = repo / _steps()["Upload the SHACL reports"]["with"]["path"]
    reports = sorted(p.relative_to(artifact).as_posix() for p in artifact.rglob("*.report.ttl"))
    assert reports == ["graphs/bad.ttl.report.ttl", "graphs/good.ttl.report.ttl"]
    assert _conforms(artifact / "graphs/bad.ttl.report.ttl") is False
    assert _conforms(artifact / "graphs/good.ttl.report.ttl") is True


def test_the_workflow_checks_only_changed_files(repo):
    _commit(repo, {"old/bad.ttl": BAD})
    base = _git(repo, "rev-parse", "HEAD")
    _commit(repo, {"new/good.ttl": GOOD})

    done = _run_validation_step(repo, base)

    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = done.stdout.splitlines()
    assert line.startswith("new/good.ttl: conforms")
    unchanged = _run_validation_step(repo, _git(repo, "rev-parse", "HEAD"))
    assert unchanged.returncode == 0
    assert unchanged.stdout.strip() == "no changed Turtle or TriG files"


def test_the_workflow_checks_every_file_when_the_base_is_unknown(repo):
    _commit(repo, {"a/bad.ttl": BAD, "b/good.ttl": GOOD})

    done = _run_validation_step(repo, "0000000000000000000000000000000000000000")  # a push that opens a branch

    assert done.returncode == 1
    assert "a/bad.ttl: does not conform" in done.stdout and "b/good.ttl: conforms" in done.stdout


def test_the_pre_commit_hook_refuses_a_broken_file(repo):
    shutil.copy(PRE_COMMIT_CONFIG, repo / ".pre-commit-config.yaml")
    for name, source in {"good.ttl": GOOD, "bad.ttl": BAD}.items():
        shutil.copy(source, repo / name)
    _git(repo, "add", ".")
    pre_commit = [str(BIN / "pre-commit"), "run", "--files"]

    broken = subprocess.run([*pre_commit, "good.ttl", "bad.ttl"], cwd=repo, capture_output=True, text=True, env=_env(repo))
    clean = subprocess.run([*pre_commit, "good.ttl"], cwd=repo, capture_output=True, text=True, env=_env(repo))

    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "bad.ttl: does not conform" in broken.stdout
    assert (repo / ".newskg-reports" / "bad.ttl.report.ttl").is_file()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


def test_the_published_hook_runs_the_same_command():
    (published,) = yaml.safe_load(HOOKS.read_text())
    (local,) = yaml.safe_load(PRE_COMMIT_CONFIG.read_text())["repos"][0]["hooks"]
    assert published["id"] == local["id"] == "newskg-validate"
    assert published["entry"] == local["entry"]
    assert published["files"] == local["files"]
    assert f"--report-dir {_steps()['Upload the SHACL reports']['with']['path'].rstrip('/')}" in _steps()["validate"]["run"]
