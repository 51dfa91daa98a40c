"""The fixed answers for emergency and crisis turns, in English and Spanish: what to do now first, calm, never a
home remedy.

Emergency answers lead with the emergency number and add only first steps that cannot hurt while help is on
the way. Crisis answers follow safe-messaging practice: warmth, a line to call or text, no methods, no doses.
When the writer is helping someone else ("my dad..."), the answer speaks to the helper ("Call 911 for your dad
now"). Every number comes from the region's settings (regions.py), in the message's language.
"""

from .regions import Region
from .result import CRISIS, EMERGENCY, Triage

# First steps while waiting for help: general, safe, no medicines or doses.
WHILE_YOU_WAIT = {
    "en": {
        "heart_attack": [
            "Stop what you are doing and sit down, leaning on something if you can. Stay as calm and still as "
            "possible.",
            "Unlock the door and keep your phone with you. Do not drive yourself to hospital.",
        ],
        "stroke": [
            "Note the time the signs started: the hospital team will need it.",
            "Do not give food, drink or medicine. Stay with the person and keep them comfortable.",
        ],
        "breathing": [
            "Sit upright, leaning slightly forward, and loosen tight clothing.",
            "If an inhaler has been prescribed, use it as the plan says while you wait; do not wait to see if it "
            "helps before calling.",
        ],
        "choking": [
            "If they can cough, encourage them to keep coughing.",
            "If they cannot cough, speak or breathe, the call handler will guide you through back blows and "
            "abdominal thrusts. Put the phone on speaker.",
        ],
        "bleeding": [
            "Press firmly on the wound with a clean cloth and keep pressing. Do not lift it to look.",
            "If someone is vomiting or coughing blood, keep them sitting up or on their side, and give nothing to "
            "eat or drink.",
        ],
        "anaphylaxis": [
            "If they have an adrenaline auto-injector (such as an EpiPen), use it now, as its instructions say.",
            "Lie them down with legs raised, or sit them up if breathing is hard. Stay with them.",
        ],
        "unresponsive": [
            "Check whether they are breathing. If they are not, the call handler will talk you through CPR.",
            "If they are breathing, put them on their side (the recovery position) and stay with them.",
        ],
        "seizure": [
            "Move hard or sharp things away and cushion their head. Do not hold them down or put anything in their "
            "mouth.",
            "Note the time it started. When the jerking stops, turn them on their side.",
        ],
        "thunderclap_headache": [
            "Lie down somewhere quiet and keep still. Do not drive.",
            "Do not take anything to eat or drink until a clinician has seen you.",
        ],
        "head_injury": [
            "Keep them still and stay with them. Do not let them drive or go to sleep alone.",
            "If they become unresponsive, put them on their side and check their breathing.",
        ],
        "meningitis_sepsis": [
            "Do not wait for a rash or for more symptoms: these illnesses can get worse within hours.",
            "Keep the person warm and stay with them. Tell the call handler what you have seen.",
        ],
        "overdose_poisoning": [
            "Even if they feel fine now, some poisonings do harm hours later. Do not make them vomit.",
            "Keep the packet, bottle or container to show the medical team. If there may be gas or fumes, get "
            "everyone into fresh air first.",
        ],
        "trauma_burns": [
            "For bleeding, press firmly on the wound. Do not move someone who may have hurt their neck or back.",
            "For a burn, cool it under cool running water (not ice) and cover it loosely with cling film or a "
            "clean plastic bag.",
        ],
        "pregnancy": [
            "Do not wait for the bleeding, pain or quiet movements to settle before calling.",
            "Have your maternity notes ready if you have them, and keep someone with you.",
        ],
        "severe_pain": [
            "Do not eat or drink anything for now: you may need treatment quickly.",
            "Keep still in the position that hurts least, and have someone stay with you.",
        ],
        "diabetic_emergency": [
            "If they are awake and can swallow, and you think their sugar is low, give a sugary drink; never give "
            "food or drink to someone who is drowsy or cannot swallow.",
            "Have their meter and their medicines ready to show the call handler.",
        ],
        "heat_stroke": [
            "Move them somewhere cool and shaded, remove extra clothing, and cool their skin with cool water and "
            "a fan.",
            "Do not give anything to drink if they are confused or drowsy.",
        ],
    },
    "es": {
        "heart_attack": [
            "Deja lo que estés haciendo y siéntate, apoyándote en algo si puedes. Quédate lo más tranquilo y "
            "quieto posible.",
            "Quita el seguro de la puerta y ten el teléfono contigo. No manejes tú mismo al hospital.",
        ],
        "stroke": [
            "Anota la hora en que empezaron las señales: el equipo del hospital la necesitará.",
            "No le des comida, bebida ni medicinas. Quédate con la persona y mantenla cómoda.",
        ],
        "breathing": [
            "Siéntate derecho, un poco inclinado hacia adelante, y afloja la ropa apretada.",
            "Si te recetaron un inhalador, úsalo como dice tu plan mientras esperas; no esperes a ver si funciona "
            "para llamar.",
        ],
        "choking": [
            "Si puede toser, anima a la persona a seguir tosiendo.",
            "Si no puede toser, hablar ni respirar, la persona que atienda la llamada te guiará con golpes en la "
            "espalda y compresiones abdominales. Pon el teléfono en altavoz.",
        ],
        "bleeding": [
            "Presiona con fuerza la herida con un paño limpio y no dejes de presionar. No lo levantes para mirar.",
            "Si alguien vomita o tose sangre, mantenlo sentado o de lado, y no le des nada de comer ni de beber.",
        ],
        "anaphylaxis": [
            "Si tiene un autoinyector de adrenalina (como un EpiPen), úsalo ahora, como indican sus instrucciones.",
            "Acuesta a la persona con las piernas levantadas, o siéntala si le cuesta respirar. Quédate con ella.",
        ],
        "unresponsive": [
            "Mira si respira. Si no respira, la persona que atienda la llamada te guiará para hacer RCP.",
            "Si respira, ponla de lado (posición de recuperación) y quédate con ella.",
        ],
        "seizure": [
            "Aparta las cosas duras o con filo y protégele la cabeza. No la sujetes ni le pongas nada en la boca.",
            "Anota la hora en que empezó. Cuando paren las sacudidas, ponla de lado.",
        ],
        "thunderclap_headache": [
            "Acuéstate en un lugar tranquilo y no te muevas. No manejes.",
            "No comas ni bebas nada hasta que te vea un profesional de salud.",
        ],
        "head_injury": [
            "Mantén quieta a la persona y quédate con ella. No dejes que maneje ni que duerma sola.",
            "Si deja de responder, ponla de lado y comprueba que respira.",
        ],
        "meningitis_sepsis": [
            "No esperes a que salga un sarpullido ni a que aparezcan más síntomas: estas enfermedades pueden "
            "empeorar en horas.",
            "Mantén a la persona abrigada y quédate con ella. Cuenta a quien atienda la llamada lo que has visto.",
        ],
        "overdose_poisoning": [
            "Aunque ahora se sienta bien, algunos envenenamientos hacen daño horas después. No le hagas vomitar.",
            "Guarda el paquete, el frasco o el envase para enseñarlo al equipo médico. Si puede haber gas o humo, "
            "saca primero a todos al aire libre.",
        ],
        "trauma_burns": [
            "Si sangra, presiona con fuerza la herida. No muevas a alguien que pueda tener lesionado el cuello o "
            "la espalda.",
            "Si es una quemadura, enfríala con agua corriente fresca (no hielo) y cúbrela sin apretar con film "
            "transparente o una bolsa de plástico limpia.",
        ],
        "pregnancy": [
            "No esperes a que el sangrado, el dolor o los movimientos del bebé mejoren para llamar.",
            "Ten a mano tus papeles del control del embarazo si los tienes, y que alguien se quede contigo.",
        ],
        "severe_pain": [
            "No comas ni bebas nada por ahora: puede que necesites tratamiento rápido.",
            "Quédate quieto en la postura que menos duela, y que alguien se quede contigo.",
        ],
        "diabetic_emergency": [
            "Si está despierta, puede tragar y crees que tiene el azúcar baja, dale una bebida azucarada; nunca des "
            "comida ni bebida a alguien adormilado o que no puede tragar.",
            "Ten a mano su glucómetro y sus medicinas para enseñarlos a quien atienda la llamada.",
        ],
        "heat_stroke": [
            "Lleva a la persona a un lugar fresco y a la sombra, quítale ropa de más y refresca su piel con agua "
            "fresca y aire.",
            "No le des de beber si está confundida o adormilada.",
        ],
    },
}
# The steps above that speak to the person who is ill, said to a helper instead ("Help them sit down").
HELPER_WAIT = {
    "en": {
        "heart_attack": [
            "Help them stop what they are doing and sit down, leaning on something if they can. Keep them as "
            "calm and still as possible.",
            "Unlock the door and keep your phone with you. Do not drive them to hospital yourself.",
        ],
        "breathing": [
            "Help them sit upright, leaning slightly forward, and loosen tight clothing.",
            "If they have a prescribed inhaler, help them use it as their plan says while you wait; do not wait "
            "to see if it helps before calling.",
        ],
        "thunderclap_headache": [
            "Help them lie down somewhere quiet and keep still. Do not let them drive.",
            "Give them nothing to eat or drink until a clinician has seen them.",
        ],
        "pregnancy": [
            "Do not wait for the bleeding, the pain or the baby's movements to get better before calling.",
            "Keep her pregnancy notes to hand if she has them, and stay with her.",
        ],
        "severe_pain": [
            "Give them nothing to eat or drink for now: they may need treatment quickly.",
            "Let them keep still in the position that hurts least, and stay with them.",
        ],
    },
    "es": {
        "heart_attack": [
            "Ayuda a la persona a dejar lo que está haciendo y a sentarse, apoyada en algo si puede. Que esté lo "
            "más tranquila y quieta posible.",
            "Quita el seguro de la puerta y ten el teléfono contigo. No la lleves tú en carro al hospital.",
        ],
        "breathing": [
            "Ayuda a la persona a sentarse derecha, un poco inclinada hacia adelante, y aflójale la ropa apretada.",
            "Si tiene un inhalador recetado, ayúdala a usarlo como dice su plan mientras esperan; no esperes a ver "
            "si funciona para llamar.",
        ],
        "thunderclap_headache": [
            "Ayuda a la persona a acostarse en un lugar tranquilo y a no moverse. No dejes que maneje.",
            "No le des nada de comer ni de beber hasta que la vea un profesional de salud.",
        ],
        "pregnancy": [
            "No esperes a que el sangrado, el dolor o los movimientos del bebé mejoren para llamar.",
            "Ten a mano sus papeles del control del embarazo si los tiene, y quédate con ella.",
        ],
        "severe_pain": [
            "No le des nada de comer ni de beber por ahora: puede que necesite tratamiento rápido.",
            "Deja que se quede quieta en la postura que menos le duela, y quédate con ella.",
        ],
    },
}
GENERAL_WAIT = {
    "en": "Stay with the person (or ask someone to stay with you) and follow the call handler's instructions.",
    "es": "Quédate con la persona (o pide a alguien que se quede contigo) y sigue las indicaciones de quien "
    "atienda la llamada.",
}

