"""The "Case from issue" workflow: the issue text only travels in the event payload file,
least permissions per job, and its own shell steps work (run here offline with bash)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from issuebodies import FILLED, github_body

NAME = "case-from-issue.yml"
#: The only parts of the event an expression may read: numbers and label names, which
#: the contributor does not write (only editors can label).
ALLOWED_EVENT = {"github.event.issue.number", "github.event.label.name",
                 "github.event.issue.state", "github.event.issue.labels.*.name"}


@pytest.fixture(scope="module")
def workflow(repo_root: Path) -> dict:
    return yaml.safe_load((repo_root / ".github" / "workflows" / NAME).read_text("utf-8"))


def _step(workflow: dict, job: str, name: str) -> dict:
    return next(s for s in workflow["jobs"][job]["steps"] if s.get("name") == name)


def test_runs_when_an_editor_labels_a_form_issue(workflow: dict):
    on = workflow.get("on", workflow.get(True))
    assert on == {"issues": {"types": ["labeled"]}}
    check = workflow["jobs"]["check"]["if"]
    assert "github.event.label.name == 'accepted'" in check and "'new case'" in check
    assert "github.event.issue.state == 'open'" in check
    assert workflow["jobs"]["propose"]["needs"] == "check"
    assert workflow["jobs"]["report"]["needs"] == "check"


def test_the_issue_text_never_reaches_an_expression_or_a_command_line(repo_root: Path,
                                                                       workflow: dict):
    text = (repo_root / ".github" / "workflows" / NAME).read_text("utf-8")
    used = set(re.findall(r"github\.event\.[\w.*]+", text))
    assert used <= ALLOWED_EVENT, used - ALLOWED_EVENT
    runs = 0
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            run = step.get("run", "")
            assert "${{" not in run, step["name"]
            for value in (step.get("env") or {}).values():
                found = set(re.findall(r"github\.event\.[\w.*]+", str(value)))
                assert found <= {"github.event.issue.number"}, found
            if "casebook from-issue" in run:
                assert '--event "$GITHUB_EVENT_PATH"' in run
                runs += 1
    assert runs == 3


def test_each_job_holds_only_what_it_needs(workflow: dict):
    jobs = workflow["jobs"]
    assert jobs["check"]["permissions"] == {"contents": "read"}
    assert jobs["propose"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert jobs["report"]["permissions"] == {"issues": "write"}
    assert jobs["verify"]["permissions"] == {"contents": "read", "statuses": "write"}
    assert jobs["stopped"]["permissions"] == jobs["fault"]["permissions"] == {"issues": "write"}
    for job_id in ("propose", "report", "verify", "stopped", "fault"):
        tokens = [s for s in jobs[job_id]["steps"] if "GH_TOKEN" in (s.get("env") or {})]
        assert len(tokens) == 1 and "casebook" not in tokens[0]["run"], job_id


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "PATH": path, **env})


@pytest.mark.parametrize("good", [True, False])
def test_the_workflow_steps_turn_a_form_into_a_pull_request_or_a_comment(
        workflow: dict, kb_copy: Path, tmp_path: Path, good: bool):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    answers = dict(FILLED["lab"])
    if not good:
        answers["themes"] = ["Openbare ruimte / Public space", "!Ruimtevaart / Space"]
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "labeled", "label": {"name": "accepted"}, "issue": {
        "number": 41, "user": {"login": "contributor"}, "body": github_body(answers)}}),
        encoding="utf-8")
    output = tmp_path / "github-output"
    output.touch()
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_OUTPUT": str(output),
           "RUNNER_TEMP": str(tmp_path)}
    check = _bash(_step(workflow, "check", "Turn the form into a case")["run"], kb_copy, env)
    assert check.returncode == 0, check.stdout + check.stderr
    status = output.read_text("utf-8").strip()
    assert status == ("status=0" if good else "status=1")
    for case in (kb_copy / "content" / "cases").glob("stadslab-voor-de-binnenstad.*"):
        case.unlink()  # each job starts from a fresh checkout
    if good:
        step = _step(workflow, "propose", "Write the case")
        result = _bash(step["run"], kb_copy, env)
        assert result.returncode == 0, result.stdout + result.stderr
        body = (tmp_path / "pull-request.md").read_text("utf-8")
        assert "Closes #41" in body and "@contributor" in body
        assert (kb_copy / "content" / "cases" / "stadslab-voor-de-binnenstad.nl.md").is_file()
    else:
        step = _step(workflow, "report", "Write the comment")
        result = _bash(step["run"], kb_copy, env)
        assert result.returncode == 0, result.stdout + result.stderr
        comment = (tmp_path / "comment.md").read_text("utf-8")
        assert "Thema's" in comment and "Ruimtevaart" in comment and "Closes" not in comment
        assert not list((kb_copy / "content" / "cases").glob("stadslab-voor-de-binnenstad.*"))
