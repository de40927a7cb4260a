"""Refusals of the procedures kernel: kinds of the site-wide `kmgov.core.errors.Refusal`, so each
channel renders them the same way (the API as `{"detail": message, "field": field, "code": code}`
with `status`, the web pages as a message or the refusal page, the CLI as an error line with
exit code 2). Messages are Chinese and name the field or condition that failed (SPEC X-9)."""

from kmgov.core.errors import Forbidden, InvalidInput, NotFound, Refusal


class ProcedureError(Refusal):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, field=field)


# The site-wide kinds first, so their status, code and title are the ones that count.


class CaseNotFound(NotFound, ProcedureError):
    """The case does not exist, or the caller's roles do not reach it (the two look alike)."""


class TransitionDenied(Forbidden, ProcedureError):
    """The caller sees the case but may not perform this step (role or scope)."""


class SeparationOfDuties(TransitionDenied):
    """The caller holds the role but is the applicant, the creator, or took another stage's
    deciding step on this case (`declare.Duty`)."""

    code = "separation_of_duties"


class StateChanged(ProcedureError):
    """The case is no longer in the state the caller saw: someone else acted first."""

    status = 409
    code = "state_changed"
    title = "事项状态已变化"


class TransitionNotAvailable(ProcedureError):
    """The step does not start from the case's current state."""

    status = 409
    code = "not_available"


class ConditionUnmet(ProcedureError):
    """A condition of the step is not met (e.g. a required document is missing)."""

    status = 400
    code = "condition_unmet"


class StepInputInvalid(InvalidInput, ProcedureError):
    """What was sent with a step does not match the step's declared input; `errors` names
    each field with a Chinese message. Nothing was written."""

    def __init__(self, message: str, *, errors: list[dict] | None = None,
                 field: str | None = None):
        self.errors = list(errors or [])
        super().__init__(message, field=field or (self.errors[0]["field"] if self.errors
                                                  else None))

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors}


class WindowClosed(ProcedureError):
    """Outside the filing window; the message says when it opens next."""

    status = 400
    code = "window_closed"


class AttachmentRejected(ProcedureError):
    """Too large, of a type not accepted, or disguised as another type."""

    status = 400
    code = "attachment_rejected"


class DeadlineUncountable(ProcedureError):
    """A deadline would fall in a year whose public holidays are not yet in the calendar."""

    status = 409
    code = "calendar_range"