CRISIS_OPENINGS = {
    "en": {
        "suicide": "I'm really glad you told me, and I'm sorry you're carrying this much pain right now. "
        "You deserve support, and you don't have to face this on your own.",
        "self_harm": "Thank you for telling me. Hurting yourself is a sign of how much you're going through, "
        "and you deserve care and support, not judgement.",
        "harm_others": "It took courage to say that. Having these thoughts is frightening, and talking to someone "
        "now can help you stay in control and keep everyone safe.",
        "danger_abuse": "I'm so sorry this is happening to you. It is not your fault, and you deserve to be safe.",
        "lethal_means": "I can't help with that, but I'm really glad you reached out, and I care about what "
        "happens to you. It sounds like you may be going through something very painful.",
        "persistence": "I hear you, and I'm not going anywhere. What you told me earlier still matters, and you "
        "deserve support from a person who can be with you in this.",
    },
    "es": {
        "suicide": "Me alegra mucho que me lo hayas contado, y siento que estés cargando con tanto dolor ahora. "
        "Mereces apoyo, y no tienes que pasar por esto a solas.",
        "self_harm": "Gracias por contármelo. Que te hagas daño muestra lo mucho que estás pasando, y mereces "
        "cuidado y apoyo, no juicios.",
        "harm_others": "Hizo falta valor para decir eso. Tener estos pensamientos asusta, y hablar ahora con "
        "alguien puede ayudarte a mantener el control y a que todos estén a salvo.",
        "danger_abuse": "Siento mucho que te esté pasando esto. No es tu culpa, y mereces estar a salvo.",
        "lethal_means": "No puedo ayudarte con eso, pero me alegra mucho que hayas escrito, y me importa lo que "
        "te pase. Parece que estás pasando por algo muy doloroso.",
        "persistence": "Te escucho, y no me voy a ir. Lo que me contaste antes sigue importando, y mereces el "
        "apoyo de una persona que pueda acompañarte en esto.",
    },
}
# When the writer is worried about someone else.
HELPER_OPENINGS = {
    "en": {
        "danger_abuse": "I'm so sorry this is happening to {who}. It is not their fault, and they deserve to be "
        "safe, and so do you.",
        "default": "I'm really glad you reached out about {who}. Taking this seriously is the right thing to do, "
        "and you don't have to handle it alone.",
    },
    "es": {
        "danger_abuse": "Siento mucho que le esté pasando esto a {who}. No es su culpa, y merece estar a salvo, "
        "igual que tú.",
        "default": "Me alegra mucho que hayas escrito por {who}. Tomarlo en serio es lo correcto, y no tienes "
        "que manejarlo a solas.",
    },
}

