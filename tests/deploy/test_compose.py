"""docker-compose.yml, checked without a Docker engine: structure, health, start order,
environment names against the code that reads them, and commands against the code they run."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
EXPECTED_COMMANDS = {
    "locations": GUNICORN + ["locations.wsgi:app"],
    "bookings": GUNICORN + ["bookings.wsgi:app"],
    "notifications": GUNICORN + ["notifications.wsgi:app"],
    "gateway": GUNICORN + ["gateway.wsgi:app"],
    "locations-relay": ["python", "-m", "locations.relay"],
    "bookings-relay": ["python", "-m", "bookings.relay"],
    "bookings-worker": ["python", "-m", "bookings.worker"],
    "notifications-worker": ["python", "-m", "notifications.worker"],
    "notifications-relay": ["python", "-m", "notifications.relay"],
    "seed": ["python", "-m", "locations.seed", "--if-empty"],  # one-shot, as `make run` seeds
}
WEB_PORTS = {"locations": 8081, "bookings": 8082, "notifications": 8083, "gateway": 8080}
# Knobs config reads that have safe defaults (tests shrink them); compose may leave them unset.
# Any other name config reads must be set for every app process.
TUNING = {"AMQP_NAMESPACE", "MONGO_DB_PREFIX", "MONGO_TIMEOUT_MS", "AMQP_TIMEOUT_S",
          "UPSTREAM_CONNECT_TIMEOUT_S", "UPSTREAM_READ_TIMEOUT_S", "OUTBOX_POLL_S",
          "OUTBOX_IDLE_POLL_S", "OUTBOX_FAST_PATH", "OUTBOX_GRACE_S",
          "HEARTBEAT_S", "HEARTBEAT_STALE_S",
          "SMTP_TIMEOUT_S", "SMS_TIMEOUT_S", "NOTIFY_RETRY_BASE_S", "NOTIFY_POLL_S", "NOTIFY_LEASE_S",
          "REDIS_URL",  # the gateway's alone (test_compose_redis.py); empty elsewhere means unused
          # The gateway's own limits and probes (gateway/config.py): their defaults suit compose.
          "RATE_LIMIT_ENABLED", "RATE_LIMIT_DEFAULT", "RATE_LIMIT_WRITES", "HEALTH_TIMEOUT_S", "OPENAPI_CACHE_S",
          "TRUSTED_PROXIES"}


def app_services(services: dict) -> dict:
    """Services built from our image: everything but the datastore and the broker."""
    return {name: svc for name, svc in services.items() if "build" in svc}


def command(svc: dict) -> list[str]:
    cmd = svc.get("command", [])
    assert isinstance(cmd, list), "use the exec (list) form: no shell between compose and the process"
    return cmd


def environment(svc: dict) -> dict:
    env = svc.get("environment") or {}
    return dict(item.split("=", 1) for item in env) if isinstance(env, list) else env


def is_one_shot(svc: dict) -> bool:
    return str(svc.get("restart", "no")) == "no"


def test_every_process_runs_with_its_command(services):
    assert set(app_services(services)) == set(EXPECTED_COMMANDS)
    for name, expected in EXPECTED_COMMANDS.items():
        assert command(services[name]) == expected, name


def test_every_service_has_an_image_or_a_build_and_apps_share_one_image(services):
    for name, svc in services.items():
        assert svc.get("image") or svc.get("build"), f"{name} has neither image nor build"
    apps = app_services(services)
    assert {svc["image"] for svc in apps.values()} == {"clinic-scheduling:local"}
    for name, svc in apps.items():
        build = svc["build"]
        assert (ROOT / build["context"]).resolve() == ROOT, name
        assert (ROOT / build["dockerfile"]).is_file(), f"{name}: {build['dockerfile']} is missing"


def test_datastore_and_broker(compose, services):
    mongo, rabbit = services["mongo"], services["rabbitmq"]
    assert mongo["image"] == "mongo:7"
    assert rabbit["image"] == "rabbitmq:3-management"
    assert mongo["healthcheck"]["test"] == ["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"]
    assert rabbit["healthcheck"]["test"] == ["CMD", "rabbitmq-diagnostics", "-q", "ping"]
    assert "mongo-data:/data/db" in mongo["volumes"]
    assert "rabbitmq-data:/var/lib/rabbitmq" in rabbit["volumes"]
    assert {"mongo-data", "rabbitmq-data"} <= set(compose["volumes"]), "named volumes must be declared"
    # RabbitMQ stores data under rabbit@<hostname>: a random hostname would orphan the volume.
    assert rabbit["hostname"] == "rabbitmq"


def test_long_running_services_restart_and_report_health(services):
    one_shots = {name for name, svc in services.items() if is_one_shot(svc)}
    assert one_shots == {"seed"}, "a one-shot restarted `unless-stopped` would run forever"
    for name, svc in services.items():
        if is_one_shot(svc):
            continue
        assert svc["restart"] == "unless-stopped", name
        is_worker = command(svc)[:2] == ["python", "-m"]
        assert svc.get("healthcheck") or is_worker, f"{name} serves but has no healthcheck"


def test_web_healthchecks_ask_health_with_python(services):
    for name in WEB_PORTS:
        test = services[name]["healthcheck"]["test"]
        assert test[:3] == ["CMD", "python", "-c"], f"{name}: no curl in slim images, use python"
        assert "urllib" in test[3] and "127.0.0.1" in test[3] and "/health" in test[3], name


def test_start_order_waits_for_health(services):
    for name, svc in services.items():
        for dep, spec in (svc.get("depends_on") or {}).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            assert spec["condition"] in ("service_healthy", "service_completed_successfully"), (name, dep)
            if spec["condition"] == "service_healthy":
                assert services[dep].get("healthcheck"), f"{name} waits for {dep}, which has no healthcheck"
    for name, svc in app_services(services).items():
        for infra in ("mongo", "rabbitmq"):
            assert svc["depends_on"][infra]["condition"] == "service_healthy", (name, infra)
    for web in ("locations", "bookings", "notifications"):
        assert services["gateway"]["depends_on"][web]["condition"] == "service_healthy", web


def test_compose_sets_only_names_the_code_reads(services, config_env_names, gunicorn_env_names):
    known = config_env_names | gunicorn_env_names
    assert {"MONGO_URL", "AMQP_URL", "JWT_SECRET", "LOCATIONS_URL"} <= config_env_names, "name scan broke"
    assert {"PORT", "BIND_HOST", "WEB_WORKERS"} <= gunicorn_env_names, "name scan broke"
    for name, svc in app_services(services).items():
        invented = set(environment(svc)) - known
        assert not invented, f"{name} sets {sorted(invented)}, which no config reads"
    # Host-side ${NAME} interpolation too: one set of names for operators to learn.
    text = re.sub(r"\$\$", "", (ROOT / "docker-compose.yml").read_text())
    invented = set(re.findall(r"\$\{?(\w+)", text)) - known
    assert not invented, f"compose interpolates {sorted(invented)}, which no config reads"


def test_every_app_process_gets_every_setting(services, config_env_names):
    required = config_env_names - TUNING
    for name, svc in app_services(services).items():
        env = environment(svc)
        missing = required - set(env)
        assert not missing, f"{name} does not set {sorted(missing)}"
        assert env["JWT_SECRET"].startswith("${JWT_SECRET:?"), "JWT_SECRET must be required, never defaulted"


def test_urls_point_inside_the_stack(services):
    for name, svc in app_services(services).items():
        env = environment(svc)
        assert urlsplit(env["MONGO_URL"]).hostname == "mongo", name
        assert urlsplit(env["AMQP_URL"]).hostname == "rabbitmq", name
        for web in ("locations", "bookings", "notifications"):
            assert env[f"{web.upper()}_URL"] == f"http://{web}:{WEB_PORTS[web]}", (name, web)


def test_web_processes_listen_on_all_interfaces(services):
    for name, port in WEB_PORTS.items():
        env = environment(services[name])
        assert env["BIND_HOST"] == "0.0.0.0", f"{name} would be unreachable from other containers"
        assert str(env["PORT"]) == str(port), name


def test_only_the_gateway_is_published_and_workers_can_scale(services):
    published = {name for name, svc in services.items() if svc.get("ports")}
    assert published == {"gateway"}
    assert services["gateway"]["ports"] == ["${GATEWAY_PORT:-8080}:8080"]
    named = [name for name, svc in services.items() if "container_name" in svc]
    assert not named, f"container_name stops `--scale` and parallel stacks: {named}"


@pytest.mark.parametrize("name", sorted(EXPECTED_COMMANDS))
def test_commands_run_code_that_exists(name, services, check_command):
    check_command(command(services[name]))


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


@pytest.mark.parametrize("jwt_secret", ["test-secret", None])
def test_docker_compose_config_accepts_the_file(jwt_secret):
    cli = _compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed: the parse-only checks above still ran")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    if jwt_secret:
        env["JWT_SECRET"] = jwt_secret
    result = subprocess.run(cli + ["-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    if jwt_secret:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0 and "JWT_SECRET" in result.stderr, "JWT_SECRET must be required"
