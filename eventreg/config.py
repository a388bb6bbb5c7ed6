"""Default settings; override them in instance/config.py or with EVENTREG_* variables."""

from __future__ import annotations

# Where the embedded database lives when EVENTREG_DATABASE_URL is unset: filled in by
# create_app() because it depends on the instance folder.
DATABASE_URL: str | None = None

# None means "generate one into instance/secret_key on first start".
SECRET_KEY: str | None = None

# The address people reach the site at; used for links in emails, calendars and PDFs.
# None: the address `flask run` serves (FLASK_RUN_HOST, FLASK_RUN_PORT; 127.0.0.1:5000).
BASE_URL: str | None = None

# Organiser shown in page headers, emails and PDFs.
ORGANISER_NAME = "International Training Centre"
# First-run defaults of the organisation's settings; what an admin saves in the back office
# (Organisation settings) wins over them.
DEFAULT_TIMEZONE = "Europe/Rome"
DEFAULT_CURRENCY = "EUR"
DEFAULT_LANGUAGE = "en"

# The languages applicants read (a catalog under translations/ each; English is the source)
# and the one for a visitor whose browser asks for none of them.
LANGUAGES = ["en", "fr", "es"]
DEFAULT_LANGUAGE = "en"

# Retention: days after an activity ends before the retention job erases applicants who
# did not take part, and participants; an activity may set its own.
RETENTION_OTHERS_DAYS = 365
RETENTION_PARTICIPANTS_DAYS = 5 * 365
# Files made by background jobs (exports, certificate ZIPs) hold people's data: the
# retention run removes each this many days after its job finished.
JOB_RESULTS_KEEP_DAYS = 30

# Mail: with no MAIL_SERVER the worker writes .eml files to instance/outbox/.
MAIL_SERVER: str | None = None
MAIL_PORT = 25
MAIL_USE_TLS = False
MAIL_USE_SSL = False
MAIL_USERNAME: str | None = None
MAIL_PASSWORD: str | None = None
MAIL_DEFAULT_SENDER = "eventreg@localhost"
MAIL_TIMEOUT_SECONDS = 30
MAIL_HELO_NAME: str | None = None  # EHLO name; defaults to BASE_URL's host
MAIL_TLS_CA_FILE: str | None = None  # CA bundle for a relay with a private certificate
# Delivery retries: base delay doubling up to the cap; failed after MAIL_MAX_ATTEMPTS.
MAIL_RETRY_BASE_SECONDS = 30
MAIL_RETRY_MAX_SECONDS = 6 * 3600
MAIL_MAX_ATTEMPTS = 20
# A message claimed by a worker that died is given back after this long.
MAIL_CLAIM_STALE_SECONDS = 600

# Background jobs: with no REDIS_URL, jobs run from a SQLite file in instance/.
REDIS_URL: str | None = None

SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
SQLALCHEMY_TRACK_MODIFICATIONS = False

# Sessions: HttpOnly always; Secure is switched on when BASE_URL is https.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False

WTF_CSRF_TIME_LIMIT = 6 * 3600

# Uploads (CVs) are refused above this size.
MAX_CONTENT_LENGTH = 5 * 1024 * 1024

LOG_LEVEL = "INFO"

# Rate limits (see eventreg/ratelimits.py): switch off only for benchmarks; override one
# with RATE_LIMITS = {"public.apply": "60 per minute"}. Behind a reverse proxy, set
# TRUSTED_PROXIES to how many proxies add X-Forwarded-For.
RATELIMIT_ENABLED = True
TRUSTED_PROXIES = 0

# /metrics (eventreg/metrics.py) answers to this bearer token; without one, only to
# requests from this machine.
METRICS_TOKEN: str | None = None

# Applying: a CV must be a PDF of at most this size (below MAX_CONTENT_LENGTH, which also
# carries the rest of the form).
CV_MAX_BYTES = 4 * 1024 * 1024

# Where uploaded and generated files (CVs, jobs' results) are kept: "folder" (UPLOAD_DIR,
# one machine) or "database" (every node reaches it). None: database on PostgreSQL,
# folder on SQLite. See eventreg/files.py.
FILE_STORE: str | None = None
# The folder store's root; None means instance/uploads.
UPLOAD_DIR: str | None = None

# A private link is re-sent to the same application at most once in this many seconds.
LINK_RESEND_INTERVAL_SECONDS = 300

# Big PDF batches (certificates) are laid out in worker processes, PDF_CHUNK_SIZE documents
# each: PDF_PROCESSES of them (None: one per available CPU; 1: always in this process).
# Batches under PDF_PROCESSES_MIN_BATCH stay in this process, where they are done before a
# pool would have started.
PDF_PROCESSES: int | None = None
PDF_CHUNK_SIZE = 50
PDF_PROCESSES_MIN_BATCH = 100

# Dates that pass: the worker lapses unconfirmed offers and sends reminders every
# DEADLINES_INTERVAL_SECONDS (and once per `flask worker --once`, e.g. from cron).
DEADLINES_INTERVAL_SECONDS = 300
CONFIRM_REMINDER_DAYS = 3  # days before the confirm-by date
PAYMENT_REMINDER_DAYS = 14  # days before the activity starts, while an amount is due
EVALUATION_REMINDER_DAYS = 3  # days after an evaluation invitation left unanswered
FOLLOW_UP_REMINDER_DAYS = 3  # days before the follow-up form's deadline, while unanswered

# Staff sessions end after this long without a request, and in any case this long after
# signing in (see eventreg/services/staff_sessions.py).
STAFF_SESSION_IDLE_MINUTES = 120
STAFF_SESSION_MAX_HOURS = 12
# The organisation's rule that admins sign in with a one-time code too: an admin without
# two-factor sign-in is sent to set it up before any other back-office page.
STAFF_ADMINS_NEED_TWO_FACTOR = False
