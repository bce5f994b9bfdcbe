"""The script layer's lexicon: general English words the attribution rules read -- honorifics,
gendered role and kinship nouns, pronouns, speech verbs and nouns, role nouns and the titles
they go with, words of address. Every entry is justified by English usage, never by one book's
characters; the rules import them from here and nowhere else."""

from __future__ import annotations

# Honorifics that start a character name ("Mr. Bennet", "Lady Catherine").
TITLES = (
    "Mr", "Mrs", "Miss", "Ms", "Mme", "Mlle", "Madame", "Mademoiselle", "Monsieur", "Dr", "Doctor",
    "Lady", "Lord", "Sir", "Dame", "Master", "Mistress", "Captain", "Capt", "Colonel", "Col",
    "Major", "General", "Lieutenant", "Sergeant", "Inspector", "Professor", "Prof", "Rev",
    "Reverend", "Father", "Mother", "Sister", "Brother", "Aunt", "Uncle", "Uncle", "Cousin",
    "Granny", "Grandma", "Grandpa", "King", "Queen", "Prince", "Princess", "Duke", "Duchess",
    "Count", "Countess", "Baron", "Baroness", "Marquis", "Marquise", "Mister", "Missus", "Judge",
    "Officer", "Constable", "Nurse", "Dean", "Saint", "St", "Herr", "Frau", "Fraulein", "Senor",
    "Senora", "Signor", "Signora", "Don", "Dona", "General",
)
FEMALE_TITLES = frozenset({
    "Mrs", "Miss", "Ms", "Mme", "Mlle", "Madame", "Mademoiselle", "Lady", "Dame", "Mistress",
    "Sister", "Mother", "Aunt", "Granny", "Grandma", "Queen", "Princess", "Duchess", "Countess",
    "Baroness", "Marquise", "Missus", "Nurse", "Frau", "Fraulein", "Senora", "Signora", "Dona",
})
MALE_TITLES = frozenset({
    "Mr", "Monsieur", "Lord", "Sir", "Master", "Father", "Brother", "Uncle", "Grandpa", "King",
    "Prince", "Duke", "Count", "Baron", "Marquis", "Mister", "Herr", "Senor", "Signor", "Don",
    "Captain", "Capt", "Colonel", "Col", "Major", "General", "Lieutenant", "Sergeant",
    "Inspector", "Rev", "Reverend",
})
TITLE_SET = frozenset(TITLES)
# Titles of rank that belong to the name itself: a knight is 'Sir Harry Otway', never plain 'Harry Otway'.
RANK_TITLES = frozenset({"Sir", "Lady", "Lord", "Dame"})
# Honorifics of everyday address, before or after a name: a quoted title with one of them announces
# people ('"Mr and Mrs Charles Musgrove" were ushered in'). Not the kin, rank and church titles of
# TITLES, which name the subjects of works ('"God Save the King"', '"The Duchess of Malfi"', '"You
# are old, Father William"'): with all of TITLES, a poem's title in Alice stays a quote.
PERSONAL_HONORIFICS = frozenset({
    "Mr", "Mrs", "Miss", "Ms", "Esq", "Dr", "Sir", "Lady", "Lord", "Madam", "Madame", "Captain",
    "Colonel", "Mister",
})

# Conjunctions a speaker breaks off on ('"Yes," said Katharine, "but"'): quoted alone they are speech
# cut short, where another word quoted alone in the narration is a word named ('"our" society').
CONJUNCTIONS = frozenset({"and", "but", "or", "nor", "yet", "so", "then", "if", "because", "though",
                          "although", "unless", "when", "while", "for"})

