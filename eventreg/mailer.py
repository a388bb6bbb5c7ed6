"""Where outbox mail goes: an SMTP server (one connection a batch) or .eml files in a folder."""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlsplit

Traceback = TracebackType | None


@dataclass(frozen=True)
class OutgoingAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class OutgoingEmail:
    """What delivery needs of an outbox row, as plain values (no ORM state to keep in step)."""

    id: int
    template: str
    to_address: str
    to_name: str
    reply_to: str
    subject: str
    body_text: str
    body_html: str
    attempts: int
    created_at: datetime
    attachments: tuple[OutgoingAttachment, ...] = ()


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

    def send(self, email: OutgoingEmail, message: bytes) -> None: ...


def build_message(email: OutgoingEmail, *, sender: str, domain: str) -> bytes:
    """The MIME message for an outbox row, as bytes ready for SMTP (CRLF line ends).

    Built with the standard library's compat32 policy: Flask-Mail's Message serialises
    with policy.SMTP, which re-parses every header and cost ~10 ms a message here. Its
    Message-ID is derived from the row, so if a crash makes us send a message twice,
    mail systems that deduplicate by Message-ID can still see it as the same message.
    """
    text = MIMEText(email.body_text, "plain", "utf-8")
    body: MIMEBase = text
    if email.body_html:
        body = MIMEMultipart("alternative")
        body.attach(text)
        body.attach(MIMEText(email.body_html, "html", "utf-8"))
    message: MIMEBase = body
    if email.attachments:
        message = MIMEMultipart("mixed")
        message.attach(body)
        for attachment in email.attachments:
            maintype, subtype, params = _content_type(attachment.content_type)
            part = MIMEBase(maintype, subtype)
            for name, value in params.items():
                part.set_param(name, value)
            part.set_payload(attachment.content)
            encoders.encode_base64(part)
            part.add_header(
                "Content-Disposition", "attachment", filename=_filename(attachment.filename)
            )
            message.attach(part)
    message["Subject"] = _header(email.subject, "Subject")  # type: ignore[assignment]
    message["From"] = _address("", sender)
    message["To"] = _address(email.to_name, email.to_address)
    if email.reply_to:
        message["Reply-To"] = _address("", email.reply_to)
    message["Date"] = format_datetime(datetime.now(UTC))  # "+0000", not "-0000" (unknown)
    digest = hashlib.sha256(f"{email.id}:{email.created_at.isoformat()}".encode()).hexdigest()[:16]
    message["Message-ID"] = f"<outbox-{email.id}.{digest}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Eventreg-Template"] = email.template
    return message.as_bytes(policy=SMTP_COMPAT)


SMTP_COMPAT = compat32.clone(linesep="\r\n")


def message_id_domain(sender: str, base_url: str) -> str:
    """The organisation's domain for Message-IDs: the sender's, else the site's address.

    A name without a dot (localhost) or an IP address is nobody's domain: mail systems
    score such Message-IDs as suspicious.
    """
    candidates = (sender.rsplit("@", 1)[-1].strip("> "), urlsplit(base_url).hostname or "")
    for name in candidates:
        if "." in name and not name.replace(".", "").isdigit():
            return name.lower()
    return "eventreg.invalid"


def _header(value: str, name: str) -> str | Header:
    """A header value with no line breaks; non-ASCII text as RFC 2047 words.

    A Header object, not its encoded string: compat32 then folds the encoded words after
    the header's name instead of breaking the line right after "Subject:".
    """
    flat = " ".join(value.split())
    return flat if flat.isascii() else Header(flat, "utf-8", header_name=name)


def _address(name: str, address: str) -> str:
    flat_name = " ".join(name.split())
    if flat_name and not flat_name.isascii():
        flat_name = Header(flat_name, "utf-8").encode()
    return formataddr((flat_name, address.strip()))


def _content_type(value: str) -> tuple[str, str, dict[str, str]]:
    """'text/calendar; charset=utf-8; method=PUBLISH' as its type, subtype and parameters."""
    kind, *rest = (part.strip() for part in value.split(";"))
    maintype, _, subtype = kind.partition("/")
    params = dict(p.partition("=")[::2] for p in rest if "=" in p)
    return maintype, subtype or "octet-stream", params


def _filename(name: str) -> str | tuple[str, str, str]:
    return name if name.isascii() else ("utf-8", "", name)


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
        # A private relay may use its own certificate authority.
        # The name we greet the server with; by default our public host, which avoids a
        # DNS look-up (socket.getfqdn) on every connection.
        self.helo_name = str(
            config.get("MAIL_HELO_NAME")
            or urlsplit(str(config.get("BASE_URL") or "")).hostname
            or "localhost"
        )
        self.tls_context = ssl.create_default_context(cafile=config.get("MAIL_TLS_CA_FILE") or None)
        self.description = f"SMTP {self.server}:{self.port}"
        self.envelope_from = parseaddr(str(config.get("MAIL_DEFAULT_SENDER") or ""))[1]
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        try:
            if self.use_ssl:
                self.connection = smtplib.SMTP_SSL(
                    self.server,
                    self.port,
                    local_hostname=self.helo_name,
                    timeout=self.timeout,
                    context=self.tls_context,
                )
            else:
                self.connection = smtplib.SMTP(
                    self.server, self.port, local_hostname=self.helo_name, timeout=self.timeout
                )
                if self.use_tls:
                    self.connection.starttls(context=self.tls_context)
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

    def send(self, email: OutgoingEmail, message: bytes) -> None:
        assert self.connection is not None, "open the transport first"
        try:
            refused = self.connection.sendmail(self.envelope_from, [email.to_address], message)
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

    def send(self, email: OutgoingEmail, message: bytes) -> None:
        target = self.folder / f"{email.id:08d}-{email.template}.eml"
        # Write then rename: a reader never sees half a message.
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(message)
            os.replace(temporary, target)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise ConnectionLost(f"cannot write {target}: {error}") from error


def transport_for(config: Mapping[str, Any]) -> SmtpTransport | DirectoryTransport:
    """SMTP when MAIL_SERVER is set, else the instance outbox folder."""
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return DirectoryTransport(str(config["OUTBOX_DIR"]))
