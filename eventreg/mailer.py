"""Where outbox mail goes: an SMTP server (one connection a batch) or .eml files in a folder."""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from flask_mail import Message

from .models import EmailOutbox

Traceback = TracebackType | None


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


class TemporaryFailure(Exception):
    """The message could not be delivered now (4xx, timeout); it will be retried."""


class ConnectionLost(TemporaryFailure):
    """The connection itself is gone: the rest of the batch must wait too."""


class Transport(Protocol):
    """Delivers messages; opened once per batch."""

    description: str

    def __enter__(self) -> Transport: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def send(self, email: EmailOutbox, message: Message) -> None: ...


def build_message(email: EmailOutbox, *, sender: str, domain: str) -> Message:
    """The MIME message for an outbox row; its Message-ID is derived from the row.

    A stable Message-ID means that if a crash makes us send a message twice, mail systems
    that deduplicate by Message-ID can still see it as the same message.
    """
    recipient: str | tuple[str, str] = (
        (email.to_name, email.to_address) if email.to_name else email.to_address
    )
    message = Message(
        subject=email.subject,
        recipients=[recipient],
        body=email.body_text,
        html=email.body_html or None,
        sender=sender,
        reply_to=email.reply_to or None,
        extra_headers={"Auto-Submitted": "auto-generated", "X-Eventreg-Template": email.template},
    )
    digest = hashlib.sha256(f"{email.id}:{email.created_at.isoformat()}".encode()).hexdigest()[:16]
    message.msgId = f"<outbox-{email.id}.{digest}@{domain}>"
    for attachment in email.attachments:
        message.attach(attachment.filename, attachment.content_type, attachment.content)
    return message


class SmtpTransport:
    """One SMTP connection for a whole batch, with a timeout so a hung server cannot block us."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.server = str(config["MAIL_SERVER"])
        self.port = int(config.get("MAIL_PORT") or 25)
        self.use_ssl = bool(config.get("MAIL_USE_SSL"))
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.timeout = float(config.get("MAIL_TIMEOUT_SECONDS") or 30)
        self.description = f"SMTP {self.server}:{self.port}"
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        try:
            if self.use_ssl:
                self.connection = smtplib.SMTP_SSL(
                    self.server,
                    self.port,
                    timeout=self.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                self.connection = smtplib.SMTP(self.server, self.port, timeout=self.timeout)
                if self.use_tls:
                    self.connection.starttls(context=ssl.create_default_context())
            if self.username and self.password:
                self.connection.login(str(self.username), str(self.password))
        except smtplib.SMTPAuthenticationError as error:
            raise ConnectionLost(f"SMTP login refused: {error.smtp_code}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionLost(f"cannot reach {self.description}: {error}") from error
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None

    def send(self, email: EmailOutbox, message: Message) -> None:
        assert self.connection is not None, "open the transport first"
        try:
            refused = self.connection.sendmail(
                message.sender if isinstance(message.sender, str) else message.sender[1],
                [email.to_address],
                message.as_bytes(),
            )
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise _by_code(code, text) from error
        except smtplib.SMTPServerDisconnected as error:
            raise ConnectionLost(f"connection lost: {error}") from error
        except smtplib.SMTPResponseException as error:
            raise _by_code(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionLost(f"{type(error).__name__}: {error}") from error
        if refused:  # only possible with several recipients; kept for completeness
            code, text = next(iter(refused.values()))
            raise _by_code(code, text)


def _by_code(code: int, text: bytes | str) -> Exception:
    reason = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if 500 <= code < 600:
        return PermanentFailure(f"{code} {reason}")
    return TemporaryFailure(f"{code} {reason}")


class DirectoryTransport:
    """Writes each message as an .eml file: mail without a mail server, for `make run`."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.description = f"files in {self.folder}"

    def __enter__(self) -> DirectoryTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def send(self, email: EmailOutbox, message: Message) -> None:
        target = self.folder / f"{email.id:08d}-{email.template}.eml"
        # Write then rename: a reader never sees half a message.
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(message.as_bytes())
            os.replace(temporary, target)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise ConnectionLost(f"cannot write {target}: {error}") from error


def transport_for(config: Mapping[str, Any]) -> SmtpTransport | DirectoryTransport:
    """SMTP when MAIL_SERVER is set, else the instance outbox folder."""
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return DirectoryTransport(str(config["OUTBOX_DIR"]))
