from dataclasses import dataclass

import pytest

from clinic_common.config import (DEFAULT_AMQP_URL, DEV_JWT_SECRET, ConfigError, Settings, flag, load_settings,
                                  positive_numbers, redact_url, setting)

STRONG = "x" * 32


@pytest.mark.parametrize("url, expected", [
    ("amqp://guest:guest@127.0.0.1:5672/%2F", "amqp://guest:***@127.0.0.1:5672/%2F"),
    ("mongodb://admin:s3cret@db.internal:27017/?authSource=admin", "mongodb://admin:***@db.internal:27017/?authSource=admin"),
    ("mongodb://127.0.0.1:27017/?directConnection=true", "mongodb://127.0.0.1:27017/?directConnection=true"),
    ("", ""),
])
def test_redact_url_hides_only_the_password(url, expected):
    assert redact_url(url) == expected


def test_production_refuses_to_start_without_a_jwt_secret():
    with pytest.raises(ConfigError, match="JWT_SECRET"):
        load_settings({})


def test_production_refuses_a_short_jwt_secret():
    with pytest.raises(ConfigError, match="32 bytes"):
        load_settings({"JWT_SECRET": "short"})


def test_development_gets_a_dev_secret_and_defaults():
    settings = load_settings({"CLINIC_ENV": "development"})
    assert settings.jwt_secret == DEV_JWT_SECRET
    assert settings.amqp_url == DEFAULT_AMQP_URL
    assert settings.gateway_port == 8080
    assert settings.service_urls["bookings"] == "http://127.0.0.1:8082"


def test_ops_commands_may_run_without_a_secret():
    assert load_settings({}, needs_jwt_secret=False).jwt_secret == ""


def test_environment_names_of_the_contract_are_read():
    settings = load_settings({"JWT_SECRET": STRONG, "MONGO_URL": "mongodb://m:1/", "AMQP_URL": "amqp://a/",
                              "GATEWAY_PORT": "9000", "SMTP_HOST": "mail", "SMTP_PORT": "2525",
                              "SMTP_FROM": "a@b.c", "SMS_WEBHOOK_URL": "http://sms", "REDIS_URL": "redis://r",
                              "LOG_LEVEL": "debug", "BOOKINGS_URL": "http://bookings:8082"})
    assert (settings.mongo_url, settings.amqp_url, settings.gateway_port) == ("mongodb://m:1/", "amqp://a/", 9000)
    assert settings.log_level == "DEBUG"
    assert settings.service_urls["bookings"] == "http://bookings:8082"
    # SMTP_*, SMS_WEBHOOK_URL and REDIS_URL belong to the services that use them: asserted in
    # notifications' test_settings.py and the gateway's test_config_and_logs.py.


def test_a_service_declares_its_own_names_on_the_shared_settings():
    @dataclass(frozen=True)
    class Particular(Settings):
        offsets: tuple = setting("OFFSETS", (1.0,), positive_numbers)
        enabled: bool = setting("ENABLED", True, flag)

    read = load_settings({"CLINIC_ENV": "development", "OFFSETS": "24,2", "ENABLED": "off", "LOG_LEVEL": "warning"},
                         kind=Particular)
    assert (read.offsets, read.enabled, read.log_level) == ((24.0, 2.0), False, "WARNING")
    assert load_settings({"CLINIC_ENV": "development", "ENABLED": " "}, kind=Particular).enabled is True
    with pytest.raises(ConfigError, match="OFFSETS"):
        load_settings({"CLINIC_ENV": "development", "OFFSETS": "24,-2"}, kind=Particular)


def test_a_bad_number_names_the_variable():
    with pytest.raises(ConfigError, match="GATEWAY_PORT"):
        load_settings({"CLINIC_ENV": "development", "GATEWAY_PORT": "eighty"})


def test_each_service_gets_its_own_database():
    settings = load_settings({"CLINIC_ENV": "development", "MONGO_DB_PREFIX": "t1"})
    assert settings.db_name("bookings") == "t1_bookings" != settings.db_name("locations")
