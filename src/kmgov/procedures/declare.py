"""How a policy module declares a procedure on the kernel (see docs/procedures.md).

A procedure is a concrete model that inherits `Case`, carries a `procedure = Procedure(...)`
attribute, and declares each step with `@step(...)`: a django-fsm-2 transition whose `custom`
metadata says who may take it (roles, the applicant), whether the filing window must be open,
the conditions with their messages, what is then awaited from whom (the inbox), and the
deadlines that follow (reminder and escalation rows, swept by `kmgov procedures sweep`).
The service `case_transition` reads these declarations; no permission `if` lives in a view.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from django_fsm import transition

from kmgov.core.calendar import DayCount

from .windows import FilingWindow, ParameterWindow

if TYPE_CHECKING:
    from kmgov.core.models import OrgUnit

    from .models import Case

STEP_KEY = "kmgov_step"

# Where an awaited party or an escalation target sits, relative to the case's org unit.
AT_ORG = "org"  # the case's own unit (its subtree)
AT_COUNTY = "county"  # the county, district or zone the case's unit belongs to
AT_CITY = "city"  # the root of the tree

# Whether a step's roles must reach the case's unit through the tree.
SCOPE_ORG = "org"  # the role is held at the case's unit or above it (the default)
SCOPE_ANY = "any"  # the role anywhere, e.g. a city department recording every county's filings

OrgResolver = str | Callable[["Case"], "OrgUnit"]


class Duty(str, Enum):
    """What an official's step decides, for the separation of duties (`step(duty=...)`).

    The actor of a step with a duty may not be the case's applicant, nor the one who created
    the case, nor anyone who took a step of another *stage* on the same case: one person does
    not both file and approve, nor review and pay. A stage is the duty and the roles of the
    step unless `stage=` names it: an office's return, rejection and approval are one stage, so
    the official who returned a case may approve it once it is corrected.

    A step may instead name whom its actor must differ from (`apart_from=`: the procedure's
    steps or its services' audited actions, e.g. the 96128 desk's approval of an extension
    apart from `extension_request`): then the applicant and the actors of those actions only
    (a desk that records calls decides on units' requests about them). A step that decides
    only when taken from some states (`duty_from=`, e.g. a re-dispatch after a unit's 退单)
    is routine from the others. An official's step that decides nothing says why
    (`routine=`): every official's step declares one or the other (tested)."""

    REVIEW = "review"    # 审核: checks the filing (an office, a station, a spot check)
    APPROVE = "approve"  # 审批: decides it (a government, a department's approval)
    PAY = "pay"          # 拨付: releases money

    @property
    def label(self) -> str:
        return DUTY_LABELS[self]


DUTY_LABELS = {Duty.REVIEW: "审核", Duty.APPROVE: "审批", Duty.PAY: "拨付"}


def resolve_org(case: Case, at: OrgResolver) -> OrgUnit:
    from kmgov.core.models import OrgUnit

    if callable(at):
        return at(case)
    if at == AT_ORG:
        return case.org
    if at == AT_COUNTY:
        county = case.org.county_level()
        if county is None:
            raise ValueError(f"{case.org} 不属于任何县（市）区或开发（度假）区")
        return county
    if at == AT_CITY:
        return OrgUnit.objects.get(parent__isnull=True, kind="city")
    # an org code: the case's own unit (already read with the case) needs no query
    if type(case)._meta.get_field("org").is_cached(case) and case.org is not None \
            and case.org.code == at:
        return case.org
    return OrgUnit.objects.get(code=at)


def county_department(suffix: str) -> Callable[[Case], OrgUnit]:
    """A resolver: the department `<county code>-<suffix>` of the case's county (e.g.
    "forestry" → 盘龙区林业局 for a case under 盘龙区)."""
    from kmgov.core.models import OrgUnit

    def resolve(case: Case) -> OrgUnit:
        county = resolve_org(case, AT_COUNTY)
        return OrgUnit.objects.get(code=f"{county.code}-{suffix}")

    resolve.__name__ = f"county_department_{suffix}"
    return resolve


@dataclass(frozen=True)
class Await:
    """What the case waits for next, and from whom: the applicant, or a role at a unit. A
    function `at` may return None: that role is not awaited for this case (a route that
    depends on the case, e.g. 106号's warned unit answering through its own kind of role)."""

    what: str
    role: str | None = None
    at: OrgResolver = AT_ORG
    applicant: bool = False

    def __post_init__(self):
        if bool(self.role) == self.applicant:
            raise ValueError("Await: give either role= or applicant=True")


@dataclass(frozen=True)
class Target:
    """A role at a unit, e.g. the county government the case is escalated to."""

    role: str
    at: OrgResolver = AT_COUNTY


@dataclass(frozen=True)
class DeadlineRule:
    """The state entered must be left within `days` (calendar or working days).

    `remind_before` days (same counting) before the end, the awaited party gets a reminder;
    when the period has run out the case is escalated to `escalate_to` (and the awaited party
    is told it is overdue). `citation` names the provision (e.g. "昆政办〔2010〕106号 第九条").

    `days` and `remind_before` are read on the day the step is taken, in one of three forms:
    a number; the name of a parameter (read through the administrators' interpretation
    overrides, `kmgov.rules.parameter_value`); or a function `(case, on: date) -> int | None`
    for a period that depends on the case (the 96128 desk's reply period per request type,
    itself read from parameters). `days` giving None means the case has no such period (no
    rows are written).
    """

    days: int | str | Callable[[Case, dt.date], int | None]
    count: DayCount = DayCount.CALENDAR
    remind_before: int | str | Callable[[Case, dt.date], int | None] | None = None
    escalate_to: Target | None = None
    what: str = ""
    citation: str = ""

    @staticmethod
    def _read(value, case, day: dt.date) -> int | None:
        if callable(value):
            value = value(case, day)
        elif isinstance(value, str):
            from kmgov.rules import parameter_value

            value = parameter_value(value, day)
        return None if value is None else int(value)

    def days_for(self, case, day: dt.date) -> int | None:
        """The period's length for this case, for a period starting on `day`."""
        return self._read(self.days, case, day)

    def remind_before_for(self, case, day: dt.date) -> int | None:
        return self._read(self.remind_before, case, day)


@dataclass(frozen=True)
class Condition:
    """A condition of a step; `message` says, in Chinese, what is missing when it fails
    (a string, or a function of the case returning one)."""

    message: str | Callable[[Case], str]
    check: Callable[[Case], bool]
    field: str | None = None

    def __call__(self, case: Case) -> bool:
        return bool(self.check(case))

    def message_for(self, case: Case) -> str:
        return self.message(case) if callable(self.message) else self.message


def documents_attached(*keys: str) -> Condition:
    """The checklist documents `keys` are attached to the case."""

    def missing(case: Case) -> list[str]:
        present = set(case.attachments().values_list("key", flat=True))
        return [k for k in keys if k not in present]

    def message(case: Case) -> str:
        labels = [case.procedure.checklist.get(k, k) for k in missing(case)]
        return f"尚未上传必备材料：{'、'.join(labels)}"

    return Condition(message=message, check=lambda case: not missing(case), field="attachments")


def state_field(choices, default: str):
    """The `state` field of a procedure model: protected, changed only by its steps."""
    from django_fsm import FSMField

    return FSMField("状态", default=default, choices=choices, protected=True, db_index=True)


def condition(message: str, *, field: str | None = None):
    """Decorator or factory: `condition("须上传营业执照", field="licence")(lambda c: ...)`."""

    def wrap(check: Callable[[Case], bool]) -> Condition:
        return Condition(message=message, check=check, field=field)

    return wrap


_LAZY_INPUTS: dict[int, type] = {}


def resolve_input(declared, *, step: str = "") -> type | None:
    """A step's input model: the class declared, or what the declared function returns
    (called once, checked like a declared class, then kept)."""
    if declared is None or isinstance(declared, type):
        return declared
    model = _LAZY_INPUTS.get(id(declared))
    if model is None:
        from .inputs import check_input_model

        model = declared()
        check_input_model(model, step=step)
        _LAZY_INPUTS[id(declared)] = model
    return model


@dataclass(frozen=True)
class StepSpec:
    name: str
    label: str
    roles: frozenset[str] = frozenset()
    applicant: bool = False
    window: bool = False
    conditions: tuple[Condition, ...] = ()
    awaits: tuple[Await, ...] = ()
    deadlines: tuple[DeadlineRule, ...] = ()
    reason_required: bool = False
    scope: str = "org"  # SCOPE_ORG or SCOPE_ANY
    # Where the roles must be held (a unit resolved from the case, e.g. the county forestry
    # bureau or the city finance bureau); None: at a unit whose subtree contains the case.
    at: OrgResolver | None = None
    # What a caller sends with the step: a pydantic model (`inputs.StepInput`), or None for
    # nothing at all. The step method receives the validated instance as `data`. Read it as
    # `spec.input`: a model built from data known only once the database is up (a form from a
    # gazette table) is declared as a function returning it, resolved on first use.
    input_declared: Any = None
    # A line of help shown with the step's form (what the step means, its provision).
    help: str = ""
    citation: str = ""
    # Separation of duties: what the step decides (a `Duty`, or None for a step that decides
    # nothing: filing, withdrawing, a desk's routine) and its stage (see `Duty`).
    duty: Duty | None = None
    stage: str = ""
    # Whom the actor must differ from besides the applicant (step names or audited actions of
    # the procedure); None: the case's creator and the deciders of the other stages.
    apart_from: tuple[str, ...] | None = None
    # The states from which the step decides (empty: all its sources).
    duty_from: frozenset[str] = frozenset()
    # Why an official's step decides nothing (a filing, a desk's routine, a forwarding).
    routine: str = ""

    def decides_from(self, state: str) -> bool:
        """Whether the step, taken from `state`, is a deciding one (separation of duties)."""
        return self.duty is not None and (not self.duty_from or state in self.duty_from)

    @property
    def input(self) -> type | None:
        return resolve_input(self.input_declared, step=self.name)

    def describe_actors(self) -> str:
        from kmgov.core.models import Role

        names = [Role(r).label for r in sorted(self.roles)]
        if self.applicant:
            names.insert(0, "申请人")
        return "、".join(names) or "无人"


def step(
    *,
    source: str | Iterable[str],
    target: str,
    label: str,
    roles: Iterable[str] = (),
    applicant: bool = False,
    window: bool = False,
    conditions: Iterable[Condition] = (),
    awaits: Await | Iterable[Await] | None = None,
    deadlines: DeadlineRule | Iterable[DeadlineRule] = (),
    reason_required: bool = False,
    scope: str = SCOPE_ORG,
    field_name: str = "state",
    at: OrgResolver | None = None,
    input: type | Callable[[], type] | None = None,
    help: str = "",
    citation: str = "",
    duty: Duty | None = None,
    stage: str = "",
    apart_from: Iterable[str] | None = None,
    duty_from: Iterable[str] = (),
    routine: str = "",
):
    """Declare a step of a procedure: a django-fsm-2 transition plus the kernel's rules.

    The decorated method is called by `case_transition` with `actor`, `reason`, `now` and
    `data` (the validated instance of `input`, or None for a step that takes nothing) as
    keyword arguments; it may set the case's fields and raise
    `django.core.exceptions.ValidationError` to refuse data its input model cannot judge
    alone (e.g. a date before the case was submitted).
    """
    if scope not in (SCOPE_ORG, SCOPE_ANY):
        raise ValueError(f"step scope must be {SCOPE_ORG!r} or {SCOPE_ANY!r}")
    if isinstance(awaits, Await):
        awaits = (awaits,)
    if isinstance(deadlines, DeadlineRule):
        deadlines = (deadlines,)
    conds = tuple(conditions)
    if duty is not None:
        duty = Duty(duty)
        if applicant:
            raise ValueError("a step the applicant takes cannot carry a duty to decide on it")
        stage = stage or f"{duty.value}:" + ",".join(sorted(roles))
        if routine:
            raise ValueError("a step is either deciding (duty=) or routine (routine=), not both")
    elif apart_from is not None or duty_from:
        raise ValueError("apart_from= and duty_from= qualify a deciding step: give duty= too")

    def decorate(func):
        if isinstance(input, type):
            from .inputs import check_input_model

            check_input_model(input, step=func.__name__)
        elif input is not None and not callable(input):
            raise TypeError(f"step {func.__name__}: input must be a StepInput class or a "
                            "function returning one")
        spec = StepSpec(
            name=func.__name__, label=label, roles=frozenset(roles), applicant=applicant,
            window=window, conditions=conds, awaits=tuple(awaits or ()),
            deadlines=tuple(deadlines), reason_required=reason_required, scope=scope, at=at,
            input_declared=input, help=help, citation=citation, duty=duty, stage=stage,
            apart_from=None if apart_from is None else tuple(apart_from),
            duty_from=frozenset(str(s) for s in duty_from), routine=routine,
        )
        func.step_spec = spec
        sources = [source] if isinstance(source, str) else list(source)
        if spec.duty_from - {str(x) for x in sources}:
            raise ValueError(f"step {func.__name__}: duty_from names a state it is not taken from")
        wrapped = transition(
            field=field_name, source=sources, target=target,
            # The conditions are checked by the service first (for their messages); giving
            # them to django-fsm too keeps can_proceed() and the fsm graph truthful.
            conditions=list(conds), custom={STEP_KEY: spec, "label": label},
        )(func)
        wrapped.step_spec = spec
        return wrapped

    return decorate


@dataclass(frozen=True)
class Participants:
    """Units that take part in a procedure's route without containing its cases, and so read
    them: `units` (org codes, e.g. the city finance bureau that pays) read every case;
    `county_departments` (suffixes, e.g. "forestry") make the department `<county>-<suffix>`
    read the cases of its own county. Declared as data so that lists are one SQL query."""

    units: tuple[str, ...] = ()
    county_departments: tuple[str, ...] = ()


NO_PARTICIPANTS = Participants()


@dataclass(frozen=True)
class Procedure:
    """A procedure's identity and its kernel-level parameters."""

    code: str  # stable, used in URLs and reference numbers' registry
    name: str  # Chinese name shown to people
    reference_prefix: str = ""
    window: FilingWindow | ParameterWindow | None = None
    checklist: dict[str, str] = field(default_factory=dict)  # key → 材料名称
    required_documents: tuple[str, ...] = ()  # checklist keys that must be attached to submit
    editable_states: tuple[str, ...] = ("draft",)  # where attachments may be added
    attachment_max_bytes: int | None = None  # None: settings.KMGOV_ATTACHMENT_MAX_BYTES
    attachment_types: tuple[str, ...] = ("pdf", "png", "jpeg", "docx", "xlsx")
    # checklist keys added in other states than `editable_states` (key → states): e.g. a
    # handling unit's reply documents, added while the case is with it
    attachment_states: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # checklist keys that are the handling units' own documents: added only by staff whose
    # roles reach the case's unit, never given to the applicant (kernel download view, case
    # page, API); a procedure that shares one with the applicant does so itself
    internal_attachments: tuple[str, ...] = ()
    # what a new case awaits (one `Await`, or a tuple of them: e.g. each issuing body's
    # office, the resolvers returning None for the others)
    initial_awaits: Await | tuple[Await, ...] | None = Await(what="填写并提交申报", applicant=True)
    citation: str = ""
    # What the procedure's own audit actions (`<code>.<action>`, written by its services
    # outside the steps) mean, for the case history: {"line_add": "添加报账明细"}.
    action_labels: dict[str, str] = field(default_factory=dict)

    def prefix(self) -> str:
        return self.reference_prefix or self.code.upper()


_REGISTRY: dict[str, type] = {}


def register(model: type) -> type:
    """Class decorator: make the procedure known to the generic API, inbox and sweep."""
    proc = getattr(model, "procedure", None)
    if not isinstance(proc, Procedure):
        raise TypeError(f"{model.__name__} has no `procedure = Procedure(...)`")
    existing = _REGISTRY.get(proc.code)
    if existing is not None and existing._meta.label != model._meta.label:
        raise ValueError(f"procedure code {proc.code!r} already used by {existing}")
    _REGISTRY[proc.code] = model
    return model


def registered() -> dict[str, type]:
    return dict(_REGISTRY)


def procedure_model(code: str) -> type:
    from .errors import CaseNotFound

    try:
        return _REGISTRY[code]
    except KeyError:
        raise CaseNotFound(f"没有编号为“{code}”的办事程序", field="procedure") from None


def steps_of(model: type) -> dict[str, StepSpec]:
    """The declared steps of a procedure model, by name (a copy: the caller may change it)."""
    return dict(_steps_of(model))


@functools.cache
def _steps_of(model: type) -> dict[str, StepSpec]:
    # Steps are declared on the class (`@step` methods) and never added later: found once
    # per process, not by walking `dir(model)` (hundreds of attributes) on every step taken
    # (issue 14 item 6: a tenth of a step's Python time).
    out: dict[str, StepSpec] = {}
    for name in dir(model):
        spec = getattr(getattr(model, name, None), "step_spec", None)
        if isinstance(spec, StepSpec):
            out[name] = spec
    return out


def unscoped_roles(model: type) -> frozenset[str]:
    """Roles that act on this procedure's cases wherever the case is (steps with SCOPE_ANY)."""
    roles: set[str] = set()
    for spec in steps_of(model).values():
        if spec.scope == SCOPE_ANY:
            roles |= spec.roles
    return frozenset(roles)


def step_sources(model: type, name: str) -> list[str]:
    meta = getattr(getattr(model, name), "_django_fsm", None)
    return list(meta.transitions) if meta else []


def step_target(model: type, name: str, source: str) -> Any:
    meta = getattr(model, name)._django_fsm
    return meta.next_state(source)
