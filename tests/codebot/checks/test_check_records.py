"""The typed check and judgement records: their plain forms are the dicts the wire and the traces have
always carried, a bad record names its bad field, and a malformed check sent to the sim server comes
back as an unchecked verdict with the reason (the server stays up)."""
import pytest

from codebot.checks.check import Check, GoalCheck, Judgement, TemplateCheck, goal_check, template_check
from codebot.checks.scene import SceneSpec
from codebot.primitives.records import RecordError

TEMPLATE_PLAIN = {"kind": "template", "template_id": 1, "instruction": "put the red block in the blue bowl",
                  "params": {"pick": "red block", "place": "blue bowl"},
                  "scene": {"blocks": ["red", "green"], "bowls": ["blue"]}}
GOAL_PLAIN = {"kind": "goal", "spec": "in(red block, blue bowl)", "provenance": "goal spec (LLM-written, validated)"}
VERDICT_PLAIN = {"success": False, "reason": "the red block is not in the blue bowl", "source": "goal spec",
                 "checker": "goal spec (LLM-written, validated): in(red block, blue bowl)",
                 "details": {"clauses": [{"text": "in(red block, blue bowl)", "holds": False}]}}


def test_a_template_check_round_trips_through_its_plain_form():
    check = Check.from_plain(TEMPLATE_PLAIN)
    assert check == TemplateCheck(1, "put the red block in the blue bowl",
                                  {"pick": "red block", "place": "blue bowl"}, SceneSpec(("red", "green"), ("blue",)))
    assert check.to_plain() == TEMPLATE_PLAIN and Check.from_plain(check.to_plain()) == check


def test_a_template_check_for_a_task_instance_names_its_template():
    from codebot.checks import tasks

    instance = tasks.match("put the red block in the blue bowl")
    assert instance is not None
    check = template_check(instance)
    assert isinstance(check, TemplateCheck) and check.template_id == instance.task.template_id
    assert check.instruction == instance.instruction and check.scene == instance.scene
    assert Check.from_plain(check.to_plain()) == check


def test_a_goal_check_round_trips_through_its_plain_form():
    check = Check.from_plain(GOAL_PLAIN)
    assert check == goal_check("in(red block, blue bowl)", "goal spec (LLM-written, validated)")
    assert isinstance(check, GoalCheck) and check.to_plain() == GOAL_PLAIN
    assert Check.from_plain({"kind": "goal", "spec": "in(red block, blue bowl)"}).provenance is None


def test_a_judgement_round_trips_through_its_plain_form():
    verdict = Judgement.from_plain(VERDICT_PLAIN)
    assert not verdict.success and verdict.source == "goal spec" and verdict.details == VERDICT_PLAIN["details"]
    assert verdict.to_plain() == VERDICT_PLAIN and Judgement.from_plain(verdict.to_plain()) == verdict
    assert Judgement.unchecked("no check").to_plain() == {"success": False, "reason": "no check",
                                                          "source": "unchecked", "checker": "none", "details": {}}


@pytest.mark.parametrize("plain, field", [
    ({k: v for k, v in TEMPLATE_PLAIN.items() if k != "template_id"}, "'template_id'"),
    ({**TEMPLATE_PLAIN, "template_id": "1"}, "'template_id'"),
    ({**TEMPLATE_PLAIN, "template_id": True}, "'template_id'"),
    ({**TEMPLATE_PLAIN, "instruction": 7}, "'instruction'"),
    ({**TEMPLATE_PLAIN, "params": ["pick"]}, "'params'"),
    ({**TEMPLATE_PLAIN, "scene": {"blocks": "red"}}, "'blocks'"),
    ({"kind": "goal"}, "'spec'"),
    ({**GOAL_PLAIN, "spec": ["in"]}, "'spec'"),
    ({**GOAL_PLAIN, "provenance": 3}, "'provenance'"),
    ({"spec": "in(red block, blue bowl)"}, "'kind'"),
    ({**GOAL_PLAIN, "kind": "vibes"}, "'vibes'"),
    ("in(red block, blue bowl)", "expected a dict"),
])
def test_a_bad_check_names_its_bad_field(plain, field):
    with pytest.raises(RecordError) as info:
        Check.from_plain(plain)
    assert field in str(info.value), info.value


def test_an_unknown_kind_of_check_is_an_error():
    with pytest.raises(RecordError, match="unknown 'kind' 'vibes'"):
        Check.from_plain({"kind": "vibes"})


@pytest.mark.parametrize("plain, field", [
    ({k: v for k, v in VERDICT_PLAIN.items() if k != "reason"}, "'reason'"),
    ({**VERDICT_PLAIN, "success": "yes"}, "'success'"),
    ({**VERDICT_PLAIN, "source": None}, "'source'"),
    ({**VERDICT_PLAIN, "details": [1]}, "'details'"),
])
def test_a_bad_judgement_names_its_bad_field(plain, field):
    with pytest.raises(RecordError) as info:
        Judgement.from_plain(plain)
    assert field in str(info.value) and "verdict" in str(info.value), info.value


@pytest.mark.slow
def test_a_malformed_check_from_the_wire_is_unchecked_with_the_reason(sim_pool):
    bad = sim_pool.run("say('hi')", check={"kind": "template", "template_id": "one"}, timeout_s=30)
    assert bad.ok and bad.verdict is not None, bad.error
    verdict = Judgement.from_plain(bad.verdict)
    assert not verdict.success and verdict.source == "unchecked" and verdict.checker == "none"
    assert "check could not be read" in verdict.reason and "'template_id'" in verdict.reason, verdict.reason
    unknown = sim_pool.run("say('hi')", check={"kind": "vibes"}, timeout_s=30)
    assert unknown.verdict["source"] == "unchecked" and "'vibes'" in unknown.verdict["reason"], unknown.verdict
    unparsed = sim_pool.run("say('hi')", check={"kind": "goal", "spec": "in(red block,"}, timeout_s=30)
    assert unparsed.verdict["source"] == "unchecked", unparsed.verdict
    assert "check could not be judged" in unparsed.verdict["reason"], unparsed.verdict
    # the server stayed up and judges a typed check sent through the pool
    judged = sim_pool.run("say('hi')", check=goal_check("in(red block, blue bowl)", "goal spec (test)"), timeout_s=30)
    verdict = Judgement.from_plain(judged.verdict)
    assert verdict.source == "goal spec" and not verdict.success
    assert verdict.checker == "goal spec (test): in(red block, blue bowl)", verdict.checker
