"""deploy/Dockerfile and .dockerignore, checked without a Docker engine."""
from __future__ import annotations

import json
import re
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"mongoeco", "pytest", "pytest-timeout", "testcontainers", "aiosmtpd", "pyyaml"}


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "deploy" / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines
            if line and not line.startswith("#")]


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[last_from:]


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[=<>!~\[; ]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_images_build_on_python_313_slim():
    bases = [args.split()[0] for op, args in instructions() if op == "FROM"]
    assert bases and all(base == "python:3.13-slim" for base in bases), bases


def test_the_image_runs_as_a_non_root_user():
    users = [args for op, args in final_stage() if op == "USER"]
    assert users, "the final stage has no USER: the processes would run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, f"USER {users[-1]}: use a non-zero numeric uid"


def test_output_is_unbuffered():
    envs = " ".join(args for op, args in final_stage() if op == "ENV")
    assert re.search(r"\bPYTHONUNBUFFERED=1\b", envs)


def test_dependencies_come_from_the_lock_and_runtime_only():
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "-c requirements.lock -r requirements/runtime.in" in re.sub(r"\s*\\\n\s*", " ", text)
    assert "dev.in" not in text
    runtime = requirement_names(ROOT / "requirements" / "runtime.in")
    assert not runtime & DEV_ONLY, f"dev tools in runtime.in: {runtime & DEV_ONLY}"
    locked = requirement_names(ROOT / "requirements.lock")
    assert runtime <= locked, f"not pinned by requirements.lock: {sorted(runtime - locked)}"


def test_every_local_package_is_installed():
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    for package in ["services/common", "services/locations", "services/bookings",
                    "services/notifications", "gateway"]:
        assert (ROOT / package / "pyproject.toml").is_file(), package
        assert f"./{package}" in text, f"the image does not install {package}"


def _ignored(path: str, patterns: list[str]) -> bool:
    """Approximates .dockerignore matching: a pattern excludes a path or any of its parents."""
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        variants = [pattern, pattern[3:]] if pattern.startswith("**/") else [pattern]
        if any(fnmatch(prefix, v) for prefix in prefixes for v in variants):
            return True
    return False


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#")]


def test_dockerignore_keeps_local_state_out():
    patterns = dockerignore()
    assert not [p for p in patterns if p.startswith("!")], "re-includes make the approximation below wrong"
    for path in [".venv", "var", ".git", "tests", "services/bookings/bookings/__pycache__"]:
        assert _ignored(path, patterns), f"{path} would be sent to the build"


def test_copied_sources_exist_and_are_not_ignored():
    patterns = dockerignore()
    for op, args in instructions():
        if op != "COPY" or args.startswith("--from"):
            continue
        for source in args.split()[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
            assert not _ignored(source.rstrip("/"), patterns), f"COPY {source}: excluded by .dockerignore"


def test_gunicorn_config_sits_where_commands_expect_it():
    workdir, copied = "/", set()
    for op, args in final_stage():
        if op == "WORKDIR":
            workdir = args
        elif op == "COPY" and not args.startswith("--from"):
            copied.add(str(PurePosixPath(workdir) / args.split()[-1]))
    assert str(PurePosixPath(workdir) / "deploy/gunicorn.conf.py") in copied


def test_default_command_runs_code_that_exists(check_command):
    cmds = [args for op, args in final_stage() if op in ("CMD", "ENTRYPOINT")]
    assert cmds, "the image has no default command"
    check_command(json.loads(cmds[-1]))