# Nouns that name a person by role and carry a gender ("the old woman", "his wife").
FEMALE_NOUNS = frozenset({
    "woman", "lady", "girl", "wife", "mother", "sister", "daughter", "aunt", "niece", "queen",
    "duchess", "princess", "widow", "maid", "mistress", "grandmother", "madam", "madame", "hostess",
    "landlady", "housekeeper", "nurse", "governess", "actress", "countess", "bride", "lass",
})
MALE_NOUNS = frozenset({
    "man", "gentleman", "boy", "husband", "father", "brother", "son", "uncle", "nephew", "king",
    "duke", "prince", "lord", "master", "grandfather", "sir", "fellow", "landlord", "host",
    "butler", "footman", "servant", "lad", "doctor", "gent", "stranger", "beadle", "count",
})
# Feminine role nouns formed with -ess ('waitress' beside 'waiter'): where English has such a
# pair, the plain noun names a man (genders.usage_gender); bases used for either sex ('author',
# 'poet') are left out.
FEMININE_ESS = frozenset({
    "waitress", "stewardess", "actress", "hostess", "priestess", "manageress", "proprietress",
    "conductress", "instructress", "tailoress", "shepherdess", "heiress", "patroness",
    "benefactress", "murderess", "sorceress", "enchantress", "ambassadress", "mayoress",
})

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})

# Words that address someone without naming them ("Yes, Sir.").
ADDRESS_WORDS = frozenset({"Sir", "Madam", "Ma'am", "Miss", "Mister", "Master", "Mistress"})
# What a character does in place of an answer: English answers yes, no or 'as you wish' with
# the head or the shoulders, without a word ('Sikes nodded.', 'Jane shook her head.', 'Henry
# bowed his assent.', 'He shrugged.'). The verb opens the predicate right after its subject.
ANSWER_GESTURES = ("nodded", "shook his head", "shook her head", "bowed", "shrugged")

# Predicates telling that someone kept from answering ('He was silent.', 'She made no reply.'):
# the listener's turn passed without words, so the one who spoke last goes on.
SILENCES = ("was silent", "remained silent", "kept silent", "fell silent", "said nothing",
            "made no answer", "made no reply", "gave no answer", "gave no reply", "returned no answer",
            "did not answer", "did not reply", "did not speak", "answered nothing")

# Words of address that stand for a name, said to someone the speaker defers to ("Yes, sir.",
# "None, your worship."): a servant, an official or a stranger speaking in a scene.
DEFERENT_ADDRESS = ("sir", "madam", "ma'am", "miss", "your worship", "your honour", "your honor",
                    "your lordship", "your ladyship", "your grace", "your excellency", "your majesty",
                    "your highness", "your reverence",
                    # the French and Italian ones English novels leave untranslated ('Merci, madame.')
                    "monsieur", "madame", "mademoiselle", "signore", "signora", "signorina", "signorino")

