import pytest

from render.errors import InputError
from render.speak.build import PromptSpec, build_prompt, clean_text
from render.speak.parse import parse_prompt

NASTY = [
    'He wrote "a < b && c > d" on the wall.',
    "It's O'Brien's <b>bold</b> & 'quoted' text; ]]> too.",
    "Unicode — “curly” ‘quotes’, naïve café… and a tab\there.",
    "Control\x07chars\x00vanish",
]


@pytest.mark.parametrize("text", NASTY)
def test_spoken_text_round_trips_exactly(text):
    xml = build_prompt(PromptSpec(voice='Male, "50s" <deep> & warm', gender="male", text=text,
                                  scene="Kitchen & yard", actions=("Quietly <sad>",), sounds=("A door & a bell",)))
    p = parse_prompt(xml)
    assert p.text == clean_text(text)
    assert p.voice == 'Male, "50s" <deep> & warm'
    assert p.scene == "Kitchen & yard"
    assert p.actions == ("Quietly <sad>",)
    assert p.sounds == ("A door & a bell",)


def test_defaults_and_required_attributes():
    p = parse_prompt(build_prompt(PromptSpec(voice="Narrator", gender="neutral", text="Hello.")))
    assert (p.language, p.shot, p.scene) == ("en", "closeup", None)
    with pytest.raises(InputError, match="gender"):
        parse_prompt('<speak voice="x">hi</speak>')
    with pytest.raises(InputError, match="well-formed"):
        parse_prompt("<speak voice='x' gender='male'>a < b</speak>")
    with pytest.raises(InputError, match="<em>"):
        parse_prompt("<speak voice='x' gender='male'><em>no</em></speak>")
    with pytest.raises(InputError, match="shot"):
        parse_prompt("<speak voice='x' gender='male' shot='pan'>hi</speak>")


def test_blank_voice_or_gender_is_refused():
    with pytest.raises(InputError, match="voice"):
        build_prompt(PromptSpec(voice=" ", gender="male", text="Hi."))
    with pytest.raises(InputError, match="gender"):
        build_prompt(PromptSpec(voice="v", gender="", text="Hi."))


def test_a_template_that_breaks_the_contract_fails_on_first_use(tmp_path):
    # drops the actions: well-formed, but it no longer says what the prompt holds
    (tmp_path / "lossy.xml.j2").write_text(
        '<speak voice="{{ voice }}" gender="{{ gender }}">{% for part in parts %}'
        '{% if part.kind == "text" %}{{ part.text }}{% endif %}{% endfor %}</speak>')
    with pytest.raises(ValueError, match="lossy.xml.j2"):
        build_prompt(PromptSpec(voice="v", gender="male", text="Hi."), "lossy.xml.j2", str(tmp_path))
    (tmp_path / "raw.xml.j2").write_text(  # unescaped text: not XML once the text holds a '<'
        '{% autoescape false %}<speak voice="{{ voice }}" gender="{{ gender }}">'
        '{% for part in parts %}{{ part.text }}{% endfor %}</speak>{% endautoescape %}')
    with pytest.raises(InputError, match="well-formed"):
        build_prompt(PromptSpec(voice="v", gender="male", text="Hi."), "raw.xml.j2", str(tmp_path))
