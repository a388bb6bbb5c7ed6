"""The domain model; importing this package registers every table on db.metadata."""

from .activities import (
    Activity,
    ActivityKind,
    ActivitySession,
    ActivityStatus,
    AudienceGroup,
    AudienceTier,
    Contact,
    FeeComponent,
    Module,
    SessionKind,
    session_trainers,
)
from .apitokens import ApiToken
from .applications import (
    CLOSED,
    PLACE_HOLDING,
    TAKING_PART,
    Application,
    ApplicationNote,
    ApplicationStatus,
    Gender,
    PaymentSource,
    Proficiency,
    Title,
)
from .attendance import (
    Attendance,
    Certificate,
    EvaluationAnswer,
    EvaluationInvitation,
    EvaluationQuestion,
    EvaluationResponse,
    QuestionKind,
)
from .audit import AuditLog
from .base import utcnow
from .files import StoredFile
from .jobs import Job, JobStatus
from .money import CostShareGrant, DocumentCounter, Payment, PaymentMethod
from .organisation import OrganisationSettings
from .outbox import EmailOutbox, OutboxAttachment, OutboxStatus
from .privacy import PrivacyNotice
from .programme import Partner, ProgrammePerson, ProgrammeRole
from .questions import Answer, AnswerChoice, FormKind, Question, QuestionOption
from .ratelimits import RateLimitCounter
from .reminders import Reminder, ReminderKind
from .staff import (
    RecoveryCode,
    Role,
    SignInFailure,
    StaffAssignment,
    StaffInvitation,
    StaffSession,
    StaffUser,
)
from .webhooks import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)

__all__ = [
    "CLOSED",
    "PLACE_HOLDING",
    "TAKING_PART",
    "Activity",
    "ApiToken",
    "ActivityKind",
    "ActivitySession",
    "ActivityStatus",
    "Application",
    "ApplicationNote",
    "ApplicationStatus",
    "Attendance",
    "AudienceGroup",
    "AudienceTier",
    "Answer",
    "AnswerChoice",
    "AuditLog",
    "Certificate",
    "Contact",
    "DeliveryStatus",
    "CostShareGrant",
    "EmailOutbox",
    "EvaluationAnswer",
    "EvaluationInvitation",
    "EvaluationQuestion",
    "EvaluationResponse",
    "FeeComponent",
    "FormKind",
    "Gender",
    "Job",
    "JobStatus",
    "Module",
    "OrganisationSettings",
    "OutboxAttachment",
    "OutboxStatus",
    "Partner",
    "DocumentCounter",
    "Payment",
    "PaymentMethod",
    "PaymentSource",
    "PrivacyNotice",
    "Proficiency",
    "ProgrammePerson",
    "ProgrammeRole",
    "Question",
    "QuestionKind",
    "QuestionOption",
    "RateLimitCounter",
    "Reminder",
    "ReminderKind",
    "Role",
    "SessionKind",
    "SignInFailure",
    "StaffAssignment",
    "StaffSession",
    "StaffUser",
    "StaffInvitation",
    "RecoveryCode",
    "StoredFile",
    "Title",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookEventType",
    "session_trainers",
    "utcnow",
]
