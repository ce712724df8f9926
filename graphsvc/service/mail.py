"""Sending an invitation or reset link by email, when a mail server is configured
(``GRAPHSVC_SMTP_HOST``); without one, links are only shown to the admin."""

import smtplib
import ssl
from email.message import EmailMessage

from graphsvc.config import get_settings
from graphsvc.errors import GraphsvcError

SMTP_TIMEOUT_S = 20


class MailError(GraphsvcError):
    """The mail server would not take the message."""


def mail_configured() -> bool:
    return bool(get_settings().smtp_host)


def send_mail(to: str, subject: str, text: str) -> None:
    """Send a plain-text message through the configured server (MailError if it fails)."""
    settings = get_settings()
    if not settings.smtp_host:
        raise MailError("no mail server is configured (GRAPHSVC_SMTP_HOST)")
    message = EmailMessage()
    message["From"] = settings.smtp_from or settings.smtp_user or f"graphsvc@{settings.smtp_host}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user and settings.smtp_password:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        # The exception's text may repeat the address: its kind is enough to act on.
        raise MailError(
            f"the mail server did not take the message ({type(exc).__name__})"
        ) from None