SPEECH_VERBS = (
    "said", "says", "say", "cried", "cries", "asked", "asks", "replied", "replies", "answered",
    "answers", "exclaimed", "exclaims", "returned", "returns", "continued", "continues", "added",
    "adds", "observed", "observes", "remarked", "remarks", "repeated", "repeats", "whispered",
    "whispers", "shouted", "called", "muttered", "mutters", "murmured", "murmurs", "began",
    "begins", "thought", "interrupted", "rejoined", "retorted", "inquired", "enquired", "demanded",
    "demands", "sighed", "laughed", "screamed", "groaned", "growled", "pleaded", "protested",
    "urged", "explained", "explains", "suggested", "declared", "resumed", "responded", "echoed",
    "stammered", "faltered", "persisted", "insisted", "ejaculated", "hissed", "roared", "sobbed",
    "snapped", "grumbled", "agreed", "admitted", "went on", "goes on", "broke in", "put in",
    "cut in", "chimed in", "struck in", "broke out", "burst out", "wailed", "yelled", "bawled",
    "shrieked", "squeaked", "sneered", "concluded", "proceeded", "pursued", "objected",
    "assented", "acknowledged", "announced", "argued", "babbled", "bellowed", "blurted", "boasted",
    "chuckled", "commented", "complained", "confessed", "corrected", "cried out", "called out",
    "shouted out", "sang out", "drawled", "gasped", "giggled", "grunted", "howled", "implored",
    "joked", "lamented", "mumbled", "mused", "panted", "prayed", "promised", "quoth", "raved",
    "reasoned", "recollected", "reflected", "remonstrated", "reminded", "reported", "screeched",
    "snarled", "snorted", "spoke", "sputtered", "stated", "stormed", "thundered", "twittered",
    "uttered", "ventured", "volunteered", "vowed", "wept", "wheezed", "whined", "whimpered",
    "wondered", "hollered", "sang", "apologised", "apologized", "assured", "cautioned",
    "warned", "entreated", "hazarded", "intervened", "interposed", "queried", "sniffed",
    "scoffed", "soliloquized", "soliloquised", "whistled", "acquiesced", "observed", "exclaiming",
    "replying", "crying", "asking", "answering", "adding", "observing", "returning", "continuing",
    "remarking", "whispering", "muttering", "murmuring", "interrupting", "rejoining", "inquiring",
    "enquiring", "exclaimed", "shouting", "calling", "stammering", "repeating", "screaming",
    "said he", "moaned", "gurgled", "piped", "lisped", "chirped", "croaked", "simpered",
    "thinks", "smiled", "laughed out", "sobbed out", "gasped out", "reiterated", "commanded",
    "ordered", "directed", "pleaded", "besought", "begged", "called after", "called back",
    "retorted", "coaxed", "faltered out", "growled out", "roared out", "screamed out",
    "stuttered", "whimpered", "groaned out", "breathed", "purred", "rattled on", "ran on",
    "saying", "blubbered", "proclaimed", "quavered", "cooed", "offered", "asserted", "entreated",
    "commanded", "stormed", "barked", "chattered", "sobbed", "wailed", "bleated", "rumbled", "addressed", "accosted", "read out", "read", "cackled out", "sighed out",
    "burst forth", "bawled out", "called to", "shouted to", "cried to", "exclaimed to",
    "interposed", "gasped", "stammered out", "resumed", "went on to say", "spoke up", "rapped out",
    "requested", "instructed", "proposed", "interjected", "fumed", "vociferated", "prattled",
    "spluttered", "confided", "tittered", "avowed", "asseverated", "hinted", "insinuated", "teased",
    "yawned", "hooted", "boomed", "puffed", "contradicted", "chaffed", "mentioned", "quoted",
    "exploded", "subjoined", "jerked out", "crooned",
    "affirmed", "chorused", "corroborated", "pondered", "speculated", "hiccoughed",
)
# Speech verbs that go on with a speech the same person began ('"…," she went on'): the speaker
# has just spoken, so a new paragraph does not pass over the one who spoke last.
CONTINUING_VERBS = frozenset({
    "continued", "continues", "continuing", "went on", "goes on", "went on to say", "resumed",
    "added", "adds", "adding", "repeated", "repeats", "repeating", "reiterated", "pursued",
    "persisted", "proceeded", "rattled on", "ran on",
})
# Verbs of a tag that answer someone ('she replied'): the speaker is not the one who just spoke.
REPLYING_VERBS = frozenset({
    "replied", "replies", "answered", "answers", "returned", "rejoined", "retorted", "responded",
})
# Nouns for what is said, in tags like '"…," was her answer' / 'came from Sir Thomas's lips'.
SPEECH_NOUNS = (
    "answer", "reply", "rejoinder", "response", "remark", "retort", "exclamation", "observation",
    "comment", "question", "greeting", "cry", "consolation", "advice", "salutation", "explanation",
    "inquiry", "enquiry", "apology", "protest", "objection", "suggestion", "request", "entreaty",
    "reproach", "words", "lips", "reflection", "verdict", "command", "declaration", "reasoning",
    "assurance", "language", "ejaculation", "remonstrance", "admission", "announcement",
)