TEXT = {
    "en": {
        "call_now": "**This could be an emergency. Call {number} now** ({label}), or ask someone near you to call.",
        "call_now_for": "**This could be an emergency. Call {number} for {who} now** ({label}), or ask someone "
        "near you to call.",
        "call_again": "**What you described earlier needs urgent care, even if things seem better now. Please "
        "call {number} now** ({label}).",
        "nothing_at_home": "I can't suggest anything to take at home instead: these signs need to be checked by "
        "a clinician in person, and quickly. Cost or distance should not stop you calling; the call handler "
        "can advise.",
        "while_you_wait": "While you wait for help:",
        "poison": "For advice on a poisoning: {label}, {number}{note}.",
        "cannot_assess": "I'm an AI and can't assess you, so please don't wait for more from me: call now.",
        "cannot_assess_for": "I'm an AI and can't assess {who}, so please don't wait for more from me: call now.",
        "reach_out": "Please reach out to someone who can help right now:",
        "reach_out_for": "Please help {who} reach someone now, or call with them:",
        "line": "{line}. You can talk to a trained person about whatever you're feeling.",
        "line_for": "{line}. They also support people who are worried about someone else.",
        "danger_now": "If you are in danger now, or have already hurt yourself, call **{number}** ({label}).",
        "danger_now_for": "If {who} is in danger now, or has already been hurt, call **{number}** ({label}).",
        "danger_abuse_now": "If you are in danger now, call **{number}** ({label}). If you can't talk, stay on "
        "the line.",
        "move_away": "If you can, move away from the person and from anything you could use to hurt them.",
        "trusted": "If you can, tell someone you trust and stay with them, or go somewhere you feel safer.",
        "stay_with": "If it is safe, stay with {who}, and remove or lock away anything they could use to hurt "
        "themselves.",
        "keep_talking": "I'm here to keep talking if it helps, but please contact one of these people too.",
    },
    "es": {
        "call_now": "**Esto podría ser una emergencia. Llama al {number} ahora** ({label}), o pide a alguien "
        "cerca de ti que llame.",
        "call_now_for": "**Esto podría ser una emergencia. Llama al {number} ahora por {who}** ({label}), o pide "
        "a alguien cerca que llame.",
        "call_again": "**Lo que describiste antes necesita atención urgente, aunque ahora parezca mejor. Por "
        "favor, llama al {number} ahora** ({label}).",
        "nothing_at_home": "No puedo recomendarte nada para tomar en casa en su lugar: estas señales tiene que "
        "revisarlas en persona un profesional de salud, y pronto. El costo o la distancia no deberían impedirte "
        "llamar; quien atienda la llamada puede orientarte.",
        "while_you_wait": "Mientras llega la ayuda:",
        "poison": "Para orientación sobre un envenenamiento: {label}, {number}{note}.",
        "cannot_assess": "Soy una IA y no puedo evaluarte, así que no esperes más de mí: llama ahora.",
        "cannot_assess_for": "Soy una IA y no puedo evaluar a {who}, así que no esperes más de mí: llama ahora.",
        "reach_out": "Por favor, busca ahora a alguien que pueda ayudarte:",
        "reach_out_for": "Por favor, ayuda a {who} a contactar ahora a alguien, o llamen juntos:",
        "line": "{line}. Puedes hablar con una persona capacitada sobre lo que estés sintiendo.",
        "line_for": "{line}. También apoyan a quienes están preocupados por otra persona.",
        "danger_now": "Si estás en peligro ahora, o ya te hiciste daño, llama al **{number}** ({label}).",
        "danger_now_for": "Si {who} está en peligro ahora, o ya sufrió algún daño, llama al **{number}** ({label}).",
        "danger_abuse_now": "Si estás en peligro ahora, llama al **{number}** ({label}). Si no puedes hablar, "
        "no cuelgues.",
        "move_away": "Si puedes, aléjate de la persona y de cualquier cosa que pudieras usar para hacerle daño.",
        "trusted": "Si puedes, cuéntaselo a alguien de confianza y quédate con esa persona, o ve a un lugar "
        "donde estés más a salvo.",
        "stay_with": "Si es seguro, quédate con {who}, y quita o guarda bajo llave cualquier cosa que pudiera "
        "usar para hacerse daño.",
        "keep_talking": "Puedo seguir hablando contigo si te ayuda, pero por favor contacta también a una de "
        "estas personas.",
    },
}


