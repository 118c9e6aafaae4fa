"""Events: when and where, from the feed or from comms, and the .ics people save.

An event post carries `event: {start, end, place}`. Feeds give it in three
shapes: schema.org Event JSON-LD in the content (what The Events Calendar and
most event plugins print), The Events Calendar's own item fields, and the
RSS 1.0 event module (`ev:startdate`, `ev:enddate`, `ev:location`,
http://purl.org/rss/1.0/modules/event/). An event is over after its last
day, and is archived then like a closed job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from hub.feeds.jsonld import ld_nodes

_EVENT_TYPES = frozenset({"Event", "BusinessEvent", "EducationEvent", "SocialEvent",
                          "ExhibitionEvent", "Festival", "SportsEvent", "MusicEvent"})  # fmt: skip
# Keys as feedparser / the raw-XML reader name them, per shape.
START_KEYS = ("ev_startdate", "*_startdate", "tribe_event_start_date", "*_event_start_date")
END_KEYS = ("ev_enddate", "*_enddate", "tribe_event_end_date", "*_event_end_date")
PLACE_KEYS = ("ev_location", "*_location", "tribe_event_venue", "*_event_venue")


def _when(value: Any) -> str | None:
    """An ISO date or date-time as written, without its time zone games."""
    text = str(value or "").strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?", text)
    if not match:
        return None
    try:
        dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None
    return match.group(1) + (f"T{match.group(2)}" if match.group(2) else "")


def _place(location: Any) -> str | None:
    if isinstance(location, list):
        location = next((p for p in location if p), None)
    if isinstance(location, str):
        return location.strip() or None
    if not isinstance(location, dict):
        return None
    name = location.get("name")
    address = location.get("address")
    if isinstance(address, dict):
        address = address.get("addressLocality") or address.get("streetAddress")
    parts = [p.strip() for p in (name, address) if isinstance(p, str) and p.strip()]
    return ", ".join(dict.fromkeys(parts)) or None


def from_feed(html_text: str, fields: Mapping[str, str]) -> dict[str, str] | None:
    """The event's start, end and place from an item, or None when it has no start."""
    event: dict[str, str] = {}
    for name, keys in (("start", START_KEYS), ("end", END_KEYS), ("place", PLACE_KEYS)):
        value = next((fields[k] for k in keys if fields.get(k)), None)
        if value:
            event[name] = (_when(value) or "") if name != "place" else value.strip()
    if "ld+json" in html_text:
        for node in ld_nodes(html_text, _EVENT_TYPES):
            event.setdefault("start", _when(node.get("startDate")) or "")
            event.setdefault("end", _when(node.get("endDate")) or "")
            place = _place(node.get("location"))
            if place:
                event.setdefault("place", place)
            break
    event = {k: v for k, v in event.items() if v}
    return event if event.get("start") else None


def last_day(event: Mapping[str, Any] | None) -> str | None:
    """The event's last day (its end, else its start): it is archived the day after."""
    if not isinstance(event, Mapping):
        return None
    day = str(event.get("end") or event.get("start") or "")[:10]
    return day or None


def when_text(event: Mapping[str, Any] | None) -> str:
    """"2026-11-23 – 2026-11-27 · Barcelona", as the card and the page show it."""
    if not isinstance(event, Mapping) or not event.get("start"):
        return ""
    start = str(event["start"]).replace("T", " ")
    end = str(event.get("end") or "").replace("T", " ")
    text = start if not end or end == start else f"{start} – {end}"
    place = str(event.get("place") or "").strip()
    return f"{text} · {place}" if place else text


def _ics_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))  # fmt: skip


def _ics_when(value: str, end: bool) -> str:
    if "T" in value:
        return ":" + value.replace("-", "").replace(":", "") + "00"
    day = dt.date.fromisoformat(value[:10])
    # DTEND of an all-day event is exclusive (RFC 5545 3.6.1): the day after.
    return ";VALUE=DATE:" + (day + dt.timedelta(days=1 if end else 0)).strftime("%Y%m%d")


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with a space, never mid-character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def ics(meta: Mapping[str, Any], uid: str, stamp: str) -> str | None:
    """The .ics text of an event post (RFC 5545), or None if it has no start.

    `stamp` is the post's own date, so the same post gives the same bytes.
    """
    event = meta.get("event")
    if not isinstance(event, Mapping) or not _when(event.get("start")):
        return None
    start = _when(event["start"]) or ""
    end = _when(event.get("end")) or start
    if "T" in start and "T" not in end:
        end = end + "T23:59"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Advocacy Hub//EN", "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT", f"UID:{uid}",
        "DTSTAMP:" + (_when(stamp) or "1970-01-01")[:10].replace("-", "") + "T000000Z",
        f"DTSTART{_ics_when(start, False)}", f"DTEND{_ics_when(end, True)}",
        f"SUMMARY:{_ics_escape(str(meta.get('title') or ''))}",
    ]  # fmt: skip
    if meta.get("summary"):
        lines.append(f"DESCRIPTION:{_ics_escape(str(meta['summary']))}")
    if event.get("place"):
        lines.append(f"LOCATION:{_ics_escape(str(event['place']))}")
    if meta.get("canonical_url"):
        lines.append(f"URL:{meta['canonical_url']}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)
