"""Safety triage: a pure function over a new message and the thread's earlier messages, run before any model.

    triage("my chest is crushing and my left arm hurts", history=[]) -> Triage("emergency", "heart_attack", ...)

Classes: `emergency` (call the emergency number now), `crisis` (suicide, self-harm, harm to others, danger or
abuse, lethal means), `out_of_scope` (not about health) and `ok`. The rules are plain regular expressions
over a normalised text (lowercase, no apostrophes, common misspellings fixed), each with a name, so every
escalation says which rule fired. Rules for situations are softened by what surrounds them: negation in the
same clause ("no chest pain"), the past ("my uncle had a stroke last year"), and education or hypotheticals
("what are the signs of a stroke") unless the message also describes someone now. Crisis rules about
suicide, self-harm and lethal means are never softened by education framing. After an escalation in a
thread, a follow-up that tries to avoid care ("an ambulance costs too much, what can I take at home?")
escalates again.

The rules favour recall: a false alarm costs a calm "please call" message; a miss can cost a life.
"""

import re
import unicodedata
from dataclasses import dataclass

from .result import CRISIS, EMERGENCY, NOTHING, OK, OUT_OF_SCOPE, Triage

__all__ = ["CRISIS", "EMERGENCY", "NOTHING", "OK", "OUT_OF_SCOPE", "Triage", "match", "normalise"]

# --- Normalising -------------------------------------------------------------------------------------

MISSPELLINGS = {
    "pian": "pain", "paine": "pain", "pains": "pains", "chesst": "chest", "chset": "chest",
    "breath": "breath", "breathe": "breathe", "breth": "breath", "breating": "breathing",
    "breathng": "breathing", "brething": "breathing", "breahting": "breathing", "breathin": "breathing",
    "siezure": "seizure", "siezures": "seizures", "seizur": "seizure", "sezure": "seizure", "seisure": "seizure",
    "seizer": "seizure", "siezing": "seizing", "fiting": "fitting", "stroak": "stroke", "strok": "stroke",
    "storke": "stroke", "unconcious": "unconscious", "unconscios": "unconscious", "unconsious": "unconscious",
    "concious": "conscious", "overdoes": "overdose", "overdossed": "overdosed", "odd": "odd",
    "suicde": "suicide", "sucide": "suicide", "suiside": "suicide", "suicidel": "suicidal", "sucidal": "suicidal",
    "suicidle": "suicidal", "bleading": "bleeding", "bleedin": "bleeding", "bledding": "bleeding",
    "vomitting": "vomiting", "vommiting": "vomiting", "vomitng": "vomiting", "throwin": "throwing",
    "swolen": "swollen", "alergic": "allergic", "allergik": "allergic", "tounge": "tongue", "tonge": "tongue",
    "numbess": "numbness", "nausious": "nauseous", "nausous": "nauseous", "pregnent": "pregnant",
    "pregant": "pregnant", "prgnant": "pregnant", "testical": "testicle", "testicel": "testicle",
    "testicals": "testicles", "stomache": "stomach", "stomac": "stomach", "headach": "headache",
    "hedache": "headache", "heartattack": "heart attack", "hartattack": "heart attack", "atack": "attack",
    "attak": "attack", "anaphylactic": "anaphylactic", "anafalactic": "anaphylactic", "anaphalactic": "anaphylactic",
    "epipen": "epipen", "chocking": "choking", "chokeing": "choking", "collasped": "collapsed",
    "collaped": "collapsed", "responsive": "responsive", "unresponsve": "unresponsive", "droopy": "droopy",
    "slured": "slurred", "slurrd": "slurred", "dieing": "dying", "kil": "kill", "myslef": "myself",
    "mysef": "myself", "wanna": "want to", "gonna": "going to", "abusive": "abusive", "pils": "pills",
    "tabs": "tablets", "paracetemol": "paracetamol", "parecetamol": "paracetamol", "ibuprofin": "ibuprofen",
    "tylenal": "tylenol", "blled": "bleed", "hospitol": "hospital", "ambulence": "ambulance",
    "ambulanse": "ambulance", "bby": "baby", "u": "you", "ur": "your", "r": "are", "pls": "please",
    "plz": "please", "rn": "right now", "kms": "kill myself",
}  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+|[^a-z0-9\s]")


PHRASES = {
    "all of a sudden": "suddenly",
    "out of nowhere": "suddenly",
    "out of the blue": "suddenly",
    "of a sudden": "suddenly",
    "in a split second": "suddenly",
}


def normalise(text: str) -> str:
    """Lowercase, without accents (Spanish is matched as "dolor de pecho", "senales", "convulsion"), apostrophes
    dropped, common misspellings and text-speak written out."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("'", "")
    text = " ".join(MISSPELLINGS.get(token, token) for token in _WORD.findall(text))
    for phrase, plain in PHRASES.items():
        text = text.replace(phrase, plain)
    return text


# What someone can overdose on, for the overdose rules: medicines, drugs, alcohol, the things children get
# into. Written after the rules' normalisation (lower case, no accents).
DRUG = (
    r"(?:pills?|tablets?|capsules?|meds?|medications?|medicines?|drugs?|heroin|fentanyl|opioids?|opiates?|"
    r"oxy\w*|percocet|vicodin|morphine|methadone|codeine|tramadol|xanax|valium|benzos?|diazepam|klonopin|"
    r"ambien|sleeping|insulin|paracetamol|acetaminophen|tylenol|panadol|ibuprofen|advil|motrin|nurofen|aspirin|"
    r"antidepressants?|lithium|seroquel|adderall|cocaine|coke|crack|meth|ketamine|mdma|molly|ecstasy|lsd|"
    r"ghb|alcohol|booze|vodka|iron|vitamins?|vitamin|gummies|melatonin|benadryl|edibles|thc|nicotine|"
    r"painkillers?|caffeine pills|prescription|something|stuff)"
)
DRUG_ES = (
    r"(?:pastillas?|pildoras?|tabletas?|capsulas?|medicamentos?|medicinas?|farmacos?|drogas?|heroina|"
    r"fentanilo|opioides?|cocaina|coca|metanfetamina|cristal|alcohol|insulina|paracetamol|tylenol|"
    r"ibuprofeno|aspirina|clonazepam|rivotril|alprazolam|diazepam|antidepresivos?|somniferos?|hierro|"
    r"vitaminas?|melatonina|ketamina|extasis|tramadol|morfina|codeina|algo)"
)


def _any(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


def rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# --- Context: negation, the past, education, now --------------------------------------------------

CLAUSE_BREAK = re.compile(r"[.;!?,]| but | however | although | though | except ")
NEGATORS = rx(r"\b(?:no|not|without|never|denies|dont|doesnt|didnt|isnt|wasnt|arent|havent|hasnt|nor|none|free of)\b")
PAST = rx(
    r"\b(?:last (?:year|month|week|summer|winter|spring|autumn|fall|christmas|time)|"
    r"(?:\d+|a|an|one|two|three|four|five|six|several|few|many|some) (?:years?|months?|weeks?|decades?) ago|"
    r"years ago|back in (?:19|20)\d\d|in (?:19|20)\d\d|history of|used to|survived|recovered|recovering|"
    r"since (?:his|her|my|their|the) |after (?:his|her|my|their) (?:stroke|heart attack|seizure|overdose|surgery)|"
    r"(?:when|while) (?:i|he|she|they) (?:was|were) (?:\d+|a kid|a child|young|younger|a teen|a teenager|little|small|"
    r"a baby|at school|in school|at uni|pregnant with)|as a (?:teenager|teen|kid|child|student|baby|young \w+)|"
    r"(?:and )?none since|no more since|in the (?:spring|summer|autumn|fall|winter)|(?:months|years|weeks) later|"
    r"(?:was|been) (?:in hospital|hospitali[sz]ed|admitted) (?:with|for)|havent had (?:one|any|another) since|was treated|been well for|"
    r"(?:passed away|died) (?:from|of|after))\b"
)
NOW = rx(
    r"\b(?:right now|just now|now (?:i|im|he|hes|she|shes|they|its|my|his|her|there|the|it)\b(?! \d)|and now|"
    r"today|tonight|this (?:morning|afternoon|evening)|currently|at the moment|"
    # "again" of something happening, not "when can i drink again" or "never happens again"
    r"(?:happening|started|starting|having (?:one|another|a \w+)|doing it|its back|back|seizing|fitting|bleeding|"
    r"collapsed|passed out|choking|vomiting|throwing up|stopped breathing|swelling|twitching|shaking) again|"
    r"(?:about|bout|going|gonna|want|wanna|need|have) to(?: \w+){0,3} again|(?:do|doing) (?:it|that) again|"
    r"(?:is|am|are|im|hes|shes|theyre) having|just (?:started|happened|now|collapsed|fell)|"
    r"for the (?:last|past) (?:\d+|few|couple of|two|three|ten|twenty|thirty) (?:minutes|mins|hours)|"
    r"since (?:this morning|last night|an hour|\d+ ?(?:minutes|mins|hours)))\b"
)
EDUCATION = rx(
    r"^\s*(?:what (?:is|are|was|were|does|causes|happens|exactly)|whats|define|explain|describe|tell me about|"
    r"how (?:do|does|can|would|should|could) (?:you|u|ya|one|someone|somebody|people|a person|doctors|paramedics) "
    r"(?:even |actually |properly )?(?:tell|know|recognise|recognize|spot|identify|treat|help|prevent|do|use|give)|"
    r"how (?:is|are) \w+(?: \w+)? (?:treated|diagnosed|caused)|what are (?:the )?(?:signs|symptoms|warning signs|"
    r"causes|risk factors|stages|types|odds|chances)|(?:the )?(?:signs|symptoms|causes) of|is it true|"
    r"why (?:do|does|is|are|did)|can you (?:explain|tell me)|history of|how common|how many people|"
    r"how long does (?:it take )?(?:to )?recover|what should (?:you|one|i) do (?:if|when) (?:someone|somebody|a person)|"
    r"how (?:does|do|is|are) (?:a |an |the )?(?!i\b|we\b|you\b|my\b)\w+(?: \w+){0,5} (?:work|reverse|treat|help|"
    r"affect|cause|happen|spread|diagnosed|treated|keep|save|stop|feel|look|start)\b)"
    r"|\b(?:for (?:a|my|our) (?:school |class |uni |university |college |biology |first aid )?(?:project|essay|"
    r"assignment|homework|presentation|exam|course|class|quiz)|in (?:a|the) (?:movie|film|book|novel|tv show|"
    r"show|game|series))\b"
)
HYPOTHETICAL = rx(
    r"\b(?:hypothetically|in theory|if (?:someone|somebody|a person|you|one|i|we|my \w+) (?:ever|were|was|had|"
    r"has|is|gets|got|started|starts|found|find|finds|came across|come across|saw|see|sees)|what (?:would|should|could) "
    r"(?:happen|you do|one do|i do|we do) if|in case (?:someone|somebody|it|i|my \w+) (?:ever )?)\b"
)
URGENT_NOW = rx(
    r"\b(?:right now|just now|at the moment|currently|please help|help me|help us|hurry|quick|asap|"
    r"happening now|is happening)\b"
)
PERSONAL_NOW = rx(
    r"\b(?:i am|im|i feel|i have|ive got|i got|i cant|i just|ive just|help me|help us|please help|"
    r"my (?:\w+ ){0,2}(?:is|has|keeps|just|cant|wont|isnt|hasnt|was just)|(?:he|she|they)(?: is| are| has| have| cant|"
    r" wont| isnt| just|s)|hes|shes|theyre|right now|just now|at the moment|currently)\b"
)


# Spanish: the same ideas. "no" alone is not a negation of what follows ("no puedo respirar, me duele el pecho"),
# so only "no" with a verb of having or feeling counts; "y" and "pero" end a clause.
ES_CLAUSE_BREAK = re.compile(r"[.;!?,]| pero | aunque | sino | y | e | ahora ")
ES_NEGATORS = rx(
    r"\b(?:no (?:tengo|tiene|tienen|tenia|tuvo|hay|habia|siento|siente|me duele|le duele|es|era|fue|estoy|esta|"
    r"me|le)|sin|nunca|jamas|ni|tampoco|ningun\w*|nada de)\b"
)
ES_PAST = rx(
    r"\b(?:el (?:ano|mes|verano|invierno) pasado|la (?:semana|navidad) pasada|"
    r"(?:hace|de eso (?:ya )?(?:hace )?)(?: unos| unas| como| mas de| casi)? (?:\d+|un|una|unos|unas|varios|"
    r"muchos|dos|tres|cuatro|cinco) (?:anos|ano|meses|mes|semanas|decadas)|desde entonces|"
    r"una vez,? (?:cuando|en (?:la|el) (?:universidad|prepa|escuela|secundaria|trabajo))|cuando (?:era|eramos|tenia|estaba) "
    r"(?:nin[oa]|chic[oa]|joven|\d+|embarazada|en la escuela|en la prepa)|de (?:nin[oa]|chic[oa]|joven|adolescente)|"
    r"en (?:19|20)\d\d|me recupere|se recupero|ya se recupero|antecedentes de|historial de|despues de (?:su|mi) "
    r"(?:infarto|derrame|convulsion|sobredosis|cirugia)|(?:murio|fallecio) (?:de|por|hace))\b"
)
ES_NOW = rx(
    r"\b(?:ahora|ahorita|ahora mismo|en este momento|hoy|esta (?:manana|tarde|noche)|de repente|otra vez|de nuevo|"
    r"hace (?:\d+|un|una|unos|media) (?:minutos|minuto|horas|hora)|desde hace (?:\d+|un|una|unos) (?:minutos|horas))\b"
)
ES_EDUCATION = rx(
    r"^\s*(?:que (?:es|son|significa|causa|pasa|hacer si)|cuales son|como (?:se|saber|reconocer|identificar|"
    r"funciona|actuar)|(?:sintomas|senales|signos|causas) de|explica|explicame|dime que es|por que (?:da|dan|se))"
    r"|\bpara (?:una|mi|la|un) (?:clase|tarea|examen|escuela|curso|proyecto|presentacion)\b"
    # fiction, reporting, or someone asking for the sake of others ("como maestra, ¿qué señales...")
    r"|\b(?:estoy (?:escribiendo|haciendo|preparando|investigando)|escribo) (?:una|un) (?:novela|cuento|guion|"
    r"historia|documental|trabajo|reportaje|libro)\b|\ben mi (?:guion|novela|cuento|historia|libro)\b|"
    r"\bun personaje\b|\bquiero saber (?:que|cuales|como)\b|\bcomo (?:orientador|orientadora|maestro|maestra|"
    r"profesor|profesora|docente)\b"
)
ES_HYPOTHETICAL = rx(
    r"\b(?:si (?:alguien|alguna persona|una persona|un nino|mi \w+) (?:se|tiene|tuviera|le|llega)|que (?:pasaria|"
    r"hago|hacer) si|por si (?:algun dia|acaso|alguna vez)|en caso de que|hipoteticamente)\b"
)
ES_URGENT_NOW = rx(r"\b(?:ahora|ahorita|ahora mismo|en este momento|ayuda|auxilio|urgente|rapido)\b")
ES_PERSONAL_NOW = rx(
    r"\b(?:tengo|me duele|no puedo|estoy(?! (?:escribiendo|haciendo|preparando|investigando))|me siento|"
    r"mi \w+ (?:esta(?! (?:en (?:la|el)|bien))|tiene|no puede|no|se)|(?:el|ella) (?:esta|tiene|no)|ahora|ahorita|"
    r"de repente|ayuda)\b"
)


@dataclass(frozen=True)
class Context:
    clause_break: re.Pattern
    negators: re.Pattern
    past: re.Pattern
    now: re.Pattern
    education: re.Pattern
    hypothetical: re.Pattern
    urgent_now: re.Pattern
    personal_now: re.Pattern


CONTEXT = {
    "en": Context(CLAUSE_BREAK, NEGATORS, PAST, NOW, EDUCATION, HYPOTHETICAL, URGENT_NOW, PERSONAL_NOW),
    "es": Context(
        ES_CLAUSE_BREAK, ES_NEGATORS, ES_PAST, ES_NOW, ES_EDUCATION, ES_HYPOTHETICAL, ES_URGENT_NOW, ES_PERSONAL_NOW
    ),
}


def _negated(clause: str, start: int, ctx: Context) -> bool:
    """A negation word in the few words before a match, in the same clause."""
    before = clause[:start].split()[-5:]
    return bool(ctx.negators.search(" ".join(before)))


def _live_match(pattern: re.Pattern, text: str, ctx: Context) -> re.Match | None:
    """The first match of `pattern` in `text` that is not negated in its own clause. A match may run on past
    the clause it starts in ("pain in my testicle, it's swollen and I'm vomiting")."""
    for match in pattern.finditer(text):
        clause_start = 0
        for boundary in ctx.clause_break.finditer(text, 0, match.start()):
            clause_start = boundary.end()
        if not _negated(text[clause_start:], match.start() - clause_start, ctx):
            return match
    return None


def _in_past(text: str, ctx: Context) -> bool:
    return bool(ctx.past.search(text)) and not ctx.now.search(text)


def _educational(text: str, ctx: Context) -> bool:
    """A question about a subject, or a hypothetical, rather than someone's situation now."""
    if ctx.hypothetical.search(text) and not ctx.urgent_now.search(text):
        return True
    return bool(ctx.education.search(text)) and not ctx.personal_now.search(text)