# Role nouns, the titles that go with them, and kinship, for descriptions in tags ("said the doctor").
ROLE_TITLES = {
    "doctor": ("Doctor", "Dr"), "captain": ("Captain", "Capt"), "colonel": ("Colonel", "Col"),
    "major": ("Major",), "general": ("General",), "inspector": ("Inspector",), "professor": ("Professor", "Prof"),
    "sergeant": ("Sergeant",), "lieutenant": ("Lieutenant",), "judge": ("Judge",), "baron": ("Baron",),
    "baroness": ("Baroness",), "count": ("Count",), "countess": ("Countess",), "marquis": ("Marquis",),
    "duke": ("Duke",), "duchess": ("Duchess",), "king": ("King",), "queen": ("Queen",),
    "prince": ("Prince",), "princess": ("Princess",), "nurse": ("Nurse",), "reverend": ("Rev", "Reverend"),
    "ladyship": ("Lady",), "lordship": ("Lord",),  # 'said her Ladyship'
}
ROLE_NOUNS = frozenset({
    "lawyer", "banker", "host", "guest", "doctor", "captain", "clerk", "stranger", "officer", "servant",
    "driver", "judge", "priest", "vicar", "parson", "sailor", "soldier", "sergeant", "inspector",
    "detective", "magistrate", "coachman", "porter", "waiter", "landlord", "merchant", "farmer",
    "shopkeeper", "keeper", "guard", "jailer", "gaoler", "turnkey", "warden", "prisoner", "visitor",
    "stranger", "traveller", "traveler", "child", "baby", "student", "teacher", "master", "pilot",
    "colonel", "general", "major", "lieutenant", "professor", "surgeon", "nurse", "cook", "maid",
    "butler", "footman", "beadle", "undertaker", "clergyman", "minister", "king", "queen", "prince",
    "princess", "duke", "duchess", "count", "countess", "baron", "emperor",
})
VOICES = frozenset({"voice", "lips", "tongue", "mouth"})
# parts of a person whose movements are that person acting ('Wren's eyes sparkled')
BODY_PARTS = frozenset({"eye", "eyes", "face", "head", "hand", "hands", "arm", "arms", "finger", "fingers",
                        "lip", "lips", "mouth", "voice", "tongue", "cheek", "cheeks", "brow", "brows",
                        "heart", "shoulder", "shoulders", "glance", "gaze", "look", "smile", "features",
                        "countenance", "colour", "color", "foot", "feet", "knees", "jaw", "chin"})
PERSON_NOUNS = frozenset({"man", "woman", "gentleman", "lady", "boy", "girl", "fellow", "lad", "lass",
                           "gent", "person", "child", "creature", "other", "one", "people", "female",
                           "male", "voice", "face", "figure"})
# Familiar forms of English given names and the name they stand for ('Bill Sikes' is 'Mr. William
# Sikes'); only forms that stand for one name.
DIMINUTIVES = {
    "Bill": "William", "Billy": "William", "Will": "William", "Willy": "William", "Jim": "James",
    "Jimmy": "James", "Jem": "James", "Tom": "Thomas", "Tommy": "Thomas", "Dick": "Richard",
    "Bob": "Robert", "Bobby": "Robert", "Harry": "Henry", "Hal": "Henry", "Ned": "Edward",
    "Ted": "Edward", "Teddy": "Edward", "Jack": "John", "Johnny": "John", "Joe": "Joseph",
    "Sam": "Samuel", "Ben": "Benjamin", "Fred": "Frederick", "Freddy": "Frederick",
    "Freddie": "Frederick", "Charley": "Charles", "Charlie": "Charles", "Kitty": "Catherine",
    "Kate": "Catherine", "Lizzy": "Elizabeth", "Lizzie": "Elizabeth", "Eliza": "Elizabeth",
    "Betsy": "Elizabeth", "Bess": "Elizabeth", "Molly": "Mary", "Polly": "Mary", "Peggy": "Margaret",
    "Meg": "Margaret", "Maggie": "Margaret", "Sally": "Sarah", "Fanny": "Frances", "Jenny": "Jane",
    "Patty": "Martha",
}
# Words that stand for a person in a tag without naming a role: which one ('the former', 'the
# elder') or how many ('the pair'), and collective nouns, a body of people ('the board', 'the jury').
NOT_ROLES = frozenset({"former", "latter", "first", "second", "third", "last", "next", "same", "elder",
                       "younger", "eldest", "youngest", "older", "oldest", "old", "young", "little",
                       "pair", "couple", "party", "company", "group", "crowd", "rest", "whole",
                       "speaker", "owner", "newcomer", "new", "poor", "unknown", "individual",
                       "board", "committee", "jury", "council", "audience", "assembly", "congregation",
                       "family", "household", "mob", "chorus", "court", "bench", "meeting", "public"})