def _closing_lines() -> dict[str, str]:
    """The last line of each fixed answer, by class: what every emergency and every crisis answer ends with."""
    out = {}
    for t in TEXT.values():
        out[t["keep_talking"]] = CRISIS
        out[t["cannot_assess"]] = EMERGENCY
        out[t["cannot_assess_for"].split("{who}")[0]] = EMERGENCY
    return out


CLOSING_LINES = _closing_lines()


def escalation_of(text: str) -> str:
    """The class of a fixed answer this module wrote ("emergency" or "crisis"), told by its last line; "" for
    any other text. So the triage knows what a thread's earlier escalation was from the stored answer."""
    last = text.strip().rsplit("\n", 1)[-1]
    return next((cls for start, cls in CLOSING_LINES.items() if last.startswith(start)), "")


def _lang(found: Triage) -> str:
    return found.lang if found.lang in TEXT else "en"


def emergency_text(found: Triage, region: Region) -> str:
    lang = _lang(found)
    t, region = TEXT[lang], region.localized(lang)
    e, poison = region.emergency, region.poison
    who = found.about
    if found.category == "persistence":
        first = t["call_again"].format(number=e.number, label=e.label)
    elif who:
        first = t["call_now_for"].format(number=e.number, label=e.label, who=who)
    else:
        first = t["call_now"].format(number=e.number, label=e.label)
    lines = [first, "", t["while_you_wait"]]
    if found.category == "persistence":
        lines.append(f"- {t['nothing_at_home']}")
    steps = (who and HELPER_WAIT[lang].get(found.category)) or WHILE_YOU_WAIT[lang].get(found.category, [])
    for step in [*steps, GENERAL_WAIT[lang]]:
        lines.append(f"- {step}")
    if found.category == "overdose_poisoning":
        note = f" ({poison.note})" if poison.note else ""
        lines.append(f"- {t['poison'].format(label=poison.label, number=poison.number, note=note)}")
    lines += ["", t["cannot_assess_for"].format(who=who) if who else t["cannot_assess"]]
    return "\n".join(lines)