# --- The rules ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str
    cls: str
    category: str
    pattern: re.Pattern
    also: re.Pattern | None = None  # must also match somewhere in the message (not negated)
    unless: re.Pattern | None = None  # the rule does not apply when this matches
    soft: bool = True  # softened by education framing ("what are the signs of...")
    past: bool = True  # softened by the past ("had a stroke last year", "used to self-harm years ago")
    lang: str = "en"  # the language it is written for ("" for both)


CHEST = r"\bchest\b"
CHEST_FEELING = _any(
    r"\bchest (?:\w+ ){0,3}(?:pain|pains|hurts?|hurting|ache|aching|pressure|tight|tightness|heavy|heaviness|"
    r"squeez\w*|crush\w*|discomfort|burning|sore)\b",
    r"\b(?:pain|pains|pressure|tight|tightness|heavy|heaviness|squeez\w*|crush\w*|press\w*|discomfort|ache|aching|"
    r"weight|band|vice|vise|clamp|burning)\b(?: \w+){0,4} (?:in|on|across|around|over|of) (?:my|his|her|the|their) chest\b",
    r"\belephant\b.{0,40}\bchest\b|\bchest\b.{0,40}\belephant\b",
    r"\b(?:clutch\w*|grabb\w*|grip\w*|holding|rubbing|pressing) (?:at )?(?:his|her|my|their) chest\b",
)
HEART_COMPANIONS = _any(
    r"\b(?:left |right )?(?:arm|arms|shoulder|jaw|neck|back)\b",
    r"\bsweat\w*|\bclammy\b|\bgrey\b|\bbreath\w*|\bnause\w*|\bvomit\w*|\bthrow\w* up|\bsick\b|\blight ?headed|\bdizz\w*|"
    r"\bfaint\w*|\bgrey\b|\bgray\b|\bpale\b|\bspreading\b|\bradiat\w*",
)
SEVERE_CHEST = (
    r"\b(?:crushing|severe|worst|unbearable|excruciating|agonising|agonizing|like an elephant|elephant|angina|gtn|"
    r"nitro\w*|wont go away|not going away|isnt going away|getting worse|for the (?:last|past) \d+ (?:minutes|mins))\b"
)

PREGNANCY_CONTEXT = (
    r"\b(?:pregnan\w*|weeks pregnant|expecting|trimester|my bump|midwife|(?:\d+|twenty|thirty) ?weeks?\b|"
    r"gave birth|given birth|just had (?:a |my |the |our )?baby|delivered|postpartum|post partum|after (?:the )?birth|"
    r"c ?section|caesarean|cesarean)"
)

