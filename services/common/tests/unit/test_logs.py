import json
import logging

from clinic_common.logs import bind_request_id, configure_logging, log_failure, unbind_request_id


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_failures_are_logged_by_type_and_frames_never_by_message(capsys):
    configure_logging("test-service")
    token = bind_request_id("req-42")
    address = "ana" + "@example.com"  # data, as in real code: the source line itself holds none
    try:
        raise ValueError(f"550 <{address}>: recipient refused")
    except ValueError as exc:
        log_failure(logging.getLogger("test"), "send failed", exc, notification_id="n1")
    finally:
        unbind_request_id(token)
    out = capsys.readouterr().out
    assert "ana@example.com" not in out
    [line] = _lines(out)
    assert (line["message"], line["error"], line["notification_id"]) == ("send failed", "ValueError", "n1")
    assert line["request_id"] == "req-42" and line["service"] == "test-service" and "raise ValueError" in line["frames"]


def test_query_strings_are_cut_from_library_log_lines(capsys):
    configure_logging("test-service")
    logging.getLogger("urllib3.connectionpool").warning("Retrying GET /api/v1/availability?patient_state=MD&x=1")
    out = capsys.readouterr().out
    assert "patient_state" not in out and "?[redacted]" in out


def test_request_ids_are_echoed_only_when_short_plain_ascii():
    from clinic_common.logs import accept_request_id

    assert accept_request_id("req-42.a:b_c") == "req-42.a:b_c"
    for odd in ("évil", "a" * 65, "bad id", "line\nbreak", "-leading-dash", "", None, "١٢٣"):
        minted = accept_request_id(odd)
        assert minted != odd and len(minted) == 32 and minted.isalnum() and minted.isascii()


def test_client_paths_reach_the_access_log_bounded_and_without_control_characters(capsys):
    from flask import Flask

    from clinic_common.web import install_request_hooks

    configure_logging("test-service")
    app = Flask("t")
    install_request_hooks(app)
    app.test_client().get("/api/v1/bookings/" + "%1b[31m%0d%0aFAKE" + "x" * 5000)
    [line] = [entry for entry in _lines(capsys.readouterr().out) if entry["message"] == "request"]
    assert len(line["path"]) <= 200 and line["path"].startswith("/api/v1/bookings/[31mFAKExx")