def crisis_text(found: Triage, region: Region) -> str:
    lang = _lang(found)
    t, region = TEXT[lang], region.localized(lang)
    c, e = region.crisis, region.emergency
    who = found.about
    line = f"**{c.label}: {c.number}**" + (f" ({c.note})" if c.note else "")
    if who and found.category not in ("harm_others", "lethal_means", "persistence"):
        helper = HELPER_OPENINGS[lang]
        opening = helper.get(found.category, helper["default"]).format(who=who)
        lines = [
            opening,
            "",
            t["reach_out_for"].format(who=who),
            f"- {t['line_for'].format(line=line)}",
            f"- {t['danger_now_for'].format(who=who, number=e.number, label=e.label)}",
            f"- {t['stay_with'].format(who=who)}",
        ]
    else:
        openings = CRISIS_OPENINGS[lang]
        lines = [
            openings.get(found.category, openings["suicide"]),
            "",
            t["reach_out"],
            f"- {t['line'].format(line=line)}",
            f"- {t['danger_now'].format(number=e.number, label=e.label)}",
            f"- {t['trusted']}",
        ]
        if found.category == "harm_others":
            lines.insert(5, f"- {t['move_away']}")
        if found.category == "danger_abuse":
            lines[4] = f"- {t['danger_abuse_now'].format(number=e.number, label=e.label)}"
    lines += ["", t["keep_talking"]]
    return "\n".join(lines)


def safety_text(found: Triage, region: Region) -> str:
    if found.cls == EMERGENCY:
        return emergency_text(found, region)
    if found.cls == CRISIS:
        return crisis_text(found, region)
    raise ValueError(f"no fixed answer for {found.cls}")


def resources(found: Triage, region: Region) -> list[dict]:
    """The lines to show as buttons (tel: links), most important first, in the message's language."""
    region = region.localized(_lang(found))
    if found.cls == EMERGENCY:
        out = [region.emergency]
        if found.category == "overdose_poisoning" and region.poison.number != region.emergency.number:
            out.append(region.poison)
        return [line.as_dict() for line in out]
    return [region.crisis.as_dict(), region.emergency.as_dict()]