RULES: list[Rule] = [
    # --- Crisis (checked first: a crisis message may also mention an overdose) ---
    Rule(
        "lethal-means", CRISIS, "lethal_means",
        rx(_any(
            r"\b(?:lethal|fatal|deadly|killing) (?:dose|amount|quantity|dosage)",
            r"\bhow (?:many|much)\b.{0,60}\b(?:to die|to kill (?:me|myself|someone|a person)|would kill|to overdose|"
            r"to (?:not|never) wake up|to end (?:it|my life)|before (?:it kills|you die|i die)|is fatal|is lethal)",
            r"\b(?:painless|easiest|quickest|fastest|best|surest|least painful) way to (?:die|kill myself|end (?:it|my life))",
            r"\bhow (?:to|do i|can i|could i|would i) (?:die|kill myself|end my life|hang myself|overdose|commit suicide)",
            r"\bwhat (?:dose|amount|quantity)\b.{0,30}\b(?:kill|fatal|lethal|die|dead)",
            r"\bwhich (?:\w+ )?(?:pills|tablets|medicines?|medications?|drugs?|chemicals?|poisons?|plants|substances|"
            r"painkillers)\b.{0,60}\b(?:kill|die|lethal|fatal|overdose|deadly)",
            r"\bwould kill (?:a person|someone|somebody|you|me|a human)\b",
            r"\benough (?:pills|tablets|\w+ pills)\b.{0,30}\b(?:to die|to kill|to not wake|to never wake|to end)",
            r"\b(?:most|more) (?:deadly|lethal|fatal)\b", r"\b(?:would|will|could|is it) (?:be )?(?:fatal|lethal|deadly)\b",
        )), soft=False, past=False,
    ),
    Rule(
        "suicide", CRISIS, "suicide",
        rx(_any(
            r"\bkill(?:ing)? (?:myself|my self)\b", r"\bend(?:ing)? (?:it all|my life|my own life|everything)\b",
            r"\bsuicid\w*", r"\btake my (?:own )?life\b", r"\bwant (?:to|ed to) die\b", r"\bready to die\b",
            r"\bwish (?:i|id) (?:was|were|could be) dead\b", r"\bwish i (?:wasnt|wasn t|werent) (?:here|alive|born)\b",
            r"\bwish i (?:could|would) (?:just )?(?:disappear|not wake up|never wake up|fall asleep and not wake)",
            r"\bbetter off (?:dead|without me)\b", r"\bno (?:reason|point) (?:to|in) (?:live|living|going on|being alive|"
            r"carrying on|anything)\b", r"\b(?:dont|do not|didnt) want to (?:live|be alive|be here anymore|wake up|exist|"
            r"be here any ?more|go on)\b", r"\bcant (?:go on|keep going|carry on) (?:any ?more|like this)\b",
            r"\b(?:see|find) no (?:point|reason) (?:in|to) (?:living|life|going on)\b",
            r"\bdont see the point (?:in|of) (?:living|going on|life|anything|carrying on)",
            r"\b(?:written|writing|wrote) (?:a|my) (?:suicide |goodbye )?(?:note|letter)\b.{0,40}\b(?:goodbye|family|end)",
            r"\bsay(?:ing)? goodbye to (?:everyone|my family|everybody)\b", r"\bgive away my (?:things|stuff|belongings)",
            r"\bnot be around (?:much longer|anymore|for long)\b", r"\bend it (?:tonight|today|soon|now)\b",
            r"\bthoughts of (?:dying|death|killing myself|not being here)\b", r"\beveryone would be better off\b",
            r"\b(?:go to sleep|fall asleep|sleep)\b(?: \w+){0,3} (?:and )?(?:never|not) wake(?: up)?\b",
            r"\b(?:jump|jumping|throw myself|throwing myself|step|stepping) (?:off|in front of|from) (?:a|the)(?: \w+)? "
            r"(?:bridge|building|roof|cliff|train|tower|balcony|car|bus|lorry|truck)\b",
            r"\b(?:end|ending|take|taking) (?:his|her|their) (?:own )?life\b", r"\bkill(?:ing)? (?:himself|herself|themselves)\b",
            r"\b(?:plan|planning|going|ready|decided) to do it\b",
            r"\btime (?:i|to) end(?:ed)? (?:it|things|it all)\b", r"\bstockpil\w*|\bhoard\w* (?:my |his |her )?(?:tablets|"
            r"pills|meds|medication)", r"\b(?:picked|chosen|set) (?:a|the) date\b", r"\bended? things\b",
            r"\bnobody (?:would|will|wouldnt) (?:even )?(?:notice|care|miss me)\b", r"\bhow easy it (?:would|will) be\b",
            r"\b(?:train tracks|railway|rail line|bridge|cliff|rooftop|top floor)\b.{0,60}\b(?:thinking|easy|end it|jump)\b",
            r"\bcant see (?:a|any) (?:way|future) (?:forward|out|ahead)\b", r"\b(?:written|wrote|writing) (?:a|my) "
            r"(?:suicide |goodbye )?note\b",
        )),
        unless=rx(r"\bsuicide (?:squad|doors?|mission|prevention (?:day|week|month)|rates?|statistics)\b"),
        soft=False,
    ),
    Rule(
        "self-harm", CRISIS, "self_harm",
        rx(_any(
            r"\bself ?-? ?harm\w*", r"\b(?:cutting|harming|burning|hurting|scratching|hitting|punching) myself\b(?! off\b)",
            r"\b(?:cut|harm|hurt|burn|burned|burnt|scratch|hit|punch) myself (?:on purpose|deliberately|intentionally|"
            r"again|to feel)", r"\b(?:want|wanting|urge|urges|tempted|feel like|thinking about|going) (?:to )?(?:cut|harm|"
            r"hurt|burn) myself\b", r"\bcut (?:my|into my) (?:arms?|wrists?|legs?|thighs?|skin|stomach)\b",
            r"\brelapsed\b.{0,30}\b(?:cutting|self ?harm)", r"\bstarv(?:ing|e) myself\b",
            r"\b(?:i|i keep|keep|still|sometimes i|often i) (?:cut|burn|hurt|harm|hit|scratch|punch|bite) myself\b(?! off\b)",
            r"\b(?:hitting|banging|punching) my head (?:against|on|into)\b",
            r"\b(?:cutting|burning|scratching|carving|slashing) (?:into )?my (?:arms?|wrists?|legs?|thighs?|skin|stomach|"
            r"hips?|body)\b", r"\bcut (?:my|into my) wrists?\b",
            r"\b(?:cut|burn\w*|scratch\w*|carv\w*|slash\w*) (?:into )?my (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?)"
            r"(?: \w+){0,4} (?:until|so no one|to feel|on purpose|deliberately|again)\b",
            r"\b(?:cutting|harming|burning|hurting) (?:himself|herself|themselves)\b",
        )),
        soft=False,
    ),
    Rule(
        "harm-others", CRISIS, "harm_others",
        rx(_any(
            r"\b(?:want|wanting|going|planning|plan|thinking about|thoughts of|urge|urges|afraid i(?: will| might)?|"
            r"scared i(?: will| might| ll)?|think i (?:might|will|could)|about to|could|might|will)(?: to)?"
            r"(?: snap and| lose it and| lash out and)? (?:kill|hurt|harm|stab|shoot|strangle|murder|smother|shake|beat|hit|"
            r"smack|slap|poison|attack)(?:ing)? (?:him|her|them|my (?:\w+ )?(?:husband|wife|partner|boss|mum|mom|dad|son|"
            r"daughter|baby|kid|kids|child|children|toddler|neighbou?r|brother|sister|roommate|flatmate|coworker|colleague|"
            r"teacher|ex|boyfriend|girlfriend|stepfather|stepdad|stepmother|stepmum|father|mother|parents?)|someone|"
            r"somebody|people|everyone|the baby)\b",
            r"\b(?:going|gonna|want|planning|about|ready) (?:\w+ ){0,3}to (?:kill|hurt|harm|stab|shoot|strangle|murder|beat|"
            r"attack|poison|smash) (?:him|her|them|my(?! shot\b)|someone|somebody|the|that|this)\b",  # not "shoot my shot"
            r"\b(?:thoughts?|thinking|fantasi[sz]\w*|urges?|dreams?) (?:about|of) (?:killing|hurting|harming|stabbing|"
            r"strangling|shooting|poisoning|attacking|murdering) (?!myself)",
            r"\bhow (?:can|do|could|would|to) (?:i |you |one )?(?:poison|kill|hurt|harm|drug) (?:someone|somebody|a person|my|"
            r"him|her|them)\b",
            r"\b(?:planning|plan|plotting|figuring out|working out) (?:how|ways) to (?:hurt|kill|harm|poison|get rid of|"
            r"attack)\b",
            r"\bmake (?:him|her|them|my (?:\w+ )?\w+) pay\b.{0,80}\b(?:knife|gun|bat|weapon|where (?:he|she|they) lives?|"
            r"hurt|kill)\b",
            r"\b(?:have|got|bought|bring|brought|taking) (?:a|my) (?:knife|gun|bat|weapon|crowbar)\b.{0,60}\b(?:him|her|them|"
            r"ex|going to|make)\b",
        )),
    ),
    Rule(
        "danger-abuse", CRISIS, "danger_abuse",
        rx(_any(
            r"\b(?:he|she|they|my (?:\w+ )?(?:husband|wife|partner|boyfriend|girlfriend|dad|mum|mom|father|mother|stepdad|"
            r"stepfather|stepmum|stepmother|brother|sister|son|daughter|parents?|ex|uncle|aunt|carer|teacher|boss|"
            r"flatmate|roommate))\b(?: \w+){0,5} (?:hits|hit|beats|beat|kicks|kicked|chokes|choked|strangles|strangled|"
            r"slaps|slapped|punches|punched|hurts|pushed|shoves|burns|burned) me\b",
            r"\b(?:trying to|going to) (?:break in|get in|break down (?:the|my) door)\b|\bbreak(?:ing)? in(?:to)? (?:my|the|our) "
            r"(?:house|home|flat|apartment|room)\b|\bsomeone (?:is )?(?:outside|in) my (?:house|home|room|door|flat)\b",
            r"\bforc(?:es|ed|ing) me (?:to have sex|to sleep with|into sex|to do sexual)\b|\bmakes me have sex\b",
            r"\b(?:older|adult|grown ?up|grown) (?:man|woman|guy|person|men)\b.{0,80}\b(?:meet|secret|not (?:to )?tell|dont "
            r"tell|photos|pictures|pics|nudes)\b", r"\bthreaten\w* to (?:kill|hurt|beat) (?:me|my|us)\b",
            r"\b(?:scared|afraid|fear) (?:of|for) my (?:life|safety)\b",
            r"\bafraid (?:he|she|they)(?: will| is going to| might| ll)? (?:kill|hurt) (?:me|us|my)\b",
            r"\bnot safe (?:at home|here|with (?:him|her|them)|in my (?:own )?home)\b", r"\b(?:being|been|am) abused\b",
            r"\babus(?:ing|es) me\b", r"\babusive (?:partner|husband|wife|boyfriend|girlfriend|relationship|parent|dad|mum|mom)",
            r"\b(?:raped|sexually assaulted|assaulted me|molested)\b", r"\b(?:wont|doesnt|will not) let me (?:leave|go out|see)",
            r"\block(?:s|ed|ing)? me (?:in|out|up)\b", r"\btouches me\b", r"\bdomestic (?:violence|abuse)\b.{0,40}\b(?:me|my|i)\b",
        )),
    ),
    # --- Emergencies ---
    Rule(
        "heart-attack-named", EMERGENCY, "heart_attack",
        rx(r"\b(?:having|have|is having|am having|might be having|could be having|think (?:im|i am|hes|shes|he is|she is|"
           r"they are|my \w+ is) having|is (?:this|it)|could (?:this|it) be|am i having|having what feels like) "
           r"(?:a |an )?(?:heart attack|cardiac arrest)\b"),
    ),
    Rule("heart-attack-signs", EMERGENCY, "heart_attack", rx(CHEST_FEELING), also=rx(HEART_COMPANIONS)),
    Rule("chest-severe", EMERGENCY, "heart_attack", rx(CHEST_FEELING), also=rx(SEVERE_CHEST)),
    Rule(
        "stroke-named", EMERGENCY, "stroke",
        rx(r"\b(?:having|is having|am having|might be having|think (?:im|i am|hes|shes|he is|she is|my \w+ is) having|"
           r"is (?:this|it)|could (?:this|it) be|am i having|(?:he|she|hes|shes|they|my \w+) (?:has|had|just had|is) "
           r"(?:had )?) (?:a |an )?(?:stroke|mini stroke|tia)\b"),
        unless=rx(r"\bstroke of (?:luck|genius|midnight)\b|\b(?:back|breast|swimming|heat) ?stroke\b|\bbrush ?stroke"),
    ),
    Rule(
        "stroke-face", EMERGENCY, "stroke",
        rx(r"\b(?:face|mouth|smile|lip|lips|eyelid)\b(?: \w+){0,5} (?:droop\w*|dropp\w*|sag\w*|lopsided|uneven|crooked|"
           r"fallen|slack)\b|\bdroop\w* (?:on )?(?:one side|the left|the right|face|mouth|smile)\b|\bone side of (?:my|his|"
           r"her|their|the) (?:face|mouth)\b"),
    ),
    Rule(
        "stroke-speech", EMERGENCY, "stroke",
        rx(r"\b(?:speech|words?|talking|speaking)\b(?: \w+){0,4} (?:slurred|slurring|garbled|jumbled|muddled|mixed up|"
           r"wrong|gone|strange|weird|nonsense)\b|\bslurr\w*\b|\bcant (?:speak|talk|get (?:his|her|my|their) words out|"
           r"find (?:his|her|my|the) words)\b"),
        also=rx(r"\bsudden\w*|\b(?:face|arm|leg|side|droop\w*|numb\w*|weak\w*|confus\w*|stroke|just|now|minutes?|"
                r"hour|started)\b"),
        unless=rx(r"\b(?:drunk|drinking|beers?|wine|vodka|alcohol|tipsy|sleepy|tired|dentist|anaesthetic|numbing)\b"),
    ),
    Rule(
        "stroke-one-side", EMERGENCY, "stroke",
        rx(_any(
            r"\b(?:numb\w*|tingl\w*|weak\w*|paralys\w*|dead|heavy|limp|cant (?:move|lift|feel))\b(?: \w+){0,6} "
            r"(?:one side|left side|right side|half (?:of )?(?:my|his|her|their|the) (?:body|face))\b",
            r"\b(?:one side|left side|right side)\b(?: \w+){0,5} (?:numb\w*|weak\w*|droop\w*|paralys\w*|dead|wont move|"
            r"cant move|gone)\b",
            r"\bsudden\w*\b(?: \w+){0,5} (?:cant|cannot|unable to) (?:lift|raise|move) (?:my|his|her|their|one) "
            r"(?:arm|leg|hand)\b",
            r"\b(?:cant|cannot|unable to) (?:lift|raise) (?:his|her|my|their|one) (?:left |right )?arm\b",
            r"\b(?:half|one side|side) of (?:my|his|her|their|the) (?:face|body|mouth|tongue)\b(?: \w+){0,3} (?:numb\w*|"
            r"dead|droop\w*|weak\w*|paralys\w*|floppy|tingl\w*|fallen)\b",
            r"\b(?:arm|leg|hand)\b(?: \w+){0,3} (?:heavy|numb|weak|dead|limp|floppy)\b(?: \w+){0,4} (?:wont|cant|doesnt|"
            r"not|wont) (?:move|work|lift|grip)\b",
        )),
    ),
    Rule(
        "sudden-vision-loss", EMERGENCY, "stroke",
        rx(r"\bsudden\w*\b(?: \w+){0,6} (?:lost|loss of|cant see|cannot see|blind|double vision|went dark|black)\b|"
           r"\b(?:lost|loss of) (?:the )?(?:vision|sight)\b(?: \w+){0,6} (?:sudden\w*|one eye|just now|an hour)\b|"
           r"\bwent (?:blind|black) in one eye\b"),
    ),
    Rule(
        "cant-breathe", EMERGENCY, "breathing",
        rx(_any(
            r"\b(?:cant|cannot|unable to|struggling to|fighting to|can barely|barely able to|hard to|hardly) "
            r"(?:breathe|breath|breathing|get (?:a |any |enough )?(?:air|breath))\b",
            r"\bgasping\b", r"\b(?:lips?|face|fingers?|skin)\b(?: \w+){0,3} (?:blue|bluish|purple|grey|gray)\b",
            r"\bturning (?:blue|purple|grey|gray)\b", r"\b(?:not|isnt|stopped|stopping) breathing\b",
            r"\b(?:inhaler|puffer|nebuli[sz]er)\b(?: \w+){0,4} (?:not|isnt|isn t|doesnt|wont|no longer) (?:helping|working)",
            r"\bcant (?:speak|talk|say) (?:in )?(?:full )?(?:sentences|more than a (?:few|couple of) words)",
            r"\b(?:severe|bad|terrible|serious) (?:asthma attack|breathing (?:problems?|difficulty)|shortness of breath)\b",
            r"\bchest (?:is )?(?:sucking|pulling) in\b", r"\bribs? (?:are )?(?:sucking|pulling) in\b",
            r"\b(?:skin|tummy|chest) (?:\w+ )?(?:pulls|sucks|pulling|sucking|sinks|sinking) in\b", r"\bgrunting\b",
            r"\bcan only (?:say|speak|get out|manage) (?:a few|one or two|two|three|single) words\b",
            r"\bcant catch (?:my|his|her|their) breath\b(?: \w+){0,6} (?:even|sitting|resting|at rest|lying|worse)",
            r"\b(?:wheez\w*|breath\w*)\b(?: \w+){0,5} (?:cant|cannot) (?:talk|speak)\b",
            r"\b(?:used|taken|had|puffed) (?:her|his|my|their) (?:blue )?(?:inhaler|puffer) (?:about |around |like |over "
            r"|maybe )?(?:\d+|many|ten|loads of|lots of|several|so many) times\b",
            r"\b(?:barely|hardly|cant) (?:talk|speak)\b.{0,20}\bbreath",
        )),
        unless=rx(r"\bcant (?:breathe|breath) (?:through|out of) (?:my|his|her) nose\b|\bstuffy\b|\bblocked nose\b"),
    ),
    Rule(
        "choking", EMERGENCY, "choking",
        rx(r"\b(?:is|am|im|hes|shes|are|theyre|was|keeps|started|been) choking\b|\bchoking on\b|\bchoked on\b|"
           r"\b(?:stuck|lodged) in (?:his|her|my|their|the) (?:throat|windpipe|airway)\b|"
           r"\bclutch\w* (?:at )?(?:his|her|their|my) throat\b|\bcant make (?:any |a )?(?:sound|noise)\b|"
           r"\bchoking\b(?: \w+){0,4} "
           r"(?:cant|cannot|not) (?:breathe|cough|speak|talk)\b"),
        # Over: it was coughed up, and nothing says the breathing is in trouble now.
        unless=rx(r"^(?!.*\b(?:cant|cannot|not|isnt|struggling to|trouble) breath\w*)(?!.*\b(?:turning|went|gone|lips) blue\b)"
                  r"(?!.*\b(?:but now|and now|now (?:he|she|they|hes|shes|theyre|i|im|its)|breathing (?:fast|hard|funny|"
                  r"weird|noisy|heavy)|wheez\w*|still coughing|coughing constantly))"
                  r"(?!.*\bstill stuck\b).*\b(?:coughed (?:it|\w+ \w+|the \w+) (?:up|out)|coughed it|"
                  r"went down the wrong (?:pipe|way|hole)|(?:got|spat|spit) it out)\b"),
    ),
    Rule(
        "bleeding", EMERGENCY, "bleeding",
        rx(_any(
            r"bleed\w*\b(?: \w+){0,5} (?:wont|will not|doesnt|does not|isnt|is not|not|cant|hasnt|has not) "
            r"(?:stop|stopping|stopped|slow\w*)",
            r"\b(?:cant|cannot|unable to|wont) stop (?:the )?(?:bleeding|blood)\b",
            r"\b(?:blood|bleeding)\b(?: \w+){0,3} (?:everywhere|gushing|pouring|spurting|pumping|squirting|soaking|"
            r"soaked|all over)\b", r"\b(?:gushing|pouring|spurting|pumping|squirting) (?:out )?blood\b",
            r"\b(?:bring\w* up|brought up|pass\w*|vomit\w*|throw\w* up|threw up|puk\w*|cough\w*|spit\w*|spat)(?: up| out)? "
            r"(?:up )?(?:some |a lot of |lots of |loads of |so much )?(?:blood|bright red|red blood|dark blood|what looks like "
            r"coffee grounds)\b",
            r"\b(?:vomit\w*|throw\w* up|threw up|puk\w*|cough\w*|spit\w*|spat)(?: up| out)? (?:up )?(?:some |a lot of |lots of )?"
            r"(?:blood|bright red|red blood|dark blood|what looks like coffee grounds)\b",
            r"\bblood in (?:my|his|her|their|the) (?:vomit|sick)\b", r"\bcoffee grounds?\b",
            r"\b(?:lost|losing) (?:a lot of|so much|lots of) blood\b",
            r"\bblood\b.{0,60}\b(?:pass out|passing out|faint\w*|collaps\w*|light ?headed)\b",
            r"\b(?:vomit\w*|threw up|throw\w* up|puk\w*|cough\w*|spit\w*|spat|bring\w* up|brought up)\b(?: \w+){0,6} "
            r"blood\b",
            r"\b(?:cupful|cups?|mugful|bowlful) of blood\b|\bblood\b(?: \w+){0,5} (?:cupful|a cup|a mug)\b",
        )),
    ),
    Rule(
        "anaphylaxis", EMERGENCY, "anaphylaxis",
        rx(_any(
            r"\b(?:throat|tongue|lips?|face|mouth|eyes)\b(?: \w+){0,4} (?:swell\w*|swollen|closing|tight\w*|puff\w*|"
            r"blow\w* up|huge)\b", r"\bswell\w*\b(?: \w+){0,3} (?:throat|tongue|lips?|face|mouth)\b",
        )),
        also=rx(r"\b(?:allerg\w*|reaction|sting|stung|bee|wasp|hornet|peanuts?|nuts?|shellfish|prawns?|shrimp|ate|eaten|"
                r"eating|antibiotic|penicillin|medicine|tablet|epipen|adrenaline|epinephrine|hives|breath\w*|wheez\w*|"
                r"swallow\w*|dizzy|faint\w*)\b"),
    ),
    Rule(
        "anaphylaxis-named", EMERGENCY, "anaphylaxis",
        rx(r"\b(?:anaphyla\w*|throat (?:is )?(?:closing|closing up|swelling shut)|(?:used|using|needed|need|gave|given|"
           r"use|give|inject) (?:my|his|her|their|an|the) epi\w*|epipen\b(?: \w+){0,3} (?:now|didnt|not)|severe "
           r"allergic reaction)\b"),
        unless=rx(r"\bhow (?:do|to|should|would|can|could|does) (?:i |you |we |one |someone )?(?:use|give|inject|store|carry|"
                  r"practi[cs]e with)\b|\b(?:trainer|practice|training) (?:pen|epipen|device)\b"),
    ),
    Rule(
        "allergic-exposure", EMERGENCY, "anaphylaxis",
        rx(r"\b(?:allerg\w*)\b.{0,80}\b(?:ate|eaten|eating|stung|sting|bitten|took|taken|exposed|touched)\b|"
           r"\b(?:ate|eaten|eating|stung|sting|bitten|took|taken)\b.{0,80}\ballerg\w*"),
        also=rx(r"\b(?:vomit\w*|pale|faint\w*|floppy|breath\w*|wheez\w*|throat|tongue|lips|dizzy|collaps\w*|"
                r"hives all over|swelling up)\b"),
    ),
    Rule(
        "unresponsive", EMERGENCY, "unresponsive",
        rx(_any(
            r"\b(?:unconscious|unresponsive|not responding|wont (?:wake|respond)|cant (?:wake|rouse)|not waking|"
            r"wont come round|hasnt come round|not come round|no pulse|not moving and)\b",
            r"\b(?:collapsed|passed out|fainted|blacked out)\b(?: \w+){0,5} (?:and|now) (?:is |isnt |wont |cant |"
            r"hasnt |not |still )",
            r"\bjust collapsed\b", r"\b(?:suddenly|very|really|so) confused\b", r"\bconfused and\b",
            r"\bdoesnt (?:know|recognise|recognize) (?:where|who|what)\b", r"\b(?:talking|making) (?:nonsense|no sense)\b",
            r"\bcant (?:be )?(?:woken|wake (?:him|her|them) up)\b", r"\bslumped\b",
            r"\bonly (?:groans|moans|grunts|mumbles)\b", r"\b(?:barely|hardly) (?:responding|responsive|conscious|awake)\b",
            r"\b(?:doesnt|wont|isnt|not) respond\w*\b", r"\bhard to (?:wake|keep awake)\b",
            r"\b(?:wont|isnt|not|doesnt) (?:answer\w*|open (?:her|his|their|my) eyes)\b",
        )),
    ),
    Rule(
        "seizure", EMERGENCY, "seizure",
        rx(r"\b(?:seizure|seizures|fit|fits|fitting|convuls\w*|seizing)\b"),
        also=rx(_any(
            r"\b(?:\d+|five|six|seven|eight|nine|ten|fifteen|twenty) ?(?:minutes?|mins?)\b", r"\bwont stop\b",
            r"\bnot stopping\b", r"\bstill (?:shaking|fitting|seizing|jerking|going)\b", r"\bone after (?:another|the other)\b",
            r"\bfirst (?:ever |time |one)?(?:seizure|fit)?\b", r"\bnever had (?:a |one )?(?:seizure|fit|one) before\b",
            r"\b(?:is|are|am|im|hes|shes|theyre|keeps|started|having|had) (?:having |in )?(?:a )?(?:seizure|fit|fitting|"
            r"seizing|convulsing)\b", r"\bback to back\b", r"\bwont wake\b",
        )),
        unless=rx(r"\bfits? (?:well|fine|perfectly|me|in|into|him|her)\b|\bfit (?:and healthy|enough)\b|\bkeep fit\b|"
                  r"\bget(?:ting)? fit\b|\bfitness\b|\bfitted\b"),
    ),
    Rule(
        "thunderclap-headache", EMERGENCY, "thunderclap_headache",
        rx(_any(
            r"\b(?:worst|most severe|most painful|worst ever) headache\b", r"\bthunderclap\b",
            r"\bheadache\b(?: \w+){0,8} (?:sudden(?:ly)?|came on (?:suddenly|all at once|in seconds)|out of (?:nowhere|the blue)"
            r"|like (?:being|i was|ive been|i got|getting) (?:hit|kicked|struck)|explod\w*|worst)\b",
            r"\bsudden\w*(?: \w+){0,3} (?:severe|splitting|excruciating|blinding|agonising|agonizing|explosive|horrific|"
            r"terrible) (?:headache|pain in (?:my|his|her|the) head)\b",
            r"\b(?:hit|kicked|struck) (?:in the head|on the head) by\b.{0,30}\b(?:no|nothing|nobody)\b",
            r"\b(?:head|headache)\b.{0,60}\bworst pain\b|\bworst pain\b.{0,60}\bhead\b",
            r"\bgrabbed (?:her|his|my|their) head\b", r"\b(?:all at once|suddenly)\b.{0,30}\bheadache\b",
            r"\bheadache\b.{0,80}\b(?:never had (?:one|anything|a headache|a pain) like|like (?:a|being hit with a) hammer|"
            r"in (?:a|one) second|within seconds)\b",
            r"\bsudden\w*(?: \w+){0,3} (?:crushing|pounding|exploding|thunderous) (?:headache|head pain)\b",
        )),
    ),
    Rule(
        "head-injury", EMERGENCY, "head_injury",
        rx(r"\b(?:hit|hits|banged|bang|bumped|bump|knocked|smacked|whacked|injured|hurt|cracked|fell|fall|fallen|landed)\b"
           r"(?: \w+){0,6} (?:head|skull)\b|\bhead (?:injury|trauma|knock|bump|wound)\b|\bconcuss\w*"),
        also=rx(_any(
            r"\bvomit\w*|\bthrow\w* up|\bthrew up|\bbeen sick|\bbeing sick|\bsick (?:twice|again|several|a few)",
            r"\bconfus\w*|\bdrowsy|\bsleepy|\bcant stay awake|\bwont wake|\bunconscious|\bknocked out|\bpassed out|"
            r"\bblacked out|\bseizure|\bfit\b|\bclear fluid|\bslurr\w*|\bdoesnt remember|\bcant remember|\bmemory|"
            r"\bdizzy and|\bunequal pupils|\bbleeding from (?:the|his|her|my) (?:ear|nose)|\bwont stop crying",
        )),
    ),
    Rule(
        "fall-then-drowsy", EMERGENCY, "head_injury",
        rx(r"\b(?:fell|fall|fallen|dropped|tumbled|rolled)\b(?: \w+){0,8} (?:floor|stairs|steps|table|bed|changing table|"
           r"bunk|height|ground|concrete|tiles?|tiled|pavement|sofa|counter)\b"),
        also=rx(r"\b(?:vomit\w*|throw\w* up|threw up|being sick|confus\w*|drowsy|sleepy|hard to (?:wake|keep awake)|"
                r"wont wake|unconscious|knocked out|passed out|floppy|seizure|wont stop crying)\b"),
    ),
    Rule(
        "fever-confusion", EMERGENCY, "meningitis_sepsis",
        rx(r"\bconfus\w*|\bmottled\b|\bdelirious\b"),
        also=rx(r"\b(?:fever|temperature|temp|infection|shivering|rigors|burning up|breathing fast)\b"),
    ),
    Rule(
        "meningitis-rash", EMERGENCY, "meningitis_sepsis",
        rx(_any(
            r"\b(?:rash|spots|marks|blotches|dots|bruises)\b(?: \w+){0,8} (?:doesnt|does not|dont|wont|didnt|isnt|not|"
            r"will not) (?:fade|go away|disappear|blanch|go white|go pale)", r"\b(?:glass|tumbler) test\b", r"\bnon ?-?blanching\b",
            r"\b(?:press|pressed|pressing|roll|rolled|rolling) (?:a )?glass\b.{0,60}\b(?:still see|still there|doesnt fade|"
            r"dont fade|not fading|still visible|didnt fade)",
            r"\b(?:purple|dark red) (?:spots|rash|blotches)\b(?: \w+){0,6} (?:fever|temperature|unwell|spreading)",
        )),
    ),
    Rule(
        "stiff-neck-fever", EMERGENCY, "meningitis_sepsis",
        rx(r"\bstiff neck\b|\bneck (?:is )?(?:very |so |really )?stiff\b|\bcant (?:bend|touch) (?:his|her|my|their) "
           r"(?:neck|chin)"),
        also=rx(r"\b(?:fever|temperature|temp|hot|burning up|light hurts|hates the light|photophobia|vomit\w*|"
                r"headache|rash|drowsy|confus\w*)\b"),
    ),
    Rule(
        "floppy-child", EMERGENCY, "meningitis_sepsis",
        rx(r"\b(?:floppy|limp|unusually sleepy and|very hard to wake|wont feed and|high pitched cry|bulging soft spot|"
           r"bulging fontanelle)\b"),
        also=rx(r"\b(?:baby|babies|newborn|infant|toddler|child|son|daughter|kid|little one|girl|boy|month old|week old|"
                r"year old)\b"),
    ),
    Rule(
        "young-baby-fever", EMERGENCY, "meningitis_sepsis",
        rx(r"\b(?:\d|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) ?(?:weeks?|wks?|days?) old\b|"
           r"\b(?:1|2|one|two) ?(?:months?|mo) old\b|\bnewborn\b|\b(?:\d|1[0-2]|one|two|three|four|five|six|seven|eight) "
           r"(?:weeks?|days?)\b(?: \w+){0,3} baby\b|\bbaby\b(?: \w+){0,3} (?:\d|1[0-2]|one|two|three|four|five|six|seven|"
           r"eight|nine|ten) (?:weeks?|days?)\b"),
        also=rx(r"\b(?:fever|temperature|temp|38|39|40|hot to (?:the )?touch|burning up|feverish)\b"),
    ),
    Rule(
        "sepsis", EMERGENCY, "meningitis_sepsis",
        rx(r"\b(?:think|could|might|worried|is it|scared)\b.{0,30}\bsepsis\b|\b(?:has|have|got|with) sepsis\b|"
           r"\b(?:mottled|blotchy|bluish|blue|grey|gray|pale) (?:skin|legs|hands)\b(?: \w+){0,8} (?:fever|infection|"
           r"shivering|breathing|confus\w*|unwell|cold)"),
    ),
    Rule(
        "overdose", EMERGENCY, "overdose_poisoning",
        rx(_any(
            # "Overdosed" alone, or on a drug: "overdosed on netflix" is left to the classifier to judge.
            r"\boverdos\w*\b(?! (?:on|of)\b)", rf"\b(?:overdos\w*|od|oded|odd) (?:on|of) (?:\w+ ){{0,2}}{DRUG}\b",
            r"\b(?:od|oded|odd)\b(?: last night| earlier)",
            r"\b(?:took|taken|swallowed|had|ate|eaten|drank|downed|has taken|has swallowed)\b(?: \w+){0,3} (?:too many|"
            r"a lot of|loads of|a load of|lots of|heaps of|a pile of|a bunch of|a handful of|a whole (?:box|bottle|packet|strip|pack)|the whole "
            r"(?:box|bottle|packet|strip|pack)|all (?:of )?(?:my|his|her|the|their)|(?:\d+|ten|twenty|thirty|forty|fifty) "
            r"(?:of )?(?:my |his |her |the )?(?:pills|tablets|capsules))",
            r"\b(?:double|triple|extra) (?:doses?|dose of)\b|\b(?:took|taken|gave|given|had|accidentally|by mistake)"
            r"(?: \w+){0,2} two (?:doses?|dose of)\b|\btook (?:my|his|her) (?:dose|medicine|pills|tablets|"
            r"insulin) twice\b",
            r"\b(?:swallowed|drank|drunk|ate|eaten|licked|got into|chewed|sucked on)\b(?: \w+){0,4} (?:bleach|batter(?:y|ies)|"
            r"button battery|magnets?|detergent|laundry (?:pod|capsule|tablet)|dishwasher (?:tablet|pod)|antifreeze|"
            r"weed ?killer|rat poison|poison|pesticide|cleaning (?:product|fluid|spray)|chemicals?|white spirit|"
            r"lighter fluid|petrol|gasoline|paraffin|kerosene|drain cleaner|mouthwash bottle|e-?liquid|vape juice|"
            r"nicotine|someone elses (?:pills|tablets|medicine)|(?:my|his|her|grandmas|grandads|mums|moms|dads) "
            r"(?:pills|tablets|medicine|medication)|pills|tablets)\b",
            r"\b(?:bit|bitten|bite|chew\w*|suck\w*|swallow\w*|ate|eaten|licked|got into)\b(?: \w+){0,6} (?:pods?|"
            r"capsules?|liquitabs?|button batter(?:y|ies)|batter(?:y|ies)|magnets?)\b",
            r"\bfoam\w* (?:at|from|coming out of|out of) (?:the |his |her |their )?mouth\b",
            r"\bpoison(?:ed|ing)\b", r"\bcarbon monoxide\b(?: \w+){0,6} (?:alarm|poison\w*|headache|dizzy|sick|everyone)",
            r"\b(?:took|taken|swallowed|had|ate)\b(?: (?:about|around|like|maybe|nearly|over|almost|roughly|at least))? "
            r"(?:\d{2,}|ten|eleven|twelve|fifteen|sixteen|twenty|thirty|forty|fifty|a dozen) (?:\w+ )?(?:paracetamol|"
            r"acetaminophen|tylenol|panadol|ibuprofen|advil|nurofen|aspirin|pills|tablets|capsules|painkillers|"
            r"co ?codamol|codeine|diazepam|xanax|gummies|vitamins|iron tablets|sleeping pills)\b",
            r"\b(?:took|taken|swallowed|ate|had)\b.{0,60}\b(?:\d{2,}|twenty|thirty|forty|fifty|sixty) (?:\w+ )?(?:tablets|"
            r"pills|capsules|paracetamol|acetaminophen|tylenol|panadol|ibuprofen|painkillers|sleeping pills)\b",
            r"\b(?:generator|gas (?:heater|fire|boiler)|boiler|barbecue|bbq|charcoal|engine running|car running)\b.{0,100}"
            r"\b(?:headache|dizzy|sick|nause\w*|drowsy|confus\w*|collaps\w*|everyone|all of us)\b",
        )),
        unless=rx(r"\bfood poison\w*|\bpoison (?:ivy|oak|sumac)\b|\bblood poisoning\b(?! from)|\bpoisoning (?:prevention|"
                  r"statistics)\b|\boverdos\w* on (?:caffeine|coffee|espresso|sugar|candy|chocolate|netflix|anime|tiktok|memes|"
                  r"cuteness|love|drama|content)\b(?!.{0,60}\b(?:chest|heart|palpitations|vomit\w*|shaking|pain|breathe)\b)"),
    ),
    Rule(
        "trauma", EMERGENCY, "trauma_burns",
        rx(_any(
            r"\bhit by (?:a |the )?(?:car|bus|truck|lorry|van|bike|vehicle|train|motorbike)\b",
            r"\b(?:car|motorbike|motorcycle|bike|road|traffic) (?:crash|accident|collision)\b",
            r"\bfell (?:from|off|out of) (?:a |the )?(?:roof|ladder|balcony|height|building|horse|scaffold\w*|tree|window|"
            r"bunk bed|cliff)\b", r"\b(?:been|was|got|just|is) (?:stabbed|shot)\b", r"\bstab wound\b", r"\bgunshot\b",
            r"\bimpaled\b", r"\bbone\b(?: \w+){0,3} (?:sticking|poking|coming) (?:out|through)\b",
            r"\b(?:sticking|poking) out (?:of|through) (?:the|his|her|my|their) skin\b", r"\bsevered\b",
            r"\b(?:cut|chopped|sliced) off (?:his|her|my|their|a) (?:finger|toe|hand|thumb)\b", r"\bamputat\w*",
            r"\bcrushed (?:under|by|between)\b", r"\bdeep (?:cut|wound|gash)\b(?: \w+){0,6} (?:bone|fat|wont|spurting|"
            r"gaping|deep|see)\b", r"\bgaping (?:wound|cut)\b", r"\bleg (?:is )?(?:bent|facing) the wrong way\b",
            r"\b(?:electrocuted|electric shock|live wire|bare wire|mains electricity)\b",
            r"\b(?:came|thrown|flew|fell) off (?:his|her|my|their|the|a) (?:motor ?bike|motorcycle|bike|horse|scooter)\b"
            r".{0,60}\b(?:speed|hurts|pale|bleeding|cant|wont|unconscious|belly|head|neck)\b", r"\bcant feel (?:his|her|my|their) legs\b.{0,30}\b(?:fell|fall|crash|accident)",
        )),
    ),
    Rule(
        "burns", EMERGENCY, "trauma_burns",
        rx(_any(
            r"\b(?:severe|serious|large|big|bad|deep|huge|massive|third degree|3rd degree|full thickness) burns?\b",
            r"\bburn\w*\b(?: \w+){0,6} (?:bigger than|larger than|size of (?:a|his|her|my) (?:hand|palm)|whole (?:arm|leg|"
            r"back|chest|face)|entire|charred|white and leathery|leathery|black|all over)\b",
            r"\b(?:face|hands?|genitals|chest|airway|throat)\b(?: \w+){0,3} (?:badly )?burn(?:ed|t|s)?\b",
            r"\b(?:caught|on) fire\b", r"\bchemical (?:burn|in (?:his|her|my|their|the) eyes?)\b",
            r"\b(?:boiling|hot) (?:water|oil|fat)\b(?: \w+){0,6} (?:all over|over (?:his|her|my|their) (?:body|chest|face|"
            r"legs)|blister\w* everywhere)", r"\bburn\w*\b(?: \w+){0,4} (?:baby|toddler)\b.{0,30}\b(?:blister|big|large)",
            r"\binhaled smoke\b|\bsmoke inhalation\b",
            r"\b(?:boiling|scalding|hot) (?:water|oil|fat|tea|coffee|soup|kettle|pan)\b.{0,60}\b(?:blister\w*|chest|arms?|"
            r"face|legs?|back|stomach|body|all over|whole|himself|herself|themselves)\b",
        )),
        unless=rx(r"\bsun ?burn\w*|\bheartburn\b|\brazor burn\b|\bcarpet burn\b|\bburn(?:ed|t)? my tongue\b|"
                  r"\bburning (?:sensation|feeling) when (?:i )?pee|"
                  r"\b(?:legs|thighs|calves|quads|glutes|abs|arms|muscles|lungs) (?:are|were|r|still|feel|felt) (?:\w+ )?on fire\b"),
    ),
    Rule(
        "pregnancy", EMERGENCY, "pregnancy",
        rx(_any(
            r"\b(?:heavy|heavily|lots of|a lot of|gushing|soaking|soaked)\b(?: \w+){0,3} (?:bleeding|blood|bleed)\b",
            r"\bbleeding (?:heavily|a lot|lots|loads|so much|through)\b", r"\bsoak(?:ing|ed) (?:a |through (?:a )?)?pads?\b",
            r"\b(?:severe|really bad|very bad|terrible|agonising|agonizing|unbearable|constant|excruciating) (?:pain|cramps?|"
            r"stomach pain|tummy pain|abdominal pain|belly pain)\b",
            r"\b(?:baby|bump)\b(?: \w+){0,3} (?:isnt|hasnt|is not|has not|not|stopped|less|slower|quieter) "
            r"(?:moving|kicking|kicked|moved|active)", r"\b(?:reduced|fewer|less|no|not feeling (?:the )?babys?) "
            r"(?:fetal |foetal )?(?:movements?|kicks?|movement)\b", r"\b(?:havent|hasnt|have not|not) felt (?:the |my )?"
            r"baby (?:move|kick)", r"\bwaters? (?:broke|broken|went)\b(?: \w+){0,6} (?:weeks|early|green|brown|smell)",
            r"\b(?:severe|bad|terrible|pounding) headache\b(?: \w+){0,8} (?:vision|blurr\w*|swelling|spots|flashing)",
            r"\b(?:fit|seizure)\b", r"\bshoulder ?tip\b",
            r"\b(?:sharp|stabbing|severe|bad|strong|really bad) (?:pain|cramps?)\b(?: \w+){0,6} (?:one side|low down|"
            r"lower (?:tummy|belly|abdomen))\b", r"\b(?:kicks|movements?|moving|kicking)\b(?: \w+){0,6} (?:less|fewer|slower|quieter|"
            r"reduced|stopped|not as much)\b",
        )),
        also=rx(PREGNANCY_CONTEXT),
        unless=rx(r"\bperiod\b(?!.{0,30}\b(?:late|missed)\b)"),
    ),
    Rule(
        "severe-abdominal-or-testicular", EMERGENCY, "severe_pain",
        rx(_any(
            r"\b(?:sudden\w*|severe|agonising|agonizing|excruciating|unbearable|worst|extreme|intense|doubled over|"
            r"screaming|terrible|awful|horrendous|horrible)\b(?: \w+){0,6} (?:stomach|abdominal|abdomen|belly|tummy|testic\w*|testicles?|balls|groin|"
            r"scrotum|side)\b",
            r"\b(?:testic\w*|testicles?|balls|scrotum|nut)\b(?: \w+){0,6} (?:sudden\w*|severe|agony|excruciating|twisted|"
            r"really (?:painful|sore)|swollen and (?:painful|hard|red))\b",
            r"\b(?:stomach|abdominal|belly|tummy)\b(?: \w+){0,4} (?:rigid|hard as a board|like a board)\b",
            r"\b(?:pain|hurts?|hurting|ache|swollen|swelling)\b(?: \w+){0,4} (?:testic\w*|testicles?|balls|scrotum)\b"
            r".{0,80}\b(?:sudden\w*|woke|vomit\w*|sick|severe|terrible|horrible|agony|hours?|swollen)\b",
            r"\bsudden\w*\b.{0,40}\b(?:testic\w*|testicles?|scrotum)\b",
            r"\b(?:stomach|abdominal|belly|tummy) pain\b(?: \w+){0,8} (?:cant (?:stand|move|walk|sit)|doubled over|"
            r"screaming|worst|unbearable|excruciating)\b",
        )),
        unless=rx(r"\b(?:period|periods|menstrual|every month|monthly|time of the month|ibs|gas|wind|trapped wind|"
                  r"after (?:eating|dinner|lunch|a meal)|hungover|gym|workout|crunches|sit ?ups)\b"),
    ),
]  # fmt: skip