COMPANIONS = frozenset({"companion", "friend", "comrade", "colleague", "partner", "host", "guest"})
ADULT_NOUNS = frozenset({"man", "gentleman", "woman", "lady", "fellow", "gent"})
FAMILY = frozenset({"wife", "husband", "mother", "father", "sister", "brother", "daughter", "son",
                     "aunt", "uncle", "niece", "nephew", "cousin", "grandmother", "grandfather"})
RELATIONS = frozenset({"wife", "husband", "mother", "father", "sister", "brother", "daughter", "son",
                        "aunt", "uncle", "niece", "nephew", "cousin", "friend", "companion", "lady",
                        "lord", "master", "mistress", "guest", "host", "hostess", "lover", "partner",
                        "assistant", "grandmother", "grandfather", "visitor", "sister-in-law"})
PARENTS = frozenset({"wife", "mother", "husband", "father", "aunt"})
# the nursery names of parents, which nineteenth-century English uses of grown children too
# ("answered Daisy's mamma", "her papa would not hear of it")
KIN_SYNONYMS = {"mamma": "mother", "mama": "mother", "papa": "father"}
PREFERRED_TITLES = {
    "wife": ("Mrs", "Lady", "Madame", "Mme"), "mother": ("Mrs", "Lady", "Madame", "Mme"),
    "aunt": ("Mrs", "Lady", "Aunt"), "husband": ("Mr", "Sir", "Lord", "Monsieur"),
    "father": ("Mr", "Sir", "Lord", "Monsieur"), "lady": ("Lady", "Mrs", "Miss", "Madame"),
    "sister": ("Miss", "Mlle"), "daughter": ("Miss", "Mlle"), "girl": ("Miss", "Mlle"),
}
# a person named by their nation, written with a capital in English ('said the Englishman', 'the
# Frenchwoman cried'): a description of someone, never a name
NATIONALITY_NOUNS = frozenset({
    f"{stem}{sex}" for stem in ("english", "french", "irish", "scots", "scotch", "welsh", "dutch",
                                "china", "norse")
    for sex in ("man", "woman")})
# What a character does in leaving the scene, told once it is over ('When Tom had gone, …', 'Jane
# was gone', 'and Adela gone to bed'): the verb after 'had' / 'was' (or bare, in a clause that
# drops its 'had') and the words that may follow it (stage_moves.exits). 'had gone on', 'had
# gone over to the window' and 'had gone back to his seat' move within the scene and are not here.
EXIT_PARTICIPLES = ("gone", "departed", "withdrawn", "retired", "fallen asleep")
EXIT_AFTER = ("out", "away", "off", "home", "to bed", "upstairs", "up stairs", "downstairs",
              "down stairs", "to sleep", "abroad")
# person nouns that rank their bearer by class ('the young lady', 'the gentleman'), unlike plain
# ones ('the girl', 'the woman', 'the man'): a writer who tags one person of a scene by each kind
# means two people (descriptions.py, rule 'tagged-otherwise')
GENTEEL_NOUNS = frozenset({"lady", "gentleman", "gent"})
# adjectives of age, size and build that set a person apart only by looks ('the young man', 'a
# little old lady', 'the stout gentleman'): with a person noun they name whoever of that kind a
# scene holds, unlike a modifier that makes a role ('the medicine man', 'the milk woman')
LOOKS_ADJECTIVES = frozenset({"young", "old", "elderly", "aged", "little", "tall", "short", "stout",
                              "fat", "thin", "big", "small", "lean", "elder", "younger", "older"})

