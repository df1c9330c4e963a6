"""The post-call survey stores three scores, and asks once more after a wrong key."""

from __future__ import annotations

from flows.simulator import CallResult, FlowSet, simulate
from tests.flows.conftest import REGULAR, SPANISH, prompt


def survey(flows: FlowSet, *inputs: str | None, language: str | None = None) -> CallResult:
    return simulate(flows, "Survey", caller=REGULAR, inputs=list(inputs), language=language)


def scores(result: CallResult) -> dict[str, str]:
    return {k: v for k, v in result.attributes.items() if k.startswith("survey")}


def test_three_answers_are_stored_as_survey_attributes(ivr: None, flows: FlowSet) -> None:
    result = survey(flows, "1", "5", "3")

    assert scores(result) == {"surveyQ1": "1", "surveyQ2": "5", "surveyQ3": "3"}
    assert result.ended == "disconnected"


def test_the_caller_is_thanked_at_the_end(ivr: None, flows: FlowSet) -> None:
    assert survey(flows, "1", "5", "3").spoken[-1] == prompt("Survey", "Thanks")


def test_a_wrong_key_asks_the_same_statement_again(ivr: None, flows: FlowSet) -> None:
    result = survey(flows, "9", "2", "4", "4")

    assert result.spoken.count(prompt("Survey", "Statement1")) == 2
    assert prompt("Survey", "InvalidOption") in result.spoken
    assert scores(result) == {"surveyQ1": "2", "surveyQ2": "4", "surveyQ3": "4"}


def test_a_statement_left_unanswered_twice_is_skipped(ivr: None, flows: FlowSet) -> None:
    result = survey(flows, "2", None, "0", "3")

    assert scores(result) == {"surveyQ1": "2", "surveyQ3": "3"}


def test_the_survey_speaks_the_contacts_language(ivr: None, flows: FlowSet) -> None:
    result = survey(flows, "1", "1", "1", language=SPANISH)

    assert prompt("Survey", "Statement1", SPANISH) in result.spoken