# --- Added for phrasings the first rules missed (third person, slang, conditions without a rule) -------

CRISIS_EXTRA: list[Rule] = [
    Rule(
        "suicide-slang", CRISIS, "suicide",
        rx(_any(
            r"\bunaliv\w*", r"\bsewer ?slide\b", r"\bsewerslid\w*", r"\bsu[i1]c[i1]de?\b", r"\bs[u\*]ic[i\*]de\b",
            r"\boff (?:myself|my self)\b", r"\bctb\b", r"\bkys\b", r"\b(?:sleep|rest) forever\b",
            r"\b(?:disappear|vanish|be gone) (?:forever|for good|permanently)\b", r"\bnot (?:be )?(?:here|around) tomorrow\b",
            r"\b(?:wants?|wanted|wanting) to (?:die|end (?:it|his life|her life|their life|things))\b",
            r"\b(?:says|said|keeps saying|told me|texted|posted) (?:that )?(?:he|she|they) (?:wants?|wanted|is going|was going|"
            r"doesnt want|does not want|didnt want) to (?:die|kill|end|live|be here|be alive)\b",
            r"\b(?:posted|sent|texted|wrote) (?:a |his |her |their )?goodbye\b",
            r"\b(?:has|got|bought|found|with) (?:a |his |her |their |my dads |my moms )?(?:gun|rifle|pistol|rope)\b.{0,60}"
            r"\b(?:die|dead|end|kill|anymore|not want|doesnt want|be here|goodbye|over)\b",
        )), soft=False, past=False,
    ),
    Rule(
        "self-harm-slang", CRISIS, "self_harm",
        rx(_any(r"\brelaps\w* (?:on |with )?sh\b", r"\bsh (?:urges?|again|relapse)\b", r"\bcut(?:ting)? again\b",
                r"\b(?:is|has been|keeps|started|been) (?:cutting|burning|hurting|harming) (?:himself|herself|themselves)\b")),
        soft=False,
    ),
    Rule(
        "danger-abuse-other", CRISIS, "danger_abuse",
        rx(_any(
            r"\b(?:he|she|my (?:\w+ )?(?:dad|stepdad|stepfather|husband|boyfriend|father|brother|uncle|mom|mum|stepmom|"
            r"partner))\b(?: \w+){0,4} (?:hits|beats|chokes|strangles|punches|kicks|slaps|is hitting|is beating|is choking) "
            r"(?:her|him|my|them|the)\b",
        )),
    ),
    # Spanish
    Rule(
        "es-suicidio", CRISIS, "suicide",
        rx(_any(
            r"\b(?:quiero|quisiera|me quiero|tengo ganas de|ganas de|pienso en|pensando en|voy a|deseo|me gustaria) "
            r"(?:morir(?:me)?|matarme|suicidarme|quitarme la vida|desaparecer para siempre|dejar de existir|"
            r"dormir(?:me)? y no despertar|no despertar)\b",
            r"\bme (?:voy a|quiero) (?:matar|morir|suicidar|quitar la vida)\b",
            r"\bya no (?:quiero|quiere|quieren) (?:vivir|seguir viviendo|estar aqui|seguir aqui|existir|despertar)\b",
            r"\b(?:todos|todo el mundo|mi familia) (?:estarian|estaria|estarán|van a estar) mejor sin mi\b",
            r"\b(?:quitarse|quitarme|quitarte) la vida\b", r"\bsuicid(?:arme|arse|arte|ar|a)\b",
            r"\b(?:se|me|te) quiere(?:n)? (?:morir|matar|suicidar)\b", r"\bdice que se quiere (?:morir|matar)\b",
            r"\bno (?:le|me) (?:encuentro|veo|encuentra|ve) sentido a (?:la vida|vivir|nada)\b",
            r"\b(?:carta|cartas|mensaje) de despedida\b",
        )),
        unless=rx(r"\bmorir(?:me)? de (?:risa|verguenza|hambre|sueno|calor|frio|aburrimiento|amor|envidia|ganas|cansancio)\b"),
        soft=False, lang="es",
    ),
    Rule(
        "es-autolesion", CRISIS, "self_harm",
        rx(_any(r"\b(?:volvi|volvio) a cortarme\b", r"\bcortarme\b", r"\bautolesi\w*",
                r"\bme (?:corto|corte|estoy cortando|quemo|queme|lastimo|lastime) (?:a proposito|los brazos|las piernas|"
                r"las munecas|la muneca|otra vez|de nuevo|para sentir)\b",
                r"\bse (?:corta|esta cortando|lastima|quema) (?:los brazos|las piernas|a proposito|otra vez)\b")),
        soft=False, lang="es",
    ),
    Rule(
        "es-medios-letales", CRISIS, "lethal_means",
        rx(_any(
            r"\b(?:cuantas|cuantos|cuanta|cuanto)\b.{0,50}\b(?:para (?:morir|matarme|no despertar|quitarme la vida|matar)|"
            r"(?:es|son|seria|serian) (?:mortal|mortales|letal|letales))\b",
            r"\b(?:dosis|cantidad) (?:mortal|letal)\b", r"\b(?:forma|manera|modo) (?:mas )?(?:facil|rapida|indolora|sin dolor)"
            r" de (?:morir|matarme|suicidarme|quitarme la vida)\b",
        )), soft=False, past=False, lang="es",
    ),
    Rule(
        "es-violencia", CRISIS, "danger_abuse",
        rx(_any(
            r"\b(?:me|le|nos|la|lo) (?:pega|golpea|ahorca|patea|amenaza|pego|golpeo|ahorco|pateo|amenazo|violo|viola|"
            r"abusa|abuso|maltrata) (?:cuando|todos|siempre|otra|a mi|mucho|y|con|si|de)\b",
            r"\b(?:me|nos) (?:tiene|tienen) encerrad[oa]s?\b", r"\bme quito el (?:celular|telefono)\b",
            r"\b(?:me|la|lo) (?:violaron|viola|violo|abusaron)\b", r"\bmiedo (?:de|a) que me mate\b",
            r"\bamenaz\w* con matar(?:me|nos|la|lo)\b", r"\bviolencia domestica\b.{0,40}\b(?:me|mi|estoy)\b",
            r"\b(?:mi|su) (?:esposo|marido|pareja|novio|padrastro|papa|ex) (?:me|le|la|lo|nos) (?:pega|golpea|ahorca|pego|"
            r"golpeo|ahorco)\b",
        )), lang="es",
    ),
    Rule(
        "es-danar-a-otros", CRISIS, "harm_others",
        rx(r"\b(?:voy a|quiero|tengo ganas de|pienso) (?:matar|lastimar|apunalar|envenenar) a (?:alguien|mi|ese|esa|"
           r"todos|mis)\b(?!.{0,20}\b(?:jaja|jk|broma)\b)"),
        lang="es",
    ),
]  # fmt: skip

