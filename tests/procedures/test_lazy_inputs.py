"""A step input declared as a function (`@step(input=lambda: Model)`): for models built from
data that exists only once the database is up (107号's forms from the gazette library).
Resolved on first use, checked like a declared class, kept."""

import pytest
from pydantic import Field

from kmgov.procedures.declare import step
from kmgov.procedures.inputs import StepInput


class Note(StepInput):
    text: str = Field(title="内容")


class Clash(StepInput):
    reason: str = Field(title="理由")  # a kernel name (inputs.RESERVED)


def test_a_function_is_resolved_once_on_first_use():
    calls = []

    def build():
        calls.append(1)
        return Note

    @step(source="a", target="b", label="记", input=build)
    def note(self, **kw):
        pass

    assert calls == []  # declaring does not build it
    assert note.step_spec.input is Note and note.step_spec.input is Note
    assert calls == [1]  # built once, then kept


def test_a_resolved_model_is_checked_like_a_declared_one():
    @step(source="a", target="b", label="记", input=lambda: Clash)
    def bad(self, **kw):
        pass

    with pytest.raises(TypeError, match="reason"):
        _ = bad.step_spec.input
    with pytest.raises(TypeError, match="StepInput class or a function"):
        step(source="a", target="b", label="记", input="Note")(lambda self: None)


def test_a_class_is_still_checked_at_declaration():
    with pytest.raises(TypeError, match="reason"):
        step(source="a", target="b", label="记", input=Clash)(lambda self: None)
