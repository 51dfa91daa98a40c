"""The fixed answers for emergency and crisis turns: what to do now first, calm, never a home remedy.

Emergency answers lead with the emergency number and add only first steps that cannot hurt while help is on
the way. Crisis answers follow safe-messaging practice: warmth, a line to call or text, no methods, no doses.
Every number comes from the region's settings (regions.py).
"""

from .regions import Region
from .triage import CRISIS, EMERGENCY, Triage

# First steps while waiting for help: general, safe, no medicines or doses.
WHILE_YOU_WAIT = {
    "heart_attack": [
        "Stop what you are doing and sit down, leaning on something if you can. Stay as calm and still as possible.",
        "Unlock the door and keep your phone with you. Do not drive yourself to hospital.",
    ],
    "stroke": [
        "Note the time the signs started: the hospital team will need it.",
        "Do not give food, drink or medicine. Stay with the person and keep them comfortable.",
    ],
    "breathing": [
        "Sit upright, leaning slightly forward, and loosen tight clothing.",
        "If an inhaler has been prescribed, use it as the plan says while you wait; do not wait to see if it helps "
        "before calling.",
    ],
    "choking": [
        "If they can cough, encourage them to keep coughing.",
        "If they cannot cough, speak or breathe, the call handler will guide you through back blows and "
        "abdominal thrusts. Put the phone on speaker.",
    ],
    "bleeding": [
        "Press firmly on the wound with a clean cloth and keep pressing. Do not lift it to look.",
        "If someone is vomiting or coughing blood, keep them sitting up or on their side, and give nothing to eat "
        "or drink.",
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
        "Move hard or sharp things away and cushion their head. Do not hold them down or put anything in their mouth.",
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
        "Keep the packet, bottle or container to show the medical team.",
    ],
    "trauma_burns": [
        "For bleeding, press firmly on the wound. Do not move someone who may have hurt their neck or back.",
        "For a burn, cool it under cool running water (not ice) and cover it loosely with cling film or a clean "
        "plastic bag.",
    ],
    "pregnancy": [
        "Do not wait for the bleeding, pain or quiet movements to settle before calling.",
        "Have your maternity notes ready if you have them, and keep someone with you.",
    ],
    "severe_pain": [
        "Do not eat or drink anything for now: you may need treatment quickly.",
        "Keep still in the position that hurts least, and have someone stay with you.",
    ],
}
GENERAL_WAIT = [
    "Stay with the person (or ask someone to stay with you) and follow the call handler's instructions.",
]

CRISIS_OPENINGS = {
    "suicide": "I'm really glad you told me, and I'm sorry you're carrying this much pain right now. "
    "You deserve support, and you don't have to face this on your own.",
    "self_harm": "Thank you for telling me. Hurting yourself is a sign of how much you're going through, "
    "and you deserve care and support, not judgement.",
    "harm_others": "It took courage to say that. Having these thoughts is frightening, and talking to someone "
    "now can help you stay in control and keep everyone safe.",
    "danger_abuse": "I'm so sorry this is happening to you. It is not your fault, and you deserve to be safe.",
    "lethal_means": "I can't help with that, but I'm really glad you reached out, and I care about what happens "
    "to you. It sounds like you may be going through something very painful.",
    "persistence": "I hear you, and I'm not going anywhere. What you told me earlier still matters, and you "
    "deserve support from a person who can be with you in this.",
}


def emergency_text(found: Triage, region: Region) -> str:
    e, poison = region.emergency, region.poison
    lines = [
        f"**This could be an emergency. Call {e.number} now** ({e.label}), or ask someone near you to call.",
        "",
        "While you wait for help:",
    ]
    category = found.category if found.category in WHILE_YOU_WAIT else ""
    if found.category == "persistence":
        lines[0] = (
            f"**What you described earlier needs urgent care, even if things seem better now. Please call "
            f"{e.number} now** ({e.label})."
        )
        lines.append(
            "- I can't suggest anything to take at home instead: these signs need to be checked by a clinician "
            "in person, and quickly. Cost or distance should not stop you calling; the call handler can advise."
        )
    for step in WHILE_YOU_WAIT.get(category, []) + GENERAL_WAIT:
        lines.append(f"- {step}")
    if found.category == "overdose_poisoning":
        note = f" ({poison.note})" if poison.note else ""
        lines.append(f"- For advice on a poisoning: {poison.label}, {poison.number}{note}.")
    lines += [
        "",
        "I'm an AI and can't assess you, so please don't wait for more from me: call now.",
    ]
    return "\n".join(lines)


def crisis_text(found: Triage, region: Region) -> str:
    c, e = region.crisis, region.emergency
    opening = CRISIS_OPENINGS.get(found.category, CRISIS_OPENINGS["suicide"])
    line = f"**{c.label}: {c.number}**" + (f" ({c.note})" if c.note else "")
    lines = [
        opening,
        "",
        "Please reach out to someone who can help right now:",
        f"- {line}. You can talk to a trained person about whatever you're feeling.",
        f"- If you are in danger now, or have already hurt yourself, call **{e.number}** ({e.label}).",
        "- If you can, tell someone you trust and stay with them, or go somewhere you feel safer.",
    ]
    if found.category == "harm_others":
        lines.insert(5, "- If you can, move away from the person and from anything you could use to hurt them.")
    if found.category == "danger_abuse":
        lines[4] = f"- If you are in danger now, call **{e.number}** ({e.label}). If you can't talk, stay on the line."
    lines += ["", "I'm here to keep talking if it helps, but please contact one of these people too."]
    return "\n".join(lines)


def safety_text(found: Triage, region: Region) -> str:
    if found.cls == EMERGENCY:
        return emergency_text(found, region)
    if found.cls == CRISIS:
        return crisis_text(found, region)
    raise ValueError(f"no fixed answer for {found.cls}")


def resources(found: Triage, region: Region) -> list[dict]:
    """The lines to show as buttons (tel: links), most important first."""
    if found.cls == EMERGENCY:
        out = [region.emergency]
        if found.category == "overdose_poisoning" and region.poison.number != region.emergency.number:
            out.append(region.poison)
        return [line.as_dict() for line in out]
    return [region.crisis.as_dict(), region.emergency.as_dict()]