ES_CHEST = (
    r"\b(?:dolor (?:muy )?(?:fuerte |intenso |horrible )?(?:en el|de|del) pecho|me duele (?:mucho |muchisimo )?"
    r"el pecho|le duele (?:mucho |muchisimo )?el pecho|(?:opresion|presion|apreton|peso) en el pecho|"
    r"pecho (?:apretado|oprimido))\b"
)
EMERGENCY_EXTRA: list[Rule] = [
    Rule(
        "diabetic-emergency", EMERGENCY, "diabetic_emergency",
        rx(_any(
            r"\b(?:dka|ketoacidosis|ketones? (?:high|very high|large|are high|off the chart))\b",
            r"\bfruity (?:breath|smell)\b", r"\b(?:blood )?sugar\b(?: \w+){0,4} (?:high|hi|over \d+|reads hi)\b.{0,60}"
            r"\b(?:vomit\w*|throwing up|breathing (?:fast|deep|hard)|confused|drowsy|wont wake)\b",
            r"\b(?:low|hypo|sugar)\b.{0,40}\b(?:cant swallow|unconscious|wont wake|passed out|fitting|seizure|unresponsive|"
            r"too confused)\b",
        )),
    ),
    Rule(
        "heat-stroke", EMERGENCY, "heat_stroke",
        rx(_any(
            r"\bheat ?stroke\b", r"\b(?:heat|sun|hot|hiking|running|working outside|football|practice)\b.{0,80}\b(?:confused|"
            r"collapsed|passed out|not making sense|stopped sweating|isnt sweating|slurring|fitting)\b",
            r"\b(?:104|105|106|40|41|42)(?: f| degrees| c|f|c)?\b.{0,40}\b(?:confused|collapsed|not sweating|dry skin)\b",
        )),
        unless=rx(r"\bheat ?stroke (?:prevention|tips|season)\b"),
    ),
    Rule(
        "carbon-monoxide", EMERGENCY, "overdose_poisoning",
        rx(_any(r"\b(?:carbon monoxide|co alarm|co detector|co2 alarm)\b.{0,80}\b(?:going off|beeping|headache|dizzy|sick|"
                r"vomit\w*|sleepy|drowsy|confused|passed out)\b",
                r"\b(?:headaches?|dizzy|nause\w*|sleepy)\b.{0,80}\b(?:carbon monoxide|co alarm|co detector)\b")),
    ),
    Rule(
        "paracetamol-count", EMERGENCY, "overdose_poisoning",
        rx(r"\b(?:took|taken|swallowed|ate|had)\b(?: \w+){0,2} (?:\d{2,}|twenty|thirty|forty|fifty|a whole (?:bottle|packet|"
           r"box)|the whole (?:bottle|packet|box)) (?:\w+ ){0,3}(?:tylenol|paracetamol|acetaminophen|pills|tablets|advil|"
           r"ibuprofen|aspirin|sleeping pills|benadryl)\b"),
    ),
    Rule(
        "gi-bleeding", EMERGENCY, "bleeding",
        rx(_any(r"\b(?:black|tarry|tar like|maroon) (?:stool|stools|poop|poo)\b.{0,80}\b(?:faint\w*|dizzy|passed out|"
                r"collapsed|pale|weak|light ?headed)\b",
                r"\b(?:faint\w*|dizzy|passed out|collapsed)\b.{0,80}\b(?:black|tarry) (?:stool|stools|poop|poo)\b",
                r"\b(?:vomit\w*|throwing up|threw up|coughing up) (?:blood|what looks like coffee grounds)\b")),
    ),
    Rule(
        "infant-meningitis", EMERGENCY, "meningitis_sepsis",
        rx(r"\b(?:soft spot|fontanelle)\b(?: \w+){0,4} (?:bulging|bulges|swollen|puffed|sticking out|raised)\b|"
           r"\b(?:bulging|swollen) (?:soft spot|fontanelle)\b"),
    ),
    Rule(
        "pregnancy-named", EMERGENCY, "pregnancy",
        rx(_any(r"\b(?:pre ?eclampsia|ectopic)\b(?: \w+){0,6} (?:symptoms now|signs now|right now|i think|could (?:it|this) "
                r"be|am i having|having|headache|vision|pain|bleeding)",
                r"\b(?:missed|late) (?:my )?period\b.{0,80}\b(?:one side|shoulder|faint\w*|passed out|dizzy)\b")),
    ),
    Rule(
        "testicle-lay", EMERGENCY, "severe_pain",
        rx(r"\b(?:ball|balls|nut|nuts|testicle|testicles)\b.{0,60}\b(?:suddenly|out of nowhere|really bad|so bad|swollen|"
           r"throwing up|vomit\w*|agony|high up|killing him|killing me)\b"),
        unless=rx(r"\b(?:basketball|football|soccer|baseball|ball game|playing ball|tennis ball|meatball)\b"),
    ),
    Rule(
        "stroke-sudden-arm", EMERGENCY, "stroke",
        rx(r"\b(?:suddenly|all of a sudden)\b(?: \w+){0,4} (?:cant|cannot|can not|unable to) (?:lift|raise|move|feel) "
           r"(?:his|her|their|my|one|the|an?) (?:arm|arms|leg|hand|side)\b"),
        soft=False,
    ),
    # Spanish
    Rule("es-infarto", EMERGENCY, "heart_attack", rx(ES_CHEST),
         also=rx(r"\b(?:brazo|mandibula|quijada|espalda|cuello|sud\w*|sudor|frio|respirar|aire|nause\w*|vomit\w*|mare\w*|"
                 r"fuerte|mucho|muchisimo|aplast\w*|aprieta|infarto|desmay\w*)\b"), lang="es"),
    Rule("es-infarto-nombrado", EMERGENCY, "heart_attack",
         rx(r"\b(?:(?:me|le) esta dando|tengo|tiene|esta teniendo|creo que es) un (?:infarto|ataque al corazon|paro)\b"),
         lang="es"),
    Rule("es-derrame", EMERGENCY, "stroke",
         rx(_any(r"\b(?:cara|boca|sonrisa) (?:caida|chueca|torcida|de lado|dormida)\b",
                 r"\bse le (?:cayo|cae|torcio|tuerce|chueco) (?:la cara|la boca|un lado|el labio)\b",
                 r"\bhabla (?:arrastrad[ao]|enredad[ao]|rar[ao]|trabad[ao]|mocha)\b|\bno (?:puede|puedo) hablar bien\b",
                 r"\b(?:no (?:puede|puedo) (?:mover|levantar|sentir)|no (?:le|me) (?:funciona|responde)) (?:el|un|su|mi|la) "
                 r"(?:brazo|lado|pierna|mano)\b",
                 r"\b(?:le|me) (?:esta dando|dio|dando) un (?:derrame|ictus|embolia|ataque cerebral)\b")), lang="es"),
    Rule("es-respirar", EMERGENCY, "breathing",
         rx(_any(r"\bno (?:puedo|puede|pueden|podia|podemos) respirar\b", r"\b(?:me|se|le) (?:esta )?(?:ahoga|ahogo|ahogando)\b",
                 r"\bno respiro\b(?! bien)", r"\b(?:me|se) (?:esta )?asfixi\w*\b|\basfixiandome\b",
                 r"\blabios (?:morados|azules|moraditos)\b", r"\bse (?:esta )?poniendo (?:morad[oa]|azul)\b",
                 r"\bno le entra (?:el )?aire\b", r"\bme falta (?:mucho )?el aire\b.{0,40}\b(?:no puedo|labios|hablar|pecho)\b")),
         unless=rx(r"\bahogar (?:las|mis) penas\b|\brespir\w*(?: \w+){0,2} (?:por|x) la nariz\b|\bnariz tapada\b|"
                   r"\bmocos\b"), lang="es"),
    Rule("es-atragantamiento", EMERGENCY, "choking",
         rx(r"\b(?:se (?:esta )?atragant\w*|atragantad[oa]|se le atoro|se atoro)\b"), lang="es"),
    Rule("es-sangrado", EMERGENCY, "bleeding",
         rx(_any(r"\b(?:sangr\w*|sangre)\b.{0,40}\b(?:no (?:para|se detiene|deja de)|a chorros|much[oa]|muchisim[oa])\b",
                 r"\bvomit\w* sangre\b", r"\b(?:heces|popo|caca|excremento|evacuaciones) negr\w*\b.{0,60}\b(?:desmay\w*|"
                 r"mare\w*|palid\w*|debil)\b")), lang="es"),
    Rule("es-anafilaxia", EMERGENCY, "anaphylaxis",
         rx(_any(r"\b(?:se (?:me|le)|me|le) (?:esta )?(?:hinchando|hincho|hinchan|cerrando|cierra) (?:la garganta|los labios|"
                 r"la lengua|la cara|los ojos)\b", r"\bgarganta (?:cerrada|se (?:me|le) cierra)\b",
                 r"\b(?:reaccion alergica|alergia|picadura|pico una abeja)\b.{0,60}\b(?:respirar|garganta|labios|lengua|"
                 r"hinch\w*)\b")), lang="es"),
    Rule("es-inconsciente", EMERGENCY, "unresponsive",
         rx(r"\bno (?:despierta|responde|reacciona|respira)\b|\b(?:esta|quedo) inconsciente\b"), lang="es"),
    Rule("es-convulsion", EMERGENCY, "seizure",
         rx(r"\b(?:convulsion\w*|convulsiona\w*|esta convulsionando|ataque epileptico)\b"),
         also=rx(r"\b(?:no (?:para|se detiene|despierta)|primera vez|minutos|ahora|ahorita|esta|otra)\b"), lang="es"),
    Rule("es-cabeza", EMERGENCY, "thunderclap_headache",
         rx(r"\b(?:el )?peor dolor de cabeza de (?:mi|su) vida\b|\bdolor de cabeza (?:de golpe|repentino|explosivo|"
            r"como un trueno)\b"), lang="es"),
    Rule("es-golpe-cabeza", EMERGENCY, "head_injury",
         rx(r"\b(?:golpe (?:en|de) la cabeza|se (?:pego|golpeo|dio) (?:en|un golpe en) la cabeza|se cayo\b.{0,40}"
            r"\bcabeza)\b"),
         also=rx(r"\b(?:vomit\w*|confund\w*|no despierta|desmay\w*|convuls\w*|anticoagul\w*|sangr\w* (?:por|del) (?:la "
                 r"nariz|el oido)|dormid[oa]|raro)\b"), lang="es"),
    Rule("es-sobredosis", EMERGENCY, "overdose_poisoning",
         # "Una sobredosis", or one de un fármaco: "sobredosis de netflix" is left to the classifier to judge.
         rx(_any(r"\bsobredosis\b(?! de\b)", rf"\bsobredosis de (?:\w+ ){{0,2}}{DRUG_ES}\b", r"\bmonoxido\b",
                 r"\bse (?:tomo|trago|bebio|comio) (?:un frasco|todas? las?|tod[oa]s?|\d+|muchas|varias|un monton de|una caja)"
                 r"\b.{0,30}\b(?:pastillas|pildoras|tabletas|tylenol|paracetamol|cloro|pila|bateria|veneno|medicin\w*)\b",
                 r"\b(?:se trago|se comio|se tomo) (?:una |un )?(?:pila|bateria|iman|imanes|cloro|detergente|veneno|"
                 r"limpiador)\b", r"\bme tome (?:\d+|tod[oa]s?|un frasco|muchas)\b.{0,20}\b(?:pastillas|tylenol|"
                 r"paracetamol|tabletas|pildoras)\b")), lang="es"),
    Rule("es-embarazo", EMERGENCY, "pregnancy",
         rx(r"\b(?:sangr\w*|dolor (?:muy )?fuerte|no se mueve|no (?:lo|la) siento mover|lucecitas|vision borrosa|"
            r"convulsi\w*|se me rompio la fuente)\b"),
         also=rx(r"\b(?:embarazada|embarazo|semanas de embarazo|bebe|panza)\b"), lang="es"),
    Rule("es-dolor-severo", EMERGENCY, "severe_pain",
         rx(_any(r"\b(?:testiculo|huevo|huevos|bolas|escroto)\b.{0,60}\b(?:de repente|muchisimo|hinchad\w*|vomit\w*|"
                 r"insoportable)\b", r"\bdolor (?:insoportable|terrible|horrible|muy fuerte|desgarrador) (?:de|en (?:la|el)) "
                 r"(?:panza|barriga|estomago|abdomen|espalda)\b")), lang="es"),
    Rule("es-diabetes", EMERGENCY, "diabetic_emergency",
         rx(_any(r"\bcetoacidosis\b", r"\baliento (?:a|como) fruta\b",
                 r"\b(?:hipoglucemia|azucar (?:muy )?baja|bajon de azucar)\b.{0,60}\b(?:confund\w*|no (?:puede|responde|"
                 r"despierta)|desmay\w*|convuls\w*)\b",
                 r"\bazucar (?:muy |altisima|por las nubes|alta)\b.{0,60}\b(?:vomit\w*|respira|confund\w*)\b")), lang="es"),
    Rule("es-golpe-de-calor", EMERGENCY, "heat_stroke",
         rx(r"\bgolpe de calor\b|\b(?:sol|calor)\b.{0,60}\b(?:confundid\w*|desmay\w*|no suda|dejo de sudar|delira\w*)\b"),
         lang="es"),
    Rule("es-trauma", EMERGENCY, "trauma_burns",
         rx(_any(r"\baccidente (?:de|en) (?:carro|coche|moto|auto|trafico)\b.{0,60}\b(?:sangr\w*|no se mueve|"
                 r"inconsciente|atrapad\w*|no responde)\b",
                 r"\bse cayo (?:de|desde) (?:el techo|una escalera|el segundo piso|un andamio|la azotea|un puente)\b",
                 r"\bquemadura\w* (?:grave|graves|grande|grandes|electrica\w*|de tercer)\b",
                 r"\bse quemo (?:toda|todo|la cara|con aceite|con agua hirviendo)\b")), lang="es"),
]  # fmt: skip

