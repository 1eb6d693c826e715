"""The trigger table and the frames that are no occurrence, on sentences of our own; every example of both
tables is a test, and so is every fatality rule's example."""
import pytest

from dashboard.pipeline.taxonomy import (
    EVENT_TYPE_LABELS, EVENT_TYPES, FATALITY_RULES, NOT_OCCURRENCES, TRIGGERS, blocking_frame, classify_event,
    fatalities, find_occurrences, parse_number,
)

TRIGGER_EXAMPLES = [(t.event_type, example) for t in TRIGGERS for example in t.examples]
FRAME_EXAMPLES = [(name, example) for name, _, _, examples in NOT_OCCURRENCES for example in examples]


@pytest.mark.parametrize("event_type,example", TRIGGER_EXAMPLES)
def test_every_trigger_example_is_an_occurrence_of_its_type(event_type, example):
    assert find_occurrences(example)
    assert classify_event(example) == event_type


@pytest.mark.parametrize("frame,example", FRAME_EXAMPLES)
def test_every_frame_example_is_no_occurrence(frame, example):
    assert find_occurrences(example) == ()


@pytest.mark.parametrize("sentence", [
    # modality and hypotheticals
    "The rebels may storm the airport before the rains.",
    "Officials said militants would attack the convoy if it left the base.",
    "The commander threatened to shell the harbour.",
    # negation
    "Nobody was hurt when the truck overturned near the market.",
    "The army did not withdraw from the ridge.",
    "The town was never captured.",
    # generic or habitual statements
    "Roadside bombings are common on that highway.",
    "Raids often happen at night in the hill villages.",
    # opinion and predictions
    "Diplomats believe the rebels will retreat south.",
    "Analysts expect a new offensive on the coast next spring.",
    "The ministry predicted clashes during the vote.",
    # a question
    "Who attacked the checkpoint last night?",
    # saying is no occurrence
    "The governor said the province is calm.",
    # "occupied" as an adjective, "combat" as the verb of a policy
    "Journalists from the occupied territory wrote about life in occupied towns.",
    "The council hired more nurses to combat the flu.",
])
def test_non_occurrences(sentence):
    assert find_occurrences(sentence) == ()


@pytest.mark.parametrize("sentence,event_type", [
    ("Rebels attacked the checkpoint at dawn.", "battle"),
    ("Two soldiers were killed by a roadside bomb.", "bombing"),
    ("The militia seized the port on Friday.", "capture_or_seizure"),
    ("The commander proclaimed a new emirate in the valley.", "statement_or_report"),
    ("A drone strike hit a car on the ring road.", "airstrike"),
    ("Dozens of fighters fled across the river.", "movement_or_flight"),
    ("Three men were arrested at the bus station.", "arrest"),
    ("Nurses marched on the governor's office, demanding back pay.", "protest"),
    ("The weather was mild in the capital.", "other"),  # no occurrence: "other" for classify, no event
    # a civilian shot, stabbed or beaten: an attack on civilians; fighters or "members of" a group: a battle
    ("Two gunmen on a motorbike shot a shopkeeper outside his store.", "attack_on_civilians"),
    ("A farmer and his son were shot dead on their way to the fields.", "attack_on_civilians"),
    ("Soldiers killed four members of the militia near the ford.", "battle"),
    ("Two soldiers were shot dead in a clash with rebels.", "battle"),
    ("Clashes between troops and rebels killed 20 people.", "battle"),
    # a crowd's violence is a riot, and so are its later blows in the sentence
    ("A mob attacked two traffic wardens and injured one of them.", "protest"),
    ("Rioters clashed with guards at the depot gate.", "protest"),
    ("A crowd of youths torched two buses near the market.", "protest"),
    ("Gunmen attacked a police post near the market.", "battle"),
])
def test_sentence_types(sentence, event_type):
    assert classify_event(sentence) == event_type


def test_self_proclaimed_is_no_proclamation():
    assert find_occurrences("The movement's self-proclaimed province lies in the hills.") == ()


def test_a_frame_blocks_only_its_own_clause():
    sentence = "Officials fear new unrest, but rebels attacked the depot on Monday."
    assert [o.trigger for o in find_occurrences(sentence)] == ["attacked"]
    assert blocking_frame(sentence, sentence.index("attacked"), sentence.index("attacked") + 8) is None


def test_definite_nouns_are_anaphoric():
    (occurrence,) = find_occurrences("The assault left the square in ruins.")
    assert occurrence.anaphoric and occurrence.event_type == "battle"
    (occurrence,) = find_occurrences("Gunmen launched an assault on the square.")
    assert not occurrence.anaphoric


def test_every_type_has_a_label_and_a_trigger_row():
    assert set(EVENT_TYPE_LABELS) == set(EVENT_TYPES)
    assert [t.event_type for t in TRIGGERS] == list(EVENT_TYPES)


@pytest.mark.parametrize("pattern,example", FATALITY_RULES)
def test_every_fatality_rule_reads_its_example(pattern, example):
    assert fatalities(example) is not None


@pytest.mark.parametrize("sentence,expected", [
    ("The raid killed about 140 fighters, the police said.", 140),
    ("Two car bombs killed two dozen people at the bus depot.", 24),
    ("At least 30 civilians were killed.", 30),
    ("The death toll rose to 1,200 on Sunday.", 1200),
    ("Some families paid the guides thousands of dinars to cross.", None),
    ("Some 200 militants attacked a prison.", None),
    ("She was seized and held for eight months in 2011.", None),
])
def test_fatalities(sentence, expected):
    assert fatalities(sentence) == expected


@pytest.mark.parametrize("words,value", [("150", 150), ("three dozen", 36), ("two hundred and five", 205),
                                         ("1,000", 1000), ("dozens", None), ("twenty-one", 21)])
def test_parse_number(words, value):
    assert parse_number(words) == value


@pytest.mark.parametrize("sentence", [
    "Aid convoys have been held up since the fighting resumed in March.",
    "The talks broke down in May, and the two sides have not met since.",
])
def test_a_month_name_is_no_trigger(sentence):
    assert "protest" not in {o.event_type for o in find_occurrences(sentence)}


def test_a_lower_case_march_is_still_a_protest():
    assert [o.event_type for o in find_occurrences("Thousands of nurses marched on the ministry.")] == ["protest"]
