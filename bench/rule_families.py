"""Rule families for `eval_attribution.py --loo`: the rule names (Quote.rule) and sieve pass names
switched off together, each with the kind of quote it decides."""

from __future__ import annotations

FAMILIES: dict[str, frozenset[str]] = {
    "explicit tags": frozenset({"explicit-verb-after", "explicit-verb-before"}),
    "first-person tags": frozenset({"first-person"}),
    "pronoun tags": frozenset({"pronoun-verb-after", "pronoun-verb-before"}),
    "nominal tags": frozenset({"nominal-verb-after", "nominal-verb-before"}),
    "self-named": frozenset({"self-named"}),
    "addressed-reply": frozenset({"addressed-reply"}),
    "same-paragraph": frozenset({"same-paragraph"}),
    "continued-quote": frozenset({"continued-quote", "chains", "late-chains"}),
    "vocative": frozenset({"vocative"}),
    "turn-taking": frozenset({"turn-taking", "turn-taking-backward", "turns", "late-turns", "final-turns"}),
    "alternation": frozenset({"alternation", "stage-alternation", "late-alternation"}),
    "action-beat": frozenset({"action-beat", "action-beats"}),
    "nearest-mention": frozenset({"nearest-mention"}),
    "stage-speaker": frozenset({"stage-speaker"}),  # still unvoiced at the end: who is on stage and has spoken
    "first-name": frozenset({"first-name"}),  # a shared first name: the one less often named in full
    "held-turn": frozenset({"held-turn"}),  # a speaker the narration after their speech keeps as subject
    "held-turn-back": frozenset({"held-turn-back"}),  # ... past sentences about no one or the other sex
    "full-stop-tag": frozenset({"full-stop-tag"}),  # a tag after a speech closed by a full stop leads on
    "role-of-scene": frozenset({"role-of-scene"}),  # a shared role: the cast member described by the scene
    "continuing-verb": frozenset({"continuing-verb"}),  # 'he went on' after a beat about the last speaker
    "addressed-holds": frozenset({"addressed-holds"}),  # the one whose turn it would be is addressed: the last speaker goes on
    # resolver preferences (switched by rule_on where they apply, not rule names a quote carries)
    "pronoun holds": frozenset({"other-sex-partner", "introduction-holds"}),  # landed as one pair (35db617)
    "verb-ends-introduction": frozenset({"verb-ends-introduction"}),  # a tag closing the paragraph before leads on only on its verb
    "aunt-by-name": frozenset({"aunt-by-name"}),  # 'her aunt' is not resolved by the owner's surname
    "bound-pronoun": frozenset({"bound-pronoun"}),  # 'he hoped Fielding would...': he is not Fielding
    "not-the-hearer": frozenset({"not-the-hearer"}),  # 'he said to Fielding' is not Fielding
    # session 11
    "parity-break": frozenset({"parity-break", "alternation-break"}),  # two tags disagree: break after narration
    "called-reacts": frozenset({"called-reacts"}),  # the one called acts in narration: the caller goes on
    "absent-role": frozenset({"absent-role"}),  # 'said the son': the role only when on stage
    "plain-noun-on-stage": frozenset({"plain-noun-on-stage"}),  # 'the lad' in narration, likewise
    "married-pair": frozenset({"married-pair"}),  # 'her husband' is not another woman's husband
    "bare-surname-head": frozenset({"bare-surname-head"}),  # 'her husband' is the one called 'Oakley'
    # session 12
    "bare-surname-man": frozenset({"bare-surname-man"}),  # 'McBryde' beside Mr. and Mrs. Mcbryde: the man
    "surname-man": frozenset({"surname-man"}),  # bare 'Turton' beside Mr. and Mrs. Turton: the man
    "office-noun": frozenset({"office-noun"}),  # 'said the Magistrate' beside 'a magistrate': no new person
    "role-epithet": frozenset({"role-epithet"}),  # a cast's 'The Painter' tagged all through the book: an epithet
    "kin-name": frozenset({"kin-name"}),  # a cast's 'Mother': someone's kin in the scene
    # session 14
    "surname-entry": frozenset({"surname-entry"}),  # a cast's bare 'Small' beside 'Jonathan Small': one person
    "fresh-stage": frozenset({"fresh-stage"}),  # 'he said' passes the last speaker over only for one still in the scene
    "tag-ranker": frozenset({"tag-ranker"}),  # the fitted second look at a pronoun or description tag's referent
    "nationality-noun": frozenset({"nationality-noun"}),  # 'said the Englishman' describes someone, names no one
    "old-by-name": frozenset({"old-by-name"}),
    "their-kin": frozenset({"their-kin"}),  # 'their father' in narration names the father of those on stage  # 'said the old man': the one on stage the narration calls 'old X'
    # session 12 (tag grammar)
    "aux-tag": frozenset({"aux-tag"}),  # 'and Cecil had said,' / 'Aziz would conclude:' hand over to the quote
    "next-voice": frozenset({"next-voice"}),  # '"…"; Das thought, "…"' / 'and Mrs. Moore thought,' is the next quote's tag
    "conj-subject": frozenset({"conj-subject"}),  # 'so … that Katharine … asked' / 'before John Thorpe came …, calling out'
    "closed-clause": frozenset({"closed-clause"}),  # 'He took the hint, and when Mary had finished, said'
    "name-after-object": frozenset({"name-after-object"}),  # 'After a pause William said'
    "as-tag": frozenset({"as-tag"}),  # '"…," as Mrs. Lesley said.'
    # session 12 (pronoun and description tags)
    "described-partner": frozenset({"described-partner"}),  # 'said the gentleman' answering a woman: the man she answered
    # session 13 (turns)
    "third-reacts": frozenset({"third-reacts"}),  # narration about a third character between turns: the last speaker goes on
    "nod-answers": frozenset({"nod-answers"}),  # 'Sikes nodded.' between turns: the nod was a turn, the last speaker goes on
    # session 13 (tag grammar)
    "told-tag": frozenset({"told-tag"}),  # '"…," he told them.'
    "all-said-tag": frozenset({"all-said-tag"}),  # '"…?" was all she said.' / 'were the words she spoke'
    "adverb-first-tag": frozenset({"adverb-first-tag"}),  # '"…." Then she cried:' / 'suddenly she asked me.'
    "one-of-tag": frozenset({"one-of-tag"}),  # 'asked one of the men': only a cast entry spelt so names them
    # session 15 (tag grammar)
    "reported-tail": frozenset({"reported-tail"}),  # 'replied briefly that she was.' tells a speech: no tag, the teller's turn
    "lost-apostrophe": frozenset({"lost-apostrophe"}),  # 'answered Daisy s mamma': a possessive whose apostrophe the text lost
    "nursery-kin": frozenset({"nursery-kin"}),  # 'Daisy's mamma' / 'her papa' is her mother / father
    "reported-reply": frozenset({"reported-reply"}),  # 'She replied in the affirmative.' after a man's speech: he goes on
    "long-adjunct": frozenset({"long-adjunct"}),  # 'repeated, in the same solemn tone, only changing …,'
    "colon-subject": frozenset({"colon-subject"}),  # 'He lowered his voice:' introduces the quote
    # session 13 (pronoun and description tags)
    "kin-of-last-voice": frozenset({"kin-of-last-voice"}),  # '"…," said Tom. / "…," said his mother': Tom's mother
    # session 13 (arbiter)
    "arbiter": frozenset({"arbiter"}),  # the fitted late choice among each untagged quote's candidates
    "arbiter-joint": frozenset({"arbiter-joint"}),  # then each exchange's turns chosen together
    "memory-in-focus": frozenset({"memory-in-focus"}),  # a description's bearer earlier in the chapter, only while in focus or heard
    # session 14 (tag grammar)
    "demonstrative-speaker": frozenset({"demonstrative-speaker"}),  # 'said this young lady': the one just named
    "voice-named-after": frozenset({"voice-named-after"}),  # 'said a small voice, and Nell stepped out': Nell
    # session 16 (pron)
    "described-subject": frozenset({"described-subject"}),  # 'The old man woke': the one the book calls old X is the subject
    "pronoun-not-object": frozenset({"pronoun-not-object"}),  # 'He had only to look at Tom': 'he' is not Tom
    # session 16 (desc)
    "old-lady-married": frozenset({"old-lady-married"}),  # 'said the old lady': a Mrs. on stage before a Miss
    "youth-noun": frozenset({"youth-noun"}),  # 'said the girl': not 'Mrs. Turton' or one called 'old X'
    # session 16 (turns)
    "question-answered": frozenset({"question-answered"}),  # one who just asked a question does not answer it by turn order
    # session 16 (tags)
    "possessive-subject": frozenset({"possessive-subject"}),  # 'After a short pause, her companion added,'
    "possessive-clause": frozenset({"possessive-clause"}),  # 'but her mother only shook her head and said,'
    # session 17 (tags)
    "remark-made-tag": frozenset({"remark-made-tag"}),  # 'She then made her usual remark, which was'
    # session 17 (turns)
    "named-anchor": frozenset({"named-anchor"}),  # two sides disagree: a named turn close by outranks a nearer guessed one or a same-sex "he"
    # session 17 (pron)
    "fronted-subject": frozenset({"fronted-subject"}),  # 'Turning away, he lit his pipe.': the speaker holds the floor
    # session 18 (pron)
    "paragraph-speaker": frozenset({"paragraph-speaker"}),  # '"…," said Ash. … "…," he said.': Ash again, unless another man acts
    # session 18 (exits)
    "exit-leaves": frozenset({"exit-leaves", "exit-when"}),  # 'When Tom had gone, she said' / 'After Tom went out': Tom has left the stage
    # session 18 (other)
    "possessive-after-conjunction": frozenset({"possessive-after-conjunction"}),  # '…; when her father continued,'
    # session 18 (epithet)
    "memory-fresh": frozenset({"memory-fresh"}),  # 'said the young man': the chapter's earlier bearer only while still in the scene
    "absent-epithet-role": frozenset({"absent-epithet-role"}),  # 'said the young man': not the cast's off-stage 'A Young Man'
    "tagged-otherwise": frozenset({"tagged-otherwise"}),  # 'cried the young lady': not the one 'the girl' stands for in the scene
    # session 19 (turn)
    "silent-listener": frozenset({"silent-listener"}),  # '"…?" / He was silent. / "…"': the listener kept silent, the last speaker goes on
    # session 19 (pron)
    "closed-subordinate": frozenset({"closed-subordinate"}),  # 'holding out a letter, which she took, said': not 'she'
    "aside-pronoun": frozenset({"aside-pronoun"}),  # '"…," he added, as she laughed, "…"': 'she' is no tag of the second speech
    "reported-clause": frozenset({"reported-clause"}),  # 'and said she was ready to go.': a speech told, introducing no one's
    # session 19 (extras)
    "appositive-name": frozenset({"appositive-name"}),  # '"His boy, Joe, shaved me."' calls no one Joe
    "extras": frozenset({"group-speech", "unnamed-speaker", "unnamed-correlative"}),  # 'murmured the crowd', 'said one of the ladies': no character
    # session 19 (newcomer)
    # 'said the lady' with no woman in the scene: the first woman named ahead; and an epithet's
    # bearer only while in the scene (alone a no-op: it keeps the newcomer from costing Oliver 5)
    "newcomer": frozenset({"newcomer", "epithet-fresh"}),
    "kin-in-scene": frozenset({"kin-in-scene"}),  # 'asked her son': not a namesake out of the scene when the one she answered fits
    # session 19 (crowd)
    "extra-continued": frozenset({"extra-continued"}),  # '"…," said the other, looking round. "No, no."': the second part is the extra's too
    # session 20 (unheard)
    "unheard-other": frozenset({"unheard-other"}),  # an exchange's other party silent for 20 paragraphs: the voice of the other sex just heard
    # session 20 (desc)
    "title-other-bearer": frozenset({"title-other-bearer"}),  # '"…," said Dr. Marsh. / "…," cried the doctor.': the other doctor on stage
    "kin-memory": frozenset({"kin-memory"}),  # 'said her aunt': the one her aunt was found to be before, not the friend she answered
    # session 20 (rank)
    "ranker-called-by-name": frozenset({"ranker-called-by-name"}),  # tag ranker: '"Well, Jill, …"' is not Jill's; the turn next to it likely is
    # session 20 (arb)
    "arbiter-called-next": frozenset({"arbiter-called-next"}),  # '"Shall we go?" / "Not yet, Ada."': Ada asked
    # session 21 (multi)
    "party-parity": frozenset({"party-parity"}),  # 3+ voices: the parity vote naming a speaker outranks a nearer 'other party' guess
    "party-backward": frozenset({"party-backward"}),  # 3+ voices near a turn: no backward turn-taking from the turn after next
    # session 21 (stage)
    "described-then-named": frozenset({"described-then-named"}),  # 'said the young gentleman' x3, then 'said Jack Dawkins': the description was his
    # session 22 (addr)
    # '"Sibyl? Oh, she was so shy."' and '"Oh, the doctor!"' call no one: a name echoed with a
    # question mark opening the speech, a noun with an article (features.vocatives)
    "mention-not-call": frozenset({"echo-not-call", "article-not-call"}),
    # '"Good-night, Miss Elliot."' to the daughter present: a title and surname called whose
    # cast bearer is away calls the one of that family and sex on stage (family_calls.py)
    "family-call": frozenset({"family-call"}),
    # session 22 (desc)
    "kin-owner-reply": frozenset({"kin-owner-reply"}),  # '"…," was her husband's answer': the husband speaks (with a cast)
    "np-tail": frozenset({"np-tail"}),  # 'cried her brother--"…"' / 'her mother soon afterwards': not part of the description
    # session 22 (alias)
    "alias-function-word": frozenset({"alias-function-word"}),  # a cast entry 'One of the Women Who Had Been Drinking' lends no partial name 'Who'
    # session 23 (impl3)
    "aside-subject": frozenset({"aside-subject"}),  # '"De Griers, too, had not come."' speaks of De Griers, calls no one
    # session 22 (desc2)
    # '"A week at least," said the surgeon.' with 'Mr. Pell, a surgeon' in the scene and an
    # unnamed 'The Surgeon' in the cast: the named bearer of the role (role_bearers.py)
    "role-named-bearer": frozenset({"role-named-bearer", "role-named-mention"}),
    # session 23 (descx)
    # 'sitting the artist himself, Basil Hallward' / 'Theodosia, the nursemaid, came': a role noun
    # set beside a name with 'the' ties the name to the role for 'said the artist' (role_bearers.py)
    "role-definite-apposition": frozenset({"role-definite-apposition"}),
    # '"Not tonight," answered her son.' with her namesake son nowhere in the scene and a man at
    # her side: the relative on stage (kin_stage.py)
    "kin-on-stage": frozenset({"kin-on-stage"}),
    # session 23 (lowprec)
    "beat-back": frozenset({"beat-back"}),  # '"…" / Ash made no answer. / "…," said Wren.': the first speech is Wren's, not Ash's (turn_fences)
    # session 23 (arbsig)
    "diminutive-given": frozenset({"diminutive-given"}),  # no cast: 'cried Lizzy' found as its own character is Elizabeth
    # session 23 (split2)
    "given-surname": frozenset({"given-surname"}),  # no cast: 'Charlotte Bartlett' written twice, so 'Miss Bartlett' is Charlotte, not a second voice
    "titled-full-name": frozenset({"titled-full-name"}),  # no cast: one 'Miss Lucy Honeychurch' (a chapter heading) ties Lucy to 'Miss Honeychurch'
    # session 24 (nocast)
    "role-apposed-name": frozenset({"role-apposed-name"}),  # no cast: 'said the Collector' found as its own character is Mr. Turton ('the Collector, Mr. Turton, with whom')
    "given-surname-once": frozenset({"given-surname-once"}),  # no cast: 'Cyril' written once as 'Cyril Fielding' and named in narration less than 'Mr. Fielding' is he
    "bare-surname-given": frozenset({"bare-surname-given"}),  # no cast: 'said Campbell' found alone is Alan when the book writes 'Alan Campbell' twice
    # session 24 (explicit)
    # 'two Jews stopped me. / "…," one said.': 'one'/'another'/'one of them' is the cast's 'One Jew' /
    # 'Another Enemy' / 'One Of The Young Fellows' by the noun the narration just used (indefinite_entries.py)
    "indefinite-entry": frozenset({"indefinite-entry"}),
    # '"…," said a young man who, …, was called Sadness': the description's own sentence names it (tags.called_name)
    "called-name": frozenset({"called-name"}),
    # '"No," rejoined the matron, slightly colouring as she spoke.' closing a paragraph introduces no next speech (tags.speech_goes_on)
    "as-spoke": frozenset({"as-spoke"}),
    # session 24 (selfname)
    # '"…," said Ash. / Wren smiled. / "Wren, you must not laugh."': an introduction naming the
    # one the speech calls is not the speaker's; the last speaker goes on (self_names.py)
    "self-call-tag": frozenset({"self-call-tag"}),
    "arbiter-sex-cues": frozenset({"arbiter-sex-cues"}),  # 'sir' / 'madam' in the next or last turn, 'my wife' inside
    "arbiter-self-call": frozenset({"arbiter-self-call"}),  # the arbiter never picks a name the speech calls ('"Cyril, I have an idea."')
    # session 24 (calls)
    # '"Miss Bennet, I insist …"' to Elizabeth, who has been answering, while Jane (the cast's Miss
    # Bennet) has not spoken: a family call goes to the bearer among the last turns' voices (family_calls)
    "family-voice": frozenset({"family-voice"}),
}