# Crisis rules first (a crisis message may also mention an overdose); then the rules for specific conditions
# (heat stroke, diabetic emergencies...) before the general ones, so the answer's first steps fit.
RULES = (
    CRISIS_EXTRA
    + [rule for rule in RULES if rule.cls == CRISIS]
    + EMERGENCY_EXTRA
    + [rule for rule in RULES if rule.cls != CRISIS]
)

ES_AVOIDING_CARE = rx(
    r"\b(?:no (?:tengo|tenemos|tiene) (?:seguro|dinero|papeles|aseguranza)|(?:la ambulancia|el hospital) (?:es|sale|cuesta)"
    r"|ya (?:estoy|esta|me siento|se siente) (?:bien|mejor)|que (?:puedo|le puedo|podemos) (?:tomar|dar|hacer) en casa|"
    r"remedio\w* casero\w*|no quiero (?:llamar|ir|que llames)|esperar (?:a ver|hasta manana)|olvidalo|era (?:broma|chiste)|"
    r"no me des (?:numeros|telefonos)|solo dime)\b"
)

# --- Follow-ups that close an escalation: help is coming or here, or thanks -----------------------
# After an emergency or crisis answer, "ok I called 911, they're on the way" read with the turns before it
# scores as an emergency: the danger is in the earlier turns, and this message says care is under way. When
# only that joined reading fires (not the message alone, not a rule), such a message is not escalated again
# (triage.py records it as a near miss for the moderators). Never when it also avoids care or says it is worse.

