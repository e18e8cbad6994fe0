"""Email over SMTP (SMTP_HOST, SMTP_PORT, SMTP_STARTTLS, SMTP_USERNAME / SMTP_PASSWORD, SMTP_FROM).

Each notification has its own stable Message-ID: if a sender dies after the server took a
message but before the record said so, the resend carries the same Message-ID, which mail
systems use to drop the copy (see the README's exactly-once note).
"""
from __future__ import annotations

import hashlib
import re
import smtplib
import time
from email.message import EmailMessage
from email.utils import formatdate

from clinic_common.config import Settings

from notifications.channels import DeliveryError
from notifications.content import Message
from notifications.domain.plan import mask_recipient

ADDRESS = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


def message_id(notification_id: str, domain: str) -> str:
    return f"<{hashlib.sha256(notification_id.encode()).hexdigest()[:40]}@{domain}>"


def build_email(notification_id: str, sender: str, recipient: str, message: Message) -> EmailMessage:
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = sender, recipient, message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(notification_id, sender.rpartition("@")[2] or "clinic.example")
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies back to us
    email.set_content(message.text)
    if message.ics is not None:
        email.add_attachment(message.ics.decode(), subtype="calendar", filename="appointment.ics",
                             params={"method": message.ics_method})
    return email


IDLE_CHECK_S = 5.0  # a connection idle longer than this is checked (NOOP) before it is trusted


class EmailChannel:
    """One SMTP connection, kept open between messages; one instance per sender thread."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._last_used = 0.0

    def send(self, notification_id: str, recipient: str, message: Message) -> None:
        if not ADDRESS.match(recipient):
            raise DeliveryError("not a valid email address", permanent=True)
        email = build_email(notification_id, self._settings.smtp_from, recipient, message)
        try:
            self._send(email)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryError(f"recipient refused ({', '.join(map(str, codes))})",
                                permanent=all(c >= 500 for c in codes)) from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            text = _scrub(exc.smtp_error, recipient)
            raise DeliveryError(f"SMTP {exc.smtp_code}: {text}"[:300], permanent=exc.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(f"SMTP server unreachable ({type(exc).__name__})") from None

    def _send(self, email) -> None:
        """On a connection in recent use, skip the NOOP round trip; if the server dropped it all the
        same (it says so before taking the message), send once more on a fresh one."""
        reused = self._smtp is not None
        try:
            self._connection().send_message(email)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise
            self._connection().send_message(email)
        self._last_used = time.monotonic()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None and time.monotonic() - self._last_used < IDLE_CHECK_S:
            return self._smtp
        if self._smtp is not None:
            try:
                self._smtp.noop()  # the server may have closed an idle connection
                return self._smtp
            except (smtplib.SMTPException, OSError):
                self.close()
        settings = self._settings
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s)
        try:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def _scrub(raw, recipient: str) -> str:
    """Servers echo the address in their replies; the reason is stored and published, the address is not."""
    text = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
    return text.replace(recipient, mask_recipient("email", recipient))
