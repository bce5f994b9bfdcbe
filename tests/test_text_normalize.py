"""Each normalization rule: cases where it must fire and cases where it must not."""

import pytest

from render.text.normalize import has_rules, normalize_text
from render.text.numbers import roman_value


def say(text, heading=False):
    return normalize_text(text, "en", heading=heading)


FIRES = [
    # cardinals, ordinals, decimals, thousands
    ("He had 3 dogs.", "He had three dogs."),
    ("1,000 men", "one thousand men"),
    ("pi is 3.14", "pi is three point one four"),
    ("the 21st time", "the twenty-first time"),
    ("on the 2nd and 3rd", "on the second and third"),
    ("221B Baker", "two hundred and twenty-one B Baker"),
    # years and decades
    ("In 1851 it rained.", "In eighteen fifty-one it rained."),
    ("born 1805", "born eighteen oh five"),
    ("in 1900", "in nineteen hundred"),
    ("in the 1850s", "in the eighteen fifties"),
    ("in the '60s", "in the sixties"),
    # times
    ("at 9:45 a.m. sharp", "at nine forty-five A M sharp"),
    ("at 9:05", "at nine oh five"),
    ("by 10:00 p.m. He slept.", "by ten o'clock P M. He slept."),
    # dates
    ("on 14 March 1851", "on the fourteenth of March eighteen fifty-one"),
    ("March 3, 1851", "March third, eighteen fifty-one"),
    ("the 4th of July", "the fourth of July"),
    # money
    ("it cost £5.", "it cost five pounds."),
    ("£1 and $1", "one pound and one dollar"),
    ("$3.50", "three dollars and fifty cents"),
    ("£5 10s. 6d.", "five pounds ten shillings and six pence"),
    ("a fee of 5s. a week", "a fee of five shillings a week"),
    ("for 1d.", "for one penny."),
    # percentages, fractions, ranges, phone numbers, units
    ("50% of them", "fifty percent of them"),
    ("2.5 % more", "two point five percent more"),
    ("3½ miles", "three and a half miles"),
    ("½ a loaf", "a half a loaf"),
    ("¾ full", "three quarters full"),
    ("3/4 of it", "three quarters of it"),
    ("2 1/2 hours", "two and a half hours"),
    ("pages 12-15", "pages twelve to fifteen"),
    ("1851–60", "eighteen fifty-one to sixty"),
    ("1914-1918", "nineteen fourteen to nineteen eighteen"),
    ("the score was 3-2", "the score was three-two"),  # not a range: "three to two" would be wrong
    ("call 555-1234", "call five five five, one two three four"),
    ("dial 0171", "dial oh one seven one"),
    ("5 km away", "five kilometres away"),
    ("at 60 km/h", "at sixty kilometres per hour"),
    ("1 lb of tea", "one pound of tea"),
    ("10 lbs. of flour", "ten pounds of flour"),
    ("6 ft tall", "six feet tall"),
    ("5° below", "five degrees below"),
    ("at 98.6 °F", "at ninety-eight point six degrees Fahrenheit"),
    ("about -5 degrees", "about minus five degrees"),
    ("(-3.5)", "(minus three point five)"),
    ("in his 50s", "in his fifties"),
    ("the early 20s", "the early twenties"),
    # Roman numerals in headings and regnal names
    ("Chapter IV", "Chapter four"),
    ("CHAPTER XII. The End", "CHAPTER twelve. The End"),
    ("Book I. Chapter 2", "Book one. Chapter two"),
    ("Henry VIII", "Henry the eighth"),
    ("Louis XIV was king", "Louis the fourteenth was king"),
    ("Vol. II", "Volume two"),
    ("World War II", "World War two"),
    # abbreviations and titles
    ("Mr. Holmes and Mrs. Hudson", "Mister Holmes and Missus Hudson"),
    ("Dr. Watson", "Doctor Watson"),
    ("Dr Watson", "Doctor Watson"),
    ("St. Paul's", "Saint Paul's"),
    ("at Baker St. today", "at Baker Street today"),
    ("He lived in Baker St. The door was red.", "He lived in Baker Street. The door was red."),
    ("No. 7", "number seven"),
    ("p. 12", "page twelve"),
    ("pp. 3-5", "pages three to five"),
    ("Capt. Nemo", "Captain Nemo"),
    ("apples, pears, etc. and plums", "apples, pears, et cetera and plums"),
    ("apples, etc. Then", "apples, et cetera. Then"),
    ("e.g. this", "for example this"),
    ("cf. Dr. No", "compare Doctor No"),  # a reference follows 'cf.', never a new sentence
    ("John Smith, Jr. said", "John Smith, Junior said"),
    # editorial marks and punctuation: pauses and silence, never noise
    ("Wait... no", "Wait… no"),
    ("Wait . . . no", "Wait… no"),
    ("so--then", "so — then"),
    ("He ran[1] away", "He ran away"),
    ("He ran away.* Then", "He ran away. Then"),
    ("[Illustration] Alice", "Alice"),
    ("[Illustration: The Rabbit] Alice", "Alice"),
    ("it was [sic] wrong", "it was wrong"),
    ("see www.gutenberg.org today", "see gutenberg dot org today"),
    ("see https://example.com/a/b.", "see example dot com."),
    ("*very* _much_", "very much"),
    ("salt & pepper", "salt and pepper"),
]