_HELP = (
    r"(?:911|999|112|000|988|061|them|em|an ambulance|the ambulance|poison control|the poison center|the crisis line|"
    r"the lifeline|the hotline|emergency|emergencies|the police|my doctor|his doctor|her doctor)"
)
CARE_UNDER_WAY = rx(
    _any(
        r"\b(?:called|rang|phoned|dialed|dialled|texted|contacted)\b(?: \w+){0,3} " + _HELP + r"\b",
        r"^\W*(?:ok |okay |done |yes |yeah |yep )?(?:i |we )?(?:just )?(?:called|texted|done)\b",
        r"\b(?:ambulance|ambulances|paramedics|medics|emts?|help|fire truck|firefighters|police|they|theyre|911|"
        r"the crisis team|the mobile crisis team|dispatch\w*)\b(?: \w+){0,4} (?:on (?:the|their|its|his|her) way|coming|"
        r"comin|here|arrived|almost here|got here|pulled up|came|sending|sendin)\b",
        r"\b(?:on (?:the|our) way to|headed to|heading to|headin to|driving (?:us|me|him|her|them) to|in the ambulance|"
        r"at the|were at|were in|im at|im in|admitted (?:to|at))\b(?: \w+){0,2} (?:er|hospital|emergency room|a and e|"
        r"a e|emergency department|ed|urgent care|icu)\b",
        r"\b(?:talked|spoke|texted|chatted|talking|speaking) (?:to|with) (?:988|someone|somebody|a counsell?or|"
        r"the lifeline|the crisis line|my therapist|my counsell?or|my doctor|a nurse|them)\b",
        r"\b(?:im|i am|were|we are) (?:with|at) (?:my|a) \w+(?: \w+)?(?:s place| house| now)\b",
        r"\b(?:(?:is|are|s|re) (?:here )?with me(?: now| tonight)?|not alone (?:any ?more|now)|staying with (?:him|her|them|my "
        r"\w+)(?: tonight)?)\b",
        r"\b(?:esta|estan) (?:aqui )?conmigo\b|\bya no estoy sol[oa]\b|\bse (?:va a )?queda(?:r)? conmigo\b",
        r"^\W*(?:ok |okay |alright )?(?:thank you|thanks|thank u|thx|ty|got it|will do|ok|okay)"
        r"(?: so much| very much| i will| for (?:the|your) help| for helping)?\W*$",
        # Spanish (normalised: no accents)
        r"\b(?:llame|llamamos|llamo|llamaron|marque|marcamos|hable|hablamos|hablo|escribi|contacte)\b(?: \w+){0,3} "
        r"(?:al? )?(?:911|112|988|061|024|emergencias|urgencias|la ambulancia|toxicologia|la linea|el samur|los bomberos|"
        r"la policia|su (?:doctor|medico)|mi (?:doctor|medico|terapeuta|psicologa?))\b",
        r"\b(?:ambulancia|paramedicos|bomberos|samur|la ayuda|ya)\b(?: \w+){0,4} (?:viene|vienen|llego|llegaron|"
        r"esta aqui|estan aqui|en camino|de camino|ya esta|ya estan|ya vienen)\b",
        r"\b(?:estamos|estoy|vamos|voy|van|ya estamos|lo llevamos|la llevamos|nos llevan|lo llevan|la llevan) "
        r"(?:en|camino a|rumbo a|para|pa|a)(?: el| la| las)? (?:urgencias|emergencias|hospital|sala de emergencias?|"
        r"clinica|er)\b",
        r"^\W*(?:ok |vale |bueno )?(?:gracias|muchas gracias|mil gracias|listo|dale|sale|entendido|ok)"
        r"(?: por (?:la|tu) ayuda)?\W*$",
    )
)
WORSE = rx(
    r"\b(?:worse|worst|not breathing|stopped breathing|cant breathe|cant wake|wont wake|unconscious|passed out|"
    r"turning blue|gone blue|went blue|more blood|still bleeding|peor|empeor\w*|no respira|dejo de respirar|"
    r"se desmayo|no despierta|se puso morad\w*|sigue sangrando)\b"
)


