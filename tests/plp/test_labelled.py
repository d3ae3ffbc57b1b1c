"""Labelled string enums (plp.labelled): a member is its value for storage and comparison, carries the
words people read, and the enum gives its (value, label) choices in declaration order."""

import json

from agency.policy import Picks
from engine.policy.pace import Pace
from plp.labelled import LabelledEnum


class Light(LabelledEnum):
    GREEN = "green", "Go"
    RED = "red", "Stop"


def test_a_member_is_its_value_and_carries_its_label():
    assert Light.RED == "red"
    assert Light("red") is Light.RED
    assert Light.RED.label == "Stop"
    assert str(Light.GREEN) == "green"
    assert json.dumps({"light": Light.GREEN}) == '{"light": "green"}'


def test_choices_are_value_label_pairs_in_declaration_order():
    assert Light.choices() == [("green", "Go"), ("red", "Stop")]


def test_the_rule_modules_enums_keep_their_values_and_labels():
    assert Pace("unplanned").label == "No target date"
    assert Pace.choices()[0] == ("ahead", "Ahead")
    assert [value for value, _ in Picks.choices()] == ["assigned", "top_three", "free"]
