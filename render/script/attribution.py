"""Speaker attribution: an ordered sieve of small rules, most precise first.

Every quote starts unattributed. Each rule looks at one quote (and the narration and quotes
around it) and either names a speaker -- recording its own name and a confidence -- or leaves
the quote to the next rule. A quote no rule decides keeps speaker None: it is marked, never
guessed silently.

Order (see `sieve.PASSES`; each decision records its rule name and confidence):
  1. tags next to the quote, or closing the paragraph before it: a name ('said Alice',
     'Alice said', 'Mr. Darcy, turning, said:'), the first-person narrator ('said I'), a
     pronoun resolved by salience and turn ('she cried', 'it said', 'she said to herself') or
     a description ('said his wife' by surname, 'said the doctor' by title, else by gender);
     without a name tag, a quote whose speaker names themself ('My name is Oliver') is theirs
  2. quotes in one paragraph share a speaker; a quote continued into the next paragraph keeps it
  3. vocatives: a name addressed in the previous quote speaks next
  4. turn-taking (A, B -> A) as the book is read (a narration paragraph about another character
     between two turns is a turn of its own: 'I nodded.'), then alternation inside each exchange from
     the decided turns on both sides, then backwards
  5. action beats: a character who opens a sentence of narration before the quote in its own
     paragraph (run after the reading pass, before the exchange-wide alternation and turns)
  6. the nearest plausible mention, as a last resort with low confidence
A character named inside a quote is never taken for its speaker by rules 3-5 or by pronouns.

The code lives by concern: quote_model (Quote, Para, decisions), features (facts the rules read),
tag_rules, conversation_rules, exchange_rules, and sieve (the passes, declared as an ordered
list). This module is the public face of all of them.
"""

from __future__ import annotations

from .conversation_rules import (rule_continuation, rule_same_paragraph, rule_speech_chain,
                                 rule_tagged_addressee_replies, rule_turn_taking, rule_vocative)
from .features import addressee_of, ages, family_names, note_mentions, prominence, vocatives
from .quote_model import (ANAPHORIC, CONFIDENCE, EXPLICIT, IMPLICIT, Para, Quote, continues_speech,
                          is_new_turn, make_para)
from .resolve import Context, Resolver, Salience
from .sieve import PASSES, SIEVE_OPTIONS, Pass, Sieve, attribute, pass_index
from .tag_rules import rule_self_named

__all__ = [
    "ANAPHORIC", "CONFIDENCE", "EXPLICIT", "IMPLICIT", "PASSES", "SIEVE_OPTIONS", "Context", "Para",
    "Pass", "Quote", "Resolver", "Salience", "Sieve", "addressee_of", "ages", "attribute",
    "continues_speech", "family_names", "is_new_turn", "make_para", "note_mentions", "pass_index",
    "prominence", "rule_continuation", "rule_same_paragraph", "rule_self_named", "rule_speech_chain",
    "rule_tagged_addressee_replies", "rule_turn_taking", "rule_vocative", "vocatives",
]