@pytest.mark.parametrize("text, expected", FIRES)
def test_rule_fires(text, expected):
    assert say(text) == expected


MUST_NOT = [
    "C'est drôle, dit-il. Drôle de type.",  # 'Dr' is not Doctor inside a word
    "Drôle! Dry land. Drum and Drake.",
    "I said I would, and I did.",  # the pronoun I is never a numeral
    "Then Henry I went home.",  # 'Henry I' is too often 'Henry, I said'
    "the book I read, the part I played",
    "the letter X marked it",
    "Part I was hard",
    "MIX it, CIVIL war, LIVID, DID, MILD",  # words that look like numerals
    "I'm here. I've gone. I'd say I'll go.",
    "Mrsomething and Drive and Stone and Stuart and Nod",  # words that begin with an abbreviation
    "the Norwegians, no. And Nobody knows.",
    "a kilometre, mi amor, km",  # unit words without a number
    "Madame Defarge. Mlleborn.",
    "May I go? March on! April showers.",  # month names without a day are not dates
    "a well-worn x-ray, a T-shirt - and then",  # hyphens are not minus signs
]


@pytest.mark.parametrize("text, expected", [
    ("a fee of 50s. a week", "a fee of fifty shillings a week"),  # shillings, not the fifties
    ("pages 12-15 and 12 -15", "pages twelve to fifteen and twelve to fifteen"),  # ranges, not minus
    ("call 555-1234", "call five five five, one two three four"),
])
def test_rules_that_compete_for_a_number_pick_the_right_one(text, expected):
    assert say(text) == expected


@pytest.mark.parametrize("text", MUST_NOT)
def test_rule_does_not_fire(text):
    assert say(text) == text


def test_saint_without_dot_before_a_name():
    assert say("St John was there") == "Saint John was there"


def test_headings_read_a_lone_roman_numeral():
    assert say("I", heading=True) == "One"
    assert say("XIV. The Return", heading=True) == "Fourteen. The Return"
    assert say("I Am Legend", heading=True) == "I Am Legend"  # pronoun, not a numeral
    assert say("I", heading=False) == "I"


def test_roman_values():
    assert [roman_value(t) for t in ("I", "IV", "XIV", "MCMXC", "IIII", "IC", "", "DID")] == \
        [1, 4, 14, 1990, None, None, None, None]


@pytest.mark.parametrize("lang", ["fr", "de", "zh", "xx-YY"])
def test_unknown_languages_pass_through(lang):
    text = "Le 14 mars 1851, M. Dupont paya 5 £ au Dr. Martin… [1]"
    assert not has_rules(lang)
    assert normalize_text(text, lang) == text


def test_language_variants_use_the_base_rules():
    assert has_rules("en-GB") and normalize_text("Mr. Smith", "en_US") == "Mister Smith"


def test_no_digits_survive_in_ordinary_prose():
    text = "In 1851, 3 men paid £4 7s. 6d. for 2½ lb of tea at 9:30 on 5 May; 1st prize, 10% off."
    out = say(text)
    assert not any(ch.isdigit() for ch in out), out
