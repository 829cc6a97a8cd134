"""The "Case from issue" workflow's own steps, run here with bash against a local git
remote and a fake `gh` that records every call: the pull request is opened and its
validation result shown on it, a second run never force-pushes over an editor's commit
(it stops and says so), and a fault comments on the issue and takes the label off."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from issuebodies import FILLED, github_body

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or shutil.which("git") is None,
                                reason="needs bash and git")

#: A stand-in for the GitHub CLI: appends its arguments to $GH_LOG (one JSON list a
#: line); `gh pr view` succeeds once `gh pr create` has run.
FAKE_GH = """#!/usr/bin/env python3
import json, os, sys
log = os.environ["GH_LOG"]
with open(log, "a", encoding="utf-8") as fh:
    fh.write(json.dumps(sys.argv[1:]) + "\\n")
calls = [json.loads(line) for line in open(log, encoding="utf-8")]
if sys.argv[1:3] == ["pr", "view"]:
    sys.exit(0 if any(c[:2] == ["pr", "create"] for c in calls) else 1)
"""

BOT = ["-c", "user.name=github-actions[bot]", "-c", "user.email=bot@example.org"]


def _step(workflow: dict, job: str, name: str) -> dict:
    return next(s for s in workflow["jobs"][job]["steps"] if s.get("name") == name)


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True, timeout=60).stdout.strip()


class Runner:
    """A checkout of `main`, its remote, a fake `gh` and the environment of a job."""

    def __init__(self, workflow: dict, kb: Path, tmp: Path) -> None:
        self.workflow, self.tmp = workflow, tmp
        self.origin = tmp / "origin.git"
        _git(tmp, "init", "--quiet", "--bare", "--initial-branch=main", str(self.origin))
        seed = tmp / "seed"
        shutil.copytree(kb, seed)
        _git(seed, "init", "--quiet", "--initial-branch=main")
        _git(seed, "add", "-A")
        _git(seed, *BOT, "commit", "--quiet", "-m", "main")
        _git(seed, "push", "--quiet", str(self.origin), "main")
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
        (bin_dir / "gh").chmod(0o755)
        self.log = tmp / "gh.log"
        self.log.touch()
        self.path = f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}" \
                    f"{os.environ.get('PATH', '')}"

    def checkout(self) -> Path:
        """A fresh checkout of main, as each job starts with."""
        work = self.tmp / "work"
        shutil.rmtree(work, ignore_errors=True)
        _git(self.tmp, "clone", "--quiet", str(self.origin), str(work))
        return work

    def run(self, job: str, step: str, cwd: Path, **extra: str) -> tuple[int, str, dict]:
        output = self.tmp / "github-output"
        output.write_text("", encoding="utf-8")
        env = {**os.environ, "PATH": self.path, "GH_LOG": str(self.log), "GH_TOKEN": "fake",
               "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(self.tmp),
               "GITHUB_EVENT_PATH": str(self.tmp / "event.json"), "ISSUE_NUMBER": "41",
               "GITHUB_REPOSITORY": "owner/casebook", "GIT_AUTHOR_NAME": "x",
               "GIT_COMMITTER_NAME": "x", "GIT_AUTHOR_EMAIL": "x@example.org",
               "GIT_COMMITTER_EMAIL": "x@example.org", **extra}
        env.pop("GIT_AUTHOR_NAME")  # the step's own -c user.name decides the author
        result = subprocess.run(["bash", "-e", "-c", _step(self.workflow, job, step)["run"]],
                                cwd=cwd, env=env, capture_output=True, text=True, timeout=180,
                                check=False)
        outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines()
                       if "=" in line)
        return result.returncode, result.stdout + result.stderr, outputs

    def calls(self) -> list[list[str]]:
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines()]


@pytest.fixture
def runner(repo_root: Path, kb_copy: Path, tmp_path: Path) -> Runner:
    workflow = yaml.safe_load((repo_root / ".github/workflows/case-from-issue.yml")
                              .read_text("utf-8"))
    answers = dict(FILLED["lab"], organisations="Stad Mechelen | gastheer\n"
                                                "Gemeente Utrecht | partner | gemeente | NL")
    (tmp_path / "event.json").write_text(json.dumps({
        "action": "labeled", "label": {"name": "accepted"},
        "issue": {"number": 41, "user": {"login": "contributor"},
                  "body": github_body(answers)}}), encoding="utf-8")
    return Runner(workflow, kb_copy, tmp_path)


def _propose(runner: Runner) -> tuple[int, str, dict]:
    work = runner.checkout()
    code, out, _ = runner.run("propose", "Write the case", work)
    assert code == 0, out
    return runner.run("propose", "Open the pull request", work)


def test_the_pull_request_is_opened_with_the_new_organisation_and_its_result_shown(runner):
    code, out, outputs = _propose(runner)
    assert code == 0, out
    assert outputs["outcome"] == "opened"
    branch = _git(runner.origin, "rev-parse", "refs/heads/case-from-issue-41")
    assert outputs["sha"] == branch
    files = _git(runner.origin, "show", "--name-only", "--format=", branch).split("\n")
    assert sorted(files) == ["content/cases/stadslab-voor-de-binnenstad.nl.md",
                             "content/organisations/gemeente-utrecht.nl.md"]
    create = next(c for c in runner.calls() if c[:2] == ["pr", "create"])
    body = Path(create[create.index("--body-file") + 1]).read_text("utf-8")
    assert "| Veld | Antwoord |" in body and "Controle: geslaagd" in body
    assert "Gemeente Utrecht" in body and "Closes #41" in body
    # The verify job shows its result on the pull request's commit.
    code, out, _ = runner.run("verify", "Show the result on the pull request", runner.tmp,
                              SHA=outputs["sha"], STATE="success",
                              RUN_URL="https://github.com/owner/casebook/actions/runs/1")
    assert code == 0, out
    status = runner.calls()[-1]
    assert status[:4] == ["api", "--method", "POST",
                          f"repos/owner/casebook/statuses/{outputs['sha']}"]
    assert "state=success" in status and "context=Validate (case from issue)" in status


def test_the_verify_job_validates_and_builds_the_commit(runner):
    run = _step(runner.workflow, "verify", "Validate the pull request")["run"]
    assert "casebook validate --format github || state=failure" in run
    assert "make site || state=failure" in run
    verify = runner.workflow["jobs"]["verify"]
    checkout = verify["steps"][0]
    assert checkout["with"]["ref"] == "${{ needs.propose.outputs.sha }}"
    assert _step(runner.workflow, "verify", "Show the result on the pull request")["if"] == \
        "always()"


def test_running_again_replaces_only_the_workflows_own_commit(runner):
    assert _propose(runner)[2]["outcome"] == "opened"
    first = _git(runner.origin, "rev-parse", "refs/heads/case-from-issue-41")
    code, out, outputs = _propose(runner)
    assert code == 0, out
    assert outputs["outcome"] == "opened"
    assert _git(runner.origin, "rev-parse", "refs/heads/case-from-issue-41") != first
    assert next(c[:2] for c in reversed(runner.calls())
                if c[0] == "pr" and c[1] != "view") == ["pr", "edit"]


def test_an_editors_commit_is_never_overwritten(runner):
    assert _propose(runner)[2]["outcome"] == "opened"
    editor = runner.tmp / "editor"
    _git(runner.tmp, "clone", "--quiet", "--branch", "case-from-issue-41", str(runner.origin),
         str(editor))
    case = editor / "content/cases/stadslab-voor-de-binnenstad.nl.md"
    case.write_text(case.read_text("utf-8").replace("Stadslab", "Het stadslab", 1), "utf-8")
    _git(editor, "-c", "user.name=Een Redacteur", "-c", "user.email=r@example.org",
         "commit", "--quiet", "-am", "Editor's fix")
    _git(editor, "push", "--quiet", "origin", "case-from-issue-41")
    fixed = _git(runner.origin, "rev-parse", "refs/heads/case-from-issue-41")
    code, out, outputs = _propose(runner)
    assert code == 0, out
    assert outputs == {"outcome": "stopped"}
    assert _git(runner.origin, "rev-parse", "refs/heads/case-from-issue-41") == fixed
    # The stopped job says so on the issue and takes the label off.
    before = len(runner.calls())
    code, out, _ = runner.run("stopped", "Comment on the issue", runner.tmp)
    assert code == 0, out
    comment, edit = runner.calls()[before:]
    assert comment[:3] == ["issue", "comment", "41"] and "case-from-issue-41" in comment[-1]
    assert "an editor's commits" in comment[-1] and "commits van een redacteur" in comment[-1]
    assert edit == ["issue", "edit", "41", "--repo", "owner/casebook", "--remove-label",
                    "accepted"]


def test_an_internal_error_comments_on_the_issue_and_removes_the_label(runner):
    (runner.tmp / "event.json").write_text(json.dumps({"pull_request": {}}), encoding="utf-8")
    code, out, outputs = runner.run("check", "Turn the form into a case", runner.checkout())
    assert code != 0 and outputs == {"status": "2"}  # the job fails: the fault job runs
    condition = runner.workflow["jobs"]["fault"]["if"]
    assert "needs.check.outputs.status == '2'" in condition and "always()" in condition
    assert "needs.propose.result == 'failure'" in condition
    code, out, _ = runner.run("fault", "Comment on the issue", runner.tmp,
                              RUN_URL="https://github.com/owner/casebook/actions/runs/7")
    assert code == 0, out
    comment, edit = runner.calls()
    assert comment[:3] == ["issue", "comment", "41"]
    assert "actions/runs/7" in comment[-1] and "not in your form" in comment[-1]
    assert edit[-2:] == ["--remove-label", "accepted"]