def care_under_way(message: str, lang: str | None = None) -> bool:
    """Whether a follow-up says help is coming or here, or only thanks, and nothing that avoids care or worsens."""
    text = normalise(message)
    if not CARE_UNDER_WAY.search(text) or WORSE.search(text):
        return False
    return not (AVOIDING_CARE.search(text) or ES_AVOIDING_CARE.search(text))


# --- Follow-ups that avoid care, after an escalation ---------------------------------------------

AVOIDING_CARE = rx(
    _any(
        r"\b(?:ambulance|hospital|er|a and e|a e|emergency room|emergency department|911|999|112|000|paramedics|doctor|"
        r"call(?:ing)?)\b(?: \w+){0,8} (?:costs?|expensive|afford|money|insurance|bill|pay|dont want|do not want|rather not|"
        r"not going|wont go|too far|no way|scared|embarrass\w*|overreact\w*|fuss|waste)\b",
        r"\b(?:cant|cannot) afford\b",
        r"\bno (?:insurance|money|car)\b",
        r"\b(?:dont|do not|doesnt) have (?:insurance|money|a car|cover|health insurance)\b",
        r"\bcan (?:i|we|he|she) just\b",
        r"\b(?:not going to|wont|will not|dont want to|refuse to) (?:call|ring|phone|contact|talk to|see|go to) "
        r"(?:anyone|anybody|them|a doctor|an ambulance|the hospital|hospital|911|999|112|000|the crisis line|a helpline)\b",
        r"\b(?:dont|do not) (?:give|send) me (?:any )?(?:more )?(?:numbers|phone numbers|hotlines|helplines)\b",
        r"\btell me (?:it|itll|it will) (?:be|is) (?:ok|okay|fine|alright)\b",
        r"\b(?:can we|lets) (?:just )?talk about\b",
        r"\b(?:talk about|change the subject|something else) instead\b",
        r"\b(?:at home|home remed\w*|home treatment|natural remed\w*)\b",
        r"\bwhat (?:can|should|could) (?:i|we|he|she) (?:take|give|do) (?:instead|at home|for it|now)?\b",
        r"\bis there (?:a|something|anything) (?:i|we) can (?:take|do|give)\b",
        r"\b(?:sleep it off|wait (?:it out|and see|until|till|a bit|for a while)|(?:can|could|should) (?:i|we|it|he|she) "
        r"(?:just )?wait)\b",
        r"\b(?:instead of|without) (?:going|calling|seeing)\b",
        r"\b(?:ill|i will|hell|shell|well) be (?:fine|ok|okay|alright)\b",
        r"\b(?:im|i am|i feel|feel|hes|shes|seems?) (?:fine|ok|okay|better|alright) now\b",
        r"\b(?:its|it has|its) (?:passed|gone|settled|eased)\b",
        r"\bgone (?:now|away)\b",
        r"\bdont want to (?:call|go|tell|bother|make a fuss)\b",
        r"\bjust (?:tell me|answer)\b",
        r"\bforget (?:it|i said)\b",
        r"\b(?:never ?mind|nevermind|i was joking|just kidding)\b",
        r"\b(?:its|it is|im|i am|everything is|everythings|all|were|we are) (?:fine|ok|okay|alright|good)\b",
        r"\b(?:my|its my) (?:own )?fault\b",
        r"\bjust (?:tired|stressed|joking|venting|a bad day)\b",
        r"\blol\b",
    )
)

# --- Not about health -----------------------------------------------------------------------------

NOT_HEALTH = rx(
    r"\b(?:write (?:me )?(?:a |an )?(?:poem|story|song|essay|haiku|limerick|code|script|function|program|cover letter|"
    r"email|speech)|python|javascript|typescript|java|sql|html|css|regex|coding|programming|recipe|bake|baking|"
    r"weather|forecast|stocks?|crypto\w*|bitcoin|invest\w*|football|soccer|basketball|baseball|cricket|world cup|"
    r"election|president|prime minister|capital of|translate|movie recommendation|book recommendation|recommend a "
    r"(?:book|novel|film|movie|series|laptop|phone)|travel|holiday|vacation|flight|hotel|homework|algebra|equation|"
    r"square root|chess|guitar|piano|laptop|smartphone|tyre|tire|oil change|wifi|router|password|joke|riddle|trivia)\b"
)
HEALTH_HINT = rx(
    r"\b(?:health|healthy|medical|medicine|medication|drug|pill|doctor|nurse|hurt|sick|ill|symptom|disease|"
    r"injur\w*|fever|cough|rash|blood|heart|breath\w*|sleep|tired|stress|anxi\w*|depress\w*|diet|weight|vitamin|"
    r"allerg\w*|pregnan\w*|baby|bone|muscle|skin|infection|vaccine|hospital|calories|nutrition|exercise|"
    r"posture|eyes?|ears?|wrists?|back|neck|headache|pain\w*|swell\w*|swollen|sore|aches?|aching|numb|itch\w*|"
    r"dizz\w*|nause\w*|vomit\w*|jet ?lag|ankles?|knees?|legs?|feet|chest|stomach|throat)\b"
)


def _match_rules(text: str, lang: str = "en") -> Triage:
    ctx = CONTEXT[lang]
    for rule in RULES:
        if rule.lang not in ("", lang) or (rule.unless is not None and rule.unless.search(text)):
            continue
        found = _live_match(rule.pattern, text, ctx)
        if found is None:
            continue
        if rule.also is not None and _live_match(rule.also, text, ctx) is None:
            continue
        if (rule.past and _in_past(text, ctx)) or (rule.soft and _educational(text, ctx)):
            continue
        return Triage(rule.cls, rule.category, rule.name, lang)
    return NOTHING


SPANISH_MARKERS = rx(
    r"\b(?:el|la|los|las|de|del|que|y|en|mi|mis|me|se|le|no|es|esta|estoy|tengo|tiene|por|para|con|muy|pero|"
    r"puedo|puede|quiero|hijo|hija|esposo|esposa|mama|papa|dolor|duele|ayuda|ahora|porque|como|cuando|todo|nada|"
    r"vida|morir|respirar|pecho|cabeza|sangre|bebe|nino|nina|hermano|hermana|abuela|abuelo|ya|solo|tambien|estar)\b"
)
ENGLISH_MARKERS = rx(
    r"\b(?:the|and|i|im|my|is|it|to|of|in|you|he|she|his|her|have|has|cant|dont|with|for|this|that|what|"
    r"was|are|can|not|be|me|him|help|pain|now|just|want|feel|after|from|like|really)\b"
)


def detect_language(message: str) -> str:
    """ "es" or "en": whichever language's common words a message uses more (Spanish punctuation and letters
    count double). English on a tie: most messages are."""
    text = message.lower()
    marks = sum(text.count(ch) for ch in "\u00bf\u00a1\u00f1")
    text = normalise(message)
    es = len(SPANISH_MARKERS.findall(text)) + 2 * marks
    en = len(ENGLISH_MARKERS.findall(text))
    return "es" if es > en else "en"


def earlier_escalation(history: list[tuple[str, str]] | None) -> Triage | None:
    """The rules' verdict on the latest of the thread's recent user messages that they escalate, if any."""
    earlier = [content for role, content in (history or []) if role == "user"][-6:]
    for content in reversed(earlier):
        found = _match_rules(normalise(content), detect_language(content))
        if found.escalates:
            return found
    return None


def match(message: str, history: list[tuple[str, str]] | None = None, lang: str | None = None) -> Triage:
    """The rules' verdict on a new message, given the thread's earlier (role, content) messages, oldest first."""
    lang = lang or detect_language(message)
    text = normalise(message)
    found = _match_rules(text, lang)
    if found.escalates:
        return found
    # Persistence: after an escalation, a message that avoids care escalates again. The earlier messages are
    # only read when this one avoids care (reading them is most of a triage's work).
    if AVOIDING_CARE.search(text) or (lang == "es" and ES_AVOIDING_CARE.search(text)):
        last = earlier_escalation(history)
        if last is not None:
            return Triage(last.cls, "persistence", f"persistence-after-{last.rule}", lang)
    if lang == "en" and NOT_HEALTH.search(text) and not HEALTH_HINT.search(text):
        return Triage(OUT_OF_SCOPE, "non_medical", "not-health", lang)
    return Triage(OK, lang=lang)


HYPERBOLE = rx(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|jaja\w*|jeje\w*|xd|jk|just kidding|es broma|era broma|"
    r"(?:dying|dead|die|morir|muero|muriendo) (?:of|from|de) (?:laughter|laughing|boredom|embarrassment|cringe|"
    r"risa|verguenza|hambre|sueno|aburrimiento|cansancio|calor|frio|pena|amor)|could (?:kill|murder) (?:for|a)|"
    r"mataria por)\b|\U0001f480|\U0001f602|\U0001f923|\U0001f62d"
)


def framing(message: str, lang: str | None = None) -> str:
    """How a message frames what it mentions, when it plainly is not someone's danger now: "education" (a
    question about a subject, a hypothetical), "past" (over and done), "joke" (laughter, hyperbole), or ""."""
    lang = lang or detect_language(message)
    text, ctx = normalise(message), CONTEXT[lang]
    if _educational(text, ctx):
        return "education"
    if _in_past(text, ctx):
        return "past"
    if HYPERBOLE.search(message.lower()) or HYPERBOLE.search(text):
        return "joke"
    return ""
