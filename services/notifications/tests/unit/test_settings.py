"""Notifications declares its own settings (channels, reminders, pace) on the shared Settings."""
import pytest

from clinic_common.config import ConfigError

from notifications.config import load_notification_settings

STRONG = "x" * 32


def test_the_channel_names_of_the_contract_are_read():
    settings = load_notification_settings({"JWT_SECRET": STRONG, "SMTP_HOST": "mail", "SMTP_PORT": "2525",
                                           "SMTP_FROM": "a@b.c", "SMS_WEBHOOK_URL": "http://sms",
                                           "MONGO_URL": "mongodb://m:1/"})
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_from) == ("mail", 2525, "a@b.c")
    assert settings.sms_webhook_url == "http://sms" and settings.mongo_url == "mongodb://m:1/"


def test_defaults_and_refusals():
    settings = load_notification_settings({"CLINIC_ENV": "development"})
    assert (settings.reminder_offsets_hours, settings.notify_senders, settings.smtp_host) == ((24.0, 2.0), 2, "")
    with pytest.raises(ConfigError, match="REMINDER_OFFSETS_HOURS"):
        load_notification_settings({"CLINIC_ENV": "development", "REMINDER_OFFSETS_HOURS": "24,soon"})


def test_the_manage_link_settings():
    settings = load_notification_settings({"CLINIC_ENV": "development"})
    assert (settings.manage_link_secret, settings.manage_link_days_after_visit) == ("", 14)
    settings = load_notification_settings({"CLINIC_ENV": "development", "MANAGE_LINK_SECRET": "k" * 32,
                                           "MANAGE_LINK_DAYS_AFTER_VISIT": "30"})
    assert (settings.manage_link_secret, settings.manage_link_days_after_visit) == ("k" * 32, 30)
    for bad in ("-1", "two weeks"):
        with pytest.raises(ConfigError, match="MANAGE_LINK_DAYS_AFTER_VISIT"):
            load_notification_settings({"CLINIC_ENV": "development", "MANAGE_LINK_DAYS_AFTER_VISIT": bad})
