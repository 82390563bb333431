"""Every error the domain raises, declared together.

Each carries a catalogue key and its parameters so the interface can show a translated
message next to the field; `str()` gives a plain English message for logs and the CLI.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: something a person can act on, never a programming error."""

    message_key = "error.domain"

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.field = field
        self.params = params


class ValidationError(DomainError):
    """A value does not meet the rules; nothing was written."""

    message_key = "error.validation"


class InvalidOrganisationNumber(ValidationError):
    message_key = "error.invalid_org_number"


class EmptyName(ValidationError):
    message_key = "error.empty_name"


class ScoreOutOfRange(ValidationError):
    message_key = "error.score_out_of_range"


class InvalidWeight(ValidationError):
    message_key = "error.invalid_weight"


class UnknownCriterion(ValidationError):
    message_key = "error.unknown_criterion"


class UnknownChoice(ValidationError):
    message_key = "error.unknown_choice"


class CrossWorkshopReference(ValidationError):
    """An object of one workshop points at an object that belongs to another."""

    message_key = "error.cross_workshop_reference"


class NotFound(DomainError):
    message_key = "error.not_found"


class DatabaseNotReady(DomainError):
    """The schema is missing or older than this version of the application."""

    message_key = "error.database_not_ready"


class TableErrors(ValidationError):
    """Some rows of a table edit are invalid; none of the edit was written.

    `problems` lists (row number as shown, field, the error) so each can be shown next to
    its row.
    """

    message_key = "error.table"

    def __init__(self, problems: list[tuple[int, str, DomainError]]) -> None:
        summary = "; ".join(f"row {row}, {field}: {error}" for row, field, error in problems)
        super().__init__(f"{len(problems)} row(s) need fixing: {summary}", count=len(problems))
        self.problems = problems


class DuplicateName(ValidationError):
    message_key = "error.duplicate_name"


class NotANumber(ValidationError):
    message_key = "error.not_a_number"


class OutOfRange(ValidationError):
    message_key = "error.out_of_range"


class TooLong(ValidationError):
    message_key = "error.too_long"


class InvertedRange(ValidationError):
    """The low end of a range is above its high end."""

    message_key = "error.inverted_range"


class UnsafeUpload(ValidationError):
    """An uploaded file was refused before (or while) parsing it; nothing was written.

    `reason` is one of the `upload_safety.REASONS` codes, each with its own message.
    """

    message_key = "error.unsafe_upload"


class CatalogueFileRefused(ValidationError):
    """A funding-catalogue CSV was refused before reading it (`reason`: too_large, not_utf8)."""

    message_key = "error.catalogue_file"


class MissingValue(ValidationError):
    """A field that must be filled in is empty."""

    message_key = "error.missing_value"


class InvalidUrl(ValidationError):
    message_key = "error.invalid_url"


class InvalidDate(ValidationError):
    message_key = "error.invalid_date"


class InvertedLimits(ValidationError):
    """A lower limit (the field) is above its upper limit."""

    message_key = "error.inverted_limits"


class RepeatedValue(ValidationError):
    """A list field names the same value twice."""

    message_key = "error.repeated_value"


class RegionsNeedRegionalScope(ValidationError):
    message_key = "error.regions_need_regional_scope"


class UnreadableFile(ValidationError):
    """A file that is not what it claims to be (e.g. not CSV, or holding nothing)."""

    message_key = "error.unreadable_file"


class VotingError(DomainError):
    """A phone vote or voting action that the voting's current state does not allow;
    nothing was stored."""

    message_key = "error.voting"


class InvalidJoinCode(VotingError):
    """Wrong, expired or revoked join code (which of these is not told)."""

    message_key = "error.invalid_join_code"


class TooManyAttempts(VotingError):
    """Too many wrong codes or passwords from this client lately; `seconds` until the next try."""

    message_key = "error.too_many_attempts"


class UnknownDevice(VotingError):
    """A phone's identity that no participant has (forged, or the workshop was removed)."""

    message_key = "error.unknown_device"


class VotingClosed(VotingError):
    message_key = "error.voting_closed"


class UseCaseNotOpen(VotingError):
    """A vote for a use case that is not open for voting in the voter's workshop."""

    message_key = "error.use_case_not_open"


class StaleRound(VotingError):
    """A vote sent for an earlier round of a use case that has since been re-opened."""

    message_key = "error.stale_round"


class NotRevealed(VotingError):
    """Results asked for before the facilitator revealed them: voting is blind until then."""

    message_key = "error.not_revealed"


class VotingTransition(VotingError):
    """A use case cannot move from its voting status (`status`) by this action (`action`)."""

    message_key = "error.voting_transition"


class InvalidEmail(ValidationError):
    message_key = "error.invalid_email"


class WeakPassword(ValidationError):
    """Shorter than `min_length`, or one character repeated."""

    message_key = "error.weak_password"


class DuplicateEmail(ValidationError):
    message_key = "error.duplicate_email"


class AccountError(DomainError):
    """A sign-in or change of a staff account that is not allowed; nothing was changed."""

    message_key = "error.account"


class ExternalIdentityRefused(AccountError):
    """A single sign-on identity with no active account here (or an unverified address)."""

    message_key = "error.external_identity_refused"


class InvalidCredentials(AccountError):
    """Wrong e-mail address, wrong password or an inactive account (which of these is not told)."""

    message_key = "error.invalid_credentials"


class LastAdmin(AccountError):
    """The change would leave no active administrator to manage the accounts."""

    message_key = "error.last_admin"


class NotAnAdvisor(AccountError):
    message_key = "error.not_an_advisor"


class NotAFacilitator(AccountError):
    message_key = "error.not_a_facilitator"


class ConfirmationMismatch(ValidationError):
    """The name typed to confirm a deletion is not the company's name; nothing was deleted."""

    message_key = "error.confirmation_mismatch"


class InvertedDates(ValidationError):
    """A date range whose start (`since`) is after its end (`until`)."""

    message_key = "error.inverted_dates"


class InvalidAccessCode(ValidationError):
    """A company access code that is wrong, expired or revoked (which of these is not told)."""

    message_key = "error.invalid_access_code"


class AccessDenied(DomainError):
    """The caller may not read or change this; nothing was read or written."""

    message_key = "error.access_denied"