# Speech by more than one person or by someone the book never names (render/script/extras.py).
# Pronouns and quantifiers that stand for several speakers at once in English ('"Yes!" they
# chorused', 'both cried', 'each thought', '"Hear, hear!" said everyone').
GROUP_PRONOUNS = frozenset({"they", "both", "all", "each", "everyone", "everybody", "several", "many",
                            "others"})
# Nouns for a body of people that speaks as one ('murmured the crowd', 'said the board').
GROUP_NOUNS = frozenset({"crowd", "board", "choir", "chorus", "company", "audience", "mob", "throng",
                         "multitude", "assembly", "congregation", "committee", "jury", "crew", "rest"})
# English plurals of person nouns that do not end in -s ('said the two women').
IRREGULAR_PLURALS = frozenset({"men", "women", "children", "gentlemen", "gentlewomen", "people", "folk",
                               "brethren", "policemen", "workmen", "clergymen", "townsfolk", "townspeople"})
# Indefinite pronouns for one unnamed person ('someone said', '"…," another cried').
INDEFINITE_PERSONS = frozenset({"someone", "somebody", "one", "another", "anyone", "anybody"})
# Ordinals after 'a' that add one more unnamed speaker to a group ('"…," said a third').
ORDINALS = frozenset({"second", "third", "fourth", "fifth", "sixth"})

# Words for a boy or a girl, and the titles of a married or titled woman (descriptions.py,
# newcomers.py): 'Mrs. Turton' is not 'the girl' (a young man, though, is 'Mr. Gray' and still
# 'the lad'), and '"The post is late," said the old lady' is Mrs. Rook beside Miss Fenn (an old
# maid is called 'the old lady' less often than a wife or a widow).
YOUTH_NOUNS = frozenset({"girl", "boy", "lad", "lass"})
MARRIED_TITLES = frozenset({"Mrs", "Missus", "Mme", "Madame", "Lady", "Dame", "Frau", "Senora", "Signora"})

# English function words (characters.py): a cast entry that describes someone ('One of the Women
# Who Had Been Drinking at the Bar', 'Her Sister') spells them with capitals, but no one is called
# 'Who' or 'Had'. Pronouns, determiners, prepositions, auxiliaries, conjunctions and wh-words;
# the modals 'will' and 'may' are left out, being given names as well ('Will Ladislaw').
FUNCTION_WORDS = frozenset({
    "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his",
    "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "one", "another", "other",
    "a", "an", "the", "this", "that", "these", "those", "some", "any", "each", "every", "all", "both",
    "no", "none", "either", "neither", "such",
    "of", "at", "in", "on", "to", "for", "from", "with", "by", "into", "onto", "upon", "about",
    "above", "below", "over", "under", "after", "before", "between", "among", "through", "without",
    "within", "against", "during", "across", "behind", "beside", "near", "off", "out", "up", "down",
    "be", "been", "being", "am", "is", "are", "was", "were", "have", "has", "had", "having", "do",
    "does", "did", "shall", "should", "would", "can", "could", "might", "must",
    "and", "but", "or", "nor", "yet", "so", "if", "than", "as", "because", "though", "although",
    "while", "whilst", "unless", "until", "till", "when", "where", "whence", "why", "how", "what",
    "who", "whom", "whose", "which", "not",
})

# Relations whose bearer is grown (kin_stage.py): a parent, grandparent or spouse is a married
# title or one the book calls old, not a girl or a boy of the scene.
GROWN_KIN = frozenset({"mother", "father", "wife", "husband", "grandmother", "grandfather"})

# English parentheticals that interrupt a sentence between its subject and its verb
# (subject_names.py): '"De Griers, too, had not come."', '"Eleanor, I suppose, has told you."'
ASIDES = ("too", "however", "indeed", "moreover", "therefore", "though", "also", "of course",
          "perhaps", "no doubt", "at least", "at any rate", "it seems", "I suppose", "I think",
          "I believe", "I fancy", "I dare say", "I daresay", "I am sure")
