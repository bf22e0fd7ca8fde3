"""ACLED-style one-sentence notes generated from an event's fields (nothing typed by hand)."""

from __future__ import annotations

from datetime import date

from sitrep.extract.casualties import is_cumulative, is_subset
from sitrep.schema import Claim, Event, SubEventType, TimePrecision

S = SubEventType

_VERBS: dict[SubEventType, str] = {
    S.ARMED_CLASH: "{a1} clashed with {a2} {at}",
    S.GOVERNMENT_REGAINS_TERRITORY: "{a1} regained control of {loc}{from_a2}",
    S.NON_STATE_OVERTAKES_TERRITORY: "{a1} took control of {loc}{from_a2}",
    S.CHEMICAL_WEAPON: "{a1} used chemical weapons {at}{against_a2}",
    S.AIR_DRONE_STRIKE: "{a1} carried out air strikes {at}{against_a2}",
    S.SUICIDE_BOMB: "{a1} carried out a suicide bombing {at}{against_a2}",
    S.SHELLING: "{a1} shelled {loc}{against_a2}",
    S.REMOTE_EXPLOSIVE: "{a1} detonated an explosive device {at}{against_a2}",
    S.GRENADE: "{a1} threw a grenade {at}{against_a2}",
    S.SEXUAL_VIOLENCE: "{a1} committed sexual violence against {a2} {at}",
    S.ATTACK: "{a1} attacked {a2} {at}",
    S.ABDUCTION: "{a1} abducted {a2} {at}",
    S.PEACEFUL_PROTEST: "{a1} demonstrated {at}",
    S.PROTEST_WITH_INTERVENTION: "{a1} demonstrated {at} and were dispersed by {a2}",
    S.EXCESSIVE_FORCE: "{a2} used force against protesters ({a1}) {at}",
    S.VIOLENT_DEMONSTRATION: "{a1} rioted {at}",
    S.MOB_VIOLENCE: "a mob ({a1}) attacked {a2} {at}",
    S.AGREEMENT: "{a1} reached an agreement{with_a2} {at}",
    S.ARRESTS: "{a1} arrested {a2} {at}",
    S.CHANGE_TO_GROUP: "{a1} changed its organisation or activity",
    S.DISRUPTED_WEAPONS_USE: "{a1} intercepted or disabled a weapon {at}{of_a2}",
    S.BASE_ESTABLISHED: "{a1} established a base {at}",
    S.LOOTING: "{a1} looted or destroyed property {at}",
    S.NON_VIOLENT_TRANSFER: "{a1} took over {loc} without fighting{from_a2}",
    S.OTHER: "{a1} took a strategic step {at}",
}


def format_date(d: date | None, precision: TimePrecision) -> str | None:
    if d is None:
        return None
    if precision == TimePrecision.DAY:
        return f"{d.day} {d:%B %Y}"
    if precision == TimePrecision.WEEK:
        return f"the week of {d.day} {d:%B %Y}"
    if precision == TimePrecision.MONTH:
        return f"{d:%B %Y}"
    return f"{d:%Y}"


def _claims_phrase(claims: list[Claim], fatalities: int) -> str:
    figs = [c for c in claims if c.kind == "fatalities" and c.value is not None and not is_subset(c) and not is_cumulative(c)]
    if not figs:
        return f" {fatalities} fatalities." if fatalities else ""
    by_claimant: dict[str, int] = {}
    for c in figs:
        who = c.claimant or "the outlet"
        by_claimant[who] = max(by_claimant.get(who, 0), c.value or 0)
    if len(set(by_claimant.values())) > 1:
        parts = ", ".join(f"{who}: {n}" for who, n in by_claimant.items())
        return f" Fatality figures differ ({parts}); coded {fatalities}."
    who, n = next(iter(by_claimant.items()))
    return f" {n} reported killed (according to {who})."


def _dispute_phrase(event: Event) -> str:
    """State media and monitors disagreeing is the dispute readers most need to see."""
    if event.state_media_fatalities is None or event.monitor_fatalities is None:
        return ""
    return f" State media report {event.state_media_fatalities} killed, monitors {event.monitor_fatalities}."


def generate_note(event: Event) -> str:
    a1 = event.actor1 or "Unidentified actors"
    a2 = event.actor2 or "unidentified actors"
    loc = event.location or (event.admin1 and f"{event.admin1} governorate") or "an unknown location"
    at = f"in {loc}" if loc else ""
    a1_text = a1 + (" and allied groups" if event.assoc_actor_1 else "")
    body = _VERBS[event.sub_event_type].format(
        a1=a1_text,
        a2=a2,
        loc=loc,
        at=at,
        from_a2=f" from {event.actor2}" if event.actor2 else "",
        against_a2=f", targeting {event.actor2}" if event.actor2 else "",
        with_a2=f" with {event.actor2}" if event.actor2 else "",
        of_a2=f" belonging to {event.actor2}" if event.actor2 else "",
    ).strip()
    when = format_date(event.event_date, event.time_precision)
    sentence = f"On {when}, {body}." if when else f"{body[0].upper()}{body[1:]}."
    if event.modality.value == "claimed":
        sentence = sentence[:-1] + " (claimed)."
    return sentence + _claims_phrase(event.claims, event.fatalities) + _dispute_phrase(event)
