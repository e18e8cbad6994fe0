"""What the deployment tests compare against: the compose file, the Dockerfile, and the
environment names the code really reads (so a name invented in compose, or renamed in
config, fails here rather than as a silently ignored setting in a container)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from clinic_common import config as clinic_config

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
# The five local packages the image installs; `python -m x.y` / `x.y:app` must live in one.
PACKAGE_DIRS = ["services/common", "services/locations", "services/bookings",
                "services/notifications", "gateway"]


class _RecordingEnv(dict):
    """An empty environment that remembers every name looked up in it."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def get(self, name, default=None):
        self.names.add(name)
        return default

    def __getitem__(self, name):
        self.names.add(name)
        raise KeyError(name)

    def __contains__(self, name):
        self.names.add(name)
        return False


def _names_in_source(path: Path) -> set[str]:
    """Literal names in env.get("X"), _int(env, "X"), _float(env, "X"), os.environ["X"] and
    os.environ.get("X"): catches names that a run with an empty environment never reaches."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        args = []
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "get" and ast.unparse(func.value) in ("env", "os.environ"):
                args = node.args[:1]
            elif isinstance(func, ast.Name) and func.id in ("_int", "_float"):
                args = node.args[1:2]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            args = [node.slice]
        names |= {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return names


@pytest.fixture(scope="session")
def config_env_names() -> set[str]:
    """Every name the shared loader reads for the shared settings and each service's own (bookings,
    notifications, gateway), including computed ones (LOCATIONS_URL…)."""
    from bookings.config import BookingSettings
    from gateway.config import GatewayConfig
    from notifications.config import NotificationSettings

    recorder = _RecordingEnv()
    for kind in (clinic_config.Settings, BookingSettings, NotificationSettings, GatewayConfig):
        clinic_config.load_settings(recorder, needs_jwt_secret=False, kind=kind)
    return recorder.names | _names_in_source(Path(clinic_config.__file__))


@pytest.fixture(scope="session")
def gunicorn_env_names() -> set[str]:
    return _names_in_source(GUNICORN_CONF)


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="session")
def services(compose) -> dict:
    return compose["services"]


def _module_file(module: str, as_main: bool) -> Path | None:
    """Where `module` lives in the repo: x/y.py, or x/y/__main__.py for `python -m`
    (x/y/__init__.py for an import)."""
    rel = Path(*module.split("."))
    candidates = [rel.with_suffix(".py"), rel / ("__main__.py" if as_main else "__init__.py")]
    for package_dir in PACKAGE_DIRS:
        for candidate in candidates:
            if (ROOT / package_dir / candidate).is_file():
                return ROOT / package_dir / candidate
    return None


def _defines_name(path: Path, name: str) -> bool:
    """Whether the module binds `name` at top level (assignment, import or def)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name) == name for a in node.names):
            return True
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return True
    return False


def _assert_command_targets_exist(cmd: list[str]) -> None:
    """gunicorn … pkg.mod:app → pkg/mod.py defines `app`; python -m pkg.mod → a runnable module."""
    if cmd[:1] == ["gunicorn"]:
        module, _, attr = cmd[-1].partition(":")
        path = _module_file(module, as_main=False)
        assert path, f"{cmd[-1]}: no {module.replace('.', '/')}.py in {PACKAGE_DIRS} (not landed yet?)"
        assert _defines_name(path, attr or "application"), f"{path.relative_to(ROOT)} defines no `{attr}`"
        conf = cmd[cmd.index("-c") + 1]
        assert (ROOT / conf).is_file(), f"gunicorn config {conf} is missing"
    elif cmd[:2] == ["python", "-m"]:
        assert _module_file(cmd[2], as_main=True), \
            f"python -m {cmd[2]}: no {cmd[2].replace('.', '/')}.py in {PACKAGE_DIRS} (not landed yet?)"
    else:
        raise AssertionError(f"unexpected command {cmd}: expected gunicorn or python -m")


@pytest.fixture(scope="session")
def check_command():
    """Asserts that a process command (compose `command` or Dockerfile CMD) runs code that exists."""
    return _assert_command_targets_exist
