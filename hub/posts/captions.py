"""Share captions: several ready wordings per network, each within its limits.

Employees who paste the very same sentence look like bots, the top complaint
about advocacy tools, so every network gets several wordings in the post's
own language. Captions never hold the URL: the share link appends the tracked
URL, and each caption leaves room for it and the longest advocate code, as
each network counts: X (twitter-text weights) and Mastodon count any URL as
23; Bluesky counts graphemes after its composer shortens each link to its
host plus, past 15 characters, the first 13 of path, query and fragment and
"..." (read in bluesky-social/social-app itself: `toShortUrl` in
src/lib/strings/url-helpers.ts at 094a877403e120e91b2fcc14d36897ebadc68e95,
applied to every link facet by `shortenLinks` in
src/lib/strings/rich-text-manip.ts at f4f2f09ee801993f260295d80b1dc2d56f7430e9,
counted as `shortenLinks(rt).graphemeLength` in
src/view/com/composer/state/composer.ts at c634cd9071305239f8c7d6acf371aca397f2bf2b,
also for a compose intent's text; its own test vectors are in
tests/data/bluesky/); Threads counts 500 characters, the link in full.

Captions derive from the post's current title, summary and hashtags; which
wordings are still the hub's is decided per wording (`merge_wordings`, used
by hub.posts.derive), so a comms edit to the title flows into every wording
nobody edited.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import regex

from hub import text as texts
from hub.posts import advocate
from hub.posts.schema import PLACEHOLDER

# Hard limits of each network, in that network's own unit of counting.
LIMITS: dict[str, int] = {
    "linkedin": 3000,
    "x": 280,
    "facebook": 5000,
    "bluesky": 300,
    "threads": 500,
    "mastodon": 500,
    "whatsapp": 1500,
    "email_subject": 78,
    "email_body": 2000,
}
CAPTION_KEYS = tuple(LIMITS)
TCO_LENGTH = 23  # X and Mastodon count every URL as this many characters
WORDINGS = 3

BLUESKY_PATH_KEPT = 13  # social-app toShortUrl: host + path[:13] + "..." past 15
_URL = regex.compile(r"https?://\S+")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
# twitter-text v3: code points in these ranges weigh 1, everything else 2.
_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


graphemes = texts.graphemes


_DEFAULT_PORTS = {"http": 80, "https": 443}


def bluesky_short_url(url: str) -> str:
    """The link as Bluesky's composer shows and counts it (social-app `toShortUrl`).

    `toShortUrl` takes `host` from the WHATWG URL parser: the host name
    lower-cased, with its port unless it is the scheme's default, without
    any user:password@. Anything that is not an http(s) URL stays as it is.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is not None and port != _DEFAULT_PORTS[parts.scheme.lower()]:
        host += f":{port}"
    path = ("" if parts.path in ("", "/") else parts.path)
    path += (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    if len(path) > 15:
        return host + path[:BLUESKY_PATH_KEPT] + "..."
    return host + path


def _x_weight(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    if not text or (max(text) <= "\u10ff" and not _EMOJI.search(text)):
        return len(text)  # every code point weighs 1: the common Latin case, fast
    total = 0
    for cluster in graphemes(text):
        if _EMOJI.search(cluster):
            total += 2
            continue
        for char in cluster:
            code = ord(char)
            total += 1 if any(lo <= code <= hi for lo, hi in _LIGHT) else 2
    return total


def measure(network: str, text: str) -> int:
    """The length of `text` as `network` counts it against its limit."""
    if network in ("x", "mastodon"):
        urls = _URL.findall(text)
        rest = _URL.sub("", text)
        count = _x_weight(rest) if network == "x" else len(graphemes(rest))
        return count + TCO_LENGTH * len(urls)
    if network == "bluesky":
        return texts.grapheme_count(_URL.sub(lambda m: bluesky_short_url(m.group(0)), text))
    return len(text)


def url_cost(network: str, url_length: int, url: str = "") -> int:
    """What appending the tracked URL (after the share link's joiner) costs on `network`.

    `url_length` already includes the advocate code's room; for Bluesky the
    `url` itself is needed, as its composer counts a shortened form.
    """
    if network in ("x", "mastodon"):
        return TCO_LENGTH + 1
    if network == "bluesky" and url:
        return len(bluesky_short_url(url)) + 1
    if network in ("linkedin", "bluesky", "threads", "whatsapp", "email_body"):
        return url_length + 2
    return 0  # Facebook and the email subject carry the URL separately


# Wordings per language: {kind: {shape: [template, ...]}}. `kind` is "job"
# for job posts, "post" otherwise. Shapes: short (X, Bluesky, Threads,
# Mastodon), long (LinkedIn, Facebook), chat (WhatsApp), subject and body
# (email). Placeholders: {title} {summary} {hashtags} {brand} {where}.
# Languages without an entry get NEUTRAL, which adds no words of its own.
NEUTRAL = {
    "post": {
        "short": [
            "{title}\n\n{hashtags}",
            "{title}: {summary} {hashtags}",
            "{summary}\n\n{hashtags}",
        ],
        "long": [
            "{title}\n\n{summary}\n\n{hashtags}",
            "{summary}\n\n{title}\n\n{hashtags}",
            "{title}\n\n{hashtags}",
        ],
        "chat": ["{title}\n\n{summary}", "{title}", "{summary}"],
        "subject": ["{title}", "{brand}: {title}"],
        "body": ["{title}\n\n{summary}", "{summary}"],
    },
}
NEUTRAL["job"] = {**NEUTRAL["post"]}

TEMPLATES: dict[str, dict[str, dict[str, list[str]]]] = {
    "en": {
        "post": {
            "short": [
                "{title} {hashtags}",
                "Worth a read from {brand}: {title} {hashtags}",
                "{summary} {hashtags}",
            ],
            "long": [
                "{title}\n\n{summary}\n\n{hashtags}",
                "I enjoyed this one from my colleagues at {brand}: {title}\n\n{summary}\n\n{hashtags}",
                '{summary}\n\nMore in "{title}".\n\n{hashtags}',
            ],
            "chat": [
                "Thought you might like this: {title}",
                "{title}: {summary}",
                "From {brand}: {title}",
            ],
            "subject": ["{title}", "Worth a read: {title}", "From {brand}: {title}"],
            "body": [
                "Hi,\n\nI thought you might find this interesting: {title}\n\n{summary}",
                "Hello,\n\n{summary}\n\nThe full story is here:",
            ],
        },
        "job": {
            "short": [
                "We're hiring: {title}{where}. Know someone great? {hashtags}",
                "Join my team at {brand}: {title}{where} {hashtags}",
                "{title}{where} is open at {brand}. {hashtags}",
            ],
            "long": [
                "We're hiring! {title}{where}.\n\n{summary}\n\nKnow someone who'd be great? Please share. {hashtags}",
                "My team at {brand} is looking for a {title}{where}.\n\n{summary}\n\n{hashtags}",
                "Open role at {brand}: {title}{where}.\n\n{hashtags}",
            ],
            "chat": [
                "We're hiring: {title}{where}. Know anyone?",
                "Open role at {brand}: {title}{where}",
            ],
            "subject": ["Open role at {brand}: {title}", "We're hiring: {title}"],
            "body": [
                "Hi,\n\n{brand} is hiring a {title}{where}. Do you know someone who would be great?\n\n{summary}",
                "Hello,\n\nThis role might interest you or someone you know: {title}{where}.",
            ],
        },
    },
    "ca": {
        "post": {
            "short": [
                "{title} {hashtags}",
                "Val la pena llegir-ho: {title} {hashtags}",
                "{summary} {hashtags}",
            ],
            "long": [
                "{title}\n\n{summary}\n\n{hashtags}",
                "M'ha agradat aquest article dels meus companys de {brand}: {title}\n\n{summary}\n\n{hashtags}",
                "{summary}\n\n{hashtags}",
            ],
            "chat": ["Potser t'interessa: {title}", "{title}: {summary}"],
            "subject": ["{title}", "Val la pena llegir-ho: {title}"],
            "body": ["Hola,\n\nPotser t'interessa: {title}\n\n{summary}", "Hola,\n\n{summary}"],
        },
        "job": {
            "short": [
                "Busquem talent: {title}{where} {hashtags}",
                "Uneix-te al meu equip a {brand}: {title}{where} {hashtags}",
            ],
            "long": [
                "Busquem talent! {title}{where}.\n\n{summary}\n\nConeixes algú? Comparteix-ho. {hashtags}",
                "Oferta a {brand}: {title}{where}.\n\n{hashtags}",
            ],
            "chat": ["Busquem {title}{where}. Coneixes algú?"],
            "subject": ["Oferta a {brand}: {title}"],
            "body": ["Hola,\n\n{brand} busca {title}{where}. Coneixes algú?\n\n{summary}"],
        },
    },
    "es": {
        "post": {
            "short": [
                "{title} {hashtags}",
                "Merece la pena leerlo: {title} {hashtags}",
                "{summary} {hashtags}",
            ],
            "long": [
                "{title}\n\n{summary}\n\n{hashtags}",
                "Me ha gustado este artículo de mis compañeros de {brand}: {title}\n\n{summary}\n\n{hashtags}",
            ],
            "chat": ["Quizá te interese: {title}", "{title}: {summary}"],
            "subject": ["{title}", "Merece la pena leerlo: {title}"],
            "body": ["Hola,\n\nQuizá te interese: {title}\n\n{summary}"],
        },
        "job": {
            "short": [
                "Estamos contratando: {title}{where} {hashtags}",
                "Únete a mi equipo en {brand}: {title}{where} {hashtags}",
            ],
            "long": [
                "¡Estamos contratando! {title}{where}.\n\n{summary}\n\n¿Conoces a alguien? {hashtags}"
            ],
            "chat": ["Buscamos {title}{where}. ¿Conoces a alguien?"],
            "subject": ["Oferta en {brand}: {title}"],
            "body": ["Hola,\n\n{brand} busca {title}{where}. ¿Conoces a alguien?\n\n{summary}"],
        },
    },
    "it": {
        "post": {
            "short": [
                "{title} {hashtags}",
                "Da leggere: {title} {hashtags}",
                "{summary} {hashtags}",
            ],
            "long": [
                "{title}\n\n{summary}\n\n{hashtags}",
                "Mi è piaciuto questo articolo dei miei colleghi di {brand}: {title}\n\n{summary}\n\n{hashtags}",
            ],
            "chat": ["Potrebbe interessarti: {title}", "{title}: {summary}"],
            "subject": ["{title}", "Da leggere: {title}"],
            "body": ["Ciao,\n\npotrebbe interessarti: {title}\n\n{summary}"],
        },
        "job": {
            "short": [
                "Stiamo assumendo: {title}{where} {hashtags}",
                "Unisciti al mio team in {brand}: {title}{where} {hashtags}",
            ],
            "long": [
                "Stiamo assumendo! {title}{where}.\n\n{summary}\n\nConosci qualcuno? {hashtags}"
            ],
            "chat": ["Cerchiamo {title}{where}. Conosci qualcuno?"],
            "subject": ["Posizione aperta in {brand}: {title}"],
            "body": ["Ciao,\n\n{brand} cerca {title}{where}. Conosci qualcuno?\n\n{summary}"],
        },
    },
    "ms": {
        "post": {
            "short": [
                "{title} {hashtags}",
                "Bacaan menarik dari {brand}: {title} {hashtags}",
                "{summary} {hashtags}",
            ],
            "long": [
                "{title}\n\n{summary}\n\n{hashtags}",
                "Saya suka artikel ini daripada rakan sekerja di {brand}: {title}\n\n{summary}\n\n{hashtags}",
            ],
            "chat": ["Mungkin anda berminat: {title}", "{title}: {summary}"],
            "subject": ["{title}", "Bacaan menarik: {title}"],
            "body": ["Hai,\n\nMungkin anda berminat: {title}\n\n{summary}"],
        },
        "job": {
            "short": [
                "Kami sedang mengambil pekerja: {title}{where} {hashtags}",
                "Sertai pasukan saya di {brand}: {title}{where} {hashtags}",
            ],
            "long": [
                "Kami sedang mengambil pekerja! {title}{where}.\n\n{summary}\n\nKenal seseorang? {hashtags}"
            ],
            "chat": ["Kami mencari {title}{where}. Kenal sesiapa?"],
            "subject": ["Jawatan kosong di {brand}: {title}"],
            "body": ["Hai,\n\n{brand} mencari {title}{where}. Kenal sesiapa?\n\n{summary}"],
        },
    },
    "zh": {
        "post": {
            "short": ["{title} {hashtags}", "推荐阅读：{title} {hashtags}", "{summary} {hashtags}"],
            "long": [
                "{title}\n\n{summary}\n\n{hashtags}",
                "来自{brand}同事的好文章：{title}\n\n{summary}\n\n{hashtags}",
            ],
            "chat": ["推荐给你：{title}", "{title}：{summary}"],
            "subject": ["{title}", "推荐阅读：{title}"],
            "body": ["你好，\n\n推荐给你：{title}\n\n{summary}"],
        },
        "job": {
            "short": [
                "诚聘：{title}{where} {hashtags}",
                "加入我在{brand}的团队：{title}{where} {hashtags}",
            ],
            "long": [
                "我们正在招聘！{title}{where}。\n\n{summary}\n\n认识合适的人选吗？欢迎转发。{hashtags}"
            ],
            "chat": ["我们在招聘{title}{where}，认识合适的人吗？"],
            "subject": ["{brand}招聘：{title}"],
            "body": ["你好，\n\n{brand}正在招聘{title}{where}。认识合适的人选吗？\n\n{summary}"],
        },
    },
}

_SHAPES = {
    "x": "short",
    "bluesky": "short",
    "threads": "short",
    "mastodon": "short",
    "linkedin": "long",
    "facebook": "long",
    "whatsapp": "chat",
    "email_subject": "subject",
    "email_body": "body",
}
_ELLIPSIS = "…"


@dataclass(frozen=True)
class CaptionInput:
    title: str
    summary: str = ""
    hashtags: Sequence[str] = ()
    brand: str = ""
    language: str = "en"
    is_job: bool = False
    location: str = ""
    url_length: int = 120  # of the tracked URL the share link will append, code room included
    url: str = ""  # that URL, for networks that count a shortened form (Bluesky)


def cut(text: str, limit: int) -> str:
    """`text` within `limit` graphemes, ending on a whole sentence or word (hub.text.cut)."""
    return texts.cut(text, limit)


def lead(text: str, limit: int = 220) -> str:
    """The opening sentences of `text` that fit in `limit` graphemes."""
    return texts.lead(text, limit)


def hashtag_text(tags: Iterable[str]) -> str:
    seen: list[str] = []
    for tag in tags:
        tag = tag.strip().lstrip("#")
        if tag and tag.lower() not in (t.lower() for t in seen):
            seen.append(tag)
    return " ".join(f"#{t}" for t in seen)


_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]{2,}")
_LOOSE_END = re.compile(r"\s+([:：.。])\s*$")


def _fill(template: str, values: Mapping[str, str]) -> str:
    """A filled template, tidied where an empty placeholder left gaps."""
    text = template.format(**values)
    if "  " in text or " \n" in text or "\t" in text:
        text = _SPACES.sub(" ", _TRAILING_SPACE.sub("\n", text))
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    text = _LOOSE_END.sub(r"\1", text.strip())
    return text.strip(" :：\n")


def _templates(language: str, kind: str) -> dict[str, list[str]]:
    lang = (language or "en").split("-")[0].lower()
    return TEMPLATES.get(lang, NEUTRAL).get(kind) or NEUTRAL[kind]


def _where(data: CaptionInput) -> str:
    """The job's place in brackets, unless the title already says it."""
    place = data.location.split(",")[0].strip()
    if not place or place.lower() in data.title.lower():
        return ""
    if any("\u3000" <= ch <= "\u9fff" for ch in data.title):
        return f"（{data.location}）"
    return f" ({data.location})"


def fit(network: str, template: str, data: CaptionInput, where: str = "", tags: str = "") -> str:
    """Fill a template and shrink it until it fits the network with its URL."""
    budget = LIMITS[network] - url_cost(network, data.url_length, data.url)
    summary, title = data.summary, data.title
    if "{summary}" in template and not summary:
        template = template.replace("{summary}", "")
    attempts = 0
    while attempts < 60:
        attempts += 1
        text = _fill(
            template,
            {
                "title": title,
                "summary": summary,
                "hashtags": tags,
                "brand": data.brand,
                "where": where,
            },
        )
        over = measure(network, text) - budget
        if over <= 0 or not text:
            return text
        shorter = texts.whole_sentences(summary, texts.grapheme_count(summary) - over)
        if summary and shorter and shorter != summary:
            summary = shorter  # drop whole sentences, never cut one
        elif summary:
            summary = ""
            template = template.replace("{summary}", "")
        elif tags:
            tags = " ".join(tags.split(" ")[:-1])
        elif where:
            where = ""
        else:
            title = cut(title, max(1, len(graphemes(title)) - over - 1))
    return texts.cut(text, budget, lambda t: measure(network, t))


def build_captions(
    data: CaptionInput, networks: Iterable[str] = CAPTION_KEYS
) -> dict[str, list[str]]:
    """Every network's wordings, distinct, in a stable order."""
    kind = "job" if data.is_job else "post"
    table = _templates(data.language, kind)
    where, tags = _where(data), hashtag_text(data.hashtags)
    out: dict[str, list[str]] = {}
    for network in networks:
        shape = _SHAPES[network]
        wordings: list[str] = []
        for template in [*table.get(shape, ()), *NEUTRAL[kind][shape]]:
            if not data.summary and "{title}" not in template:
                continue  # without a summary this would say only the hashtags
            text = fit(network, template, data, where, tags)
            if text and text not in wordings:
                wordings.append(text)
            if len(wordings) == WORDINGS:
                break
        out[network] = wordings
    return out


# --- captions of a post, and which of its wordings are still the hub's -------


def post_input(meta: Mapping[str, Any], brand: str, url: str) -> CaptionInput:
    """What a post's captions are built from: its current fields, not the feed's.

    A summary still holding the TODO placeholder counts as none.

    `url` is the tracked URL the share link appends; the longest advocate
    code is counted on top of it.
    """
    full = url + advocate.PARAMETER + "x" * advocate.MAX_LENGTH if url else ""
    summary = str(meta.get("summary") or "")
    return CaptionInput(
        title=str(meta.get("title") or ""),
        summary="" if PLACEHOLDER.search(summary) else summary,  # `new`'s TODO is no caption
        hashtags=[str(t) for t in meta.get("hashtags") or ()],
        brand=brand,
        language=str(meta.get("language") or "en"),
        is_job=meta.get("category") == "jobs",
        location=str(meta.get("location") or ""),
        url_length=len(full) if full else 120 + advocate.LINK_ROOM,
        url=full,
    )


def wording_path(network: str, index: int) -> str:
    """The key a wording's hash is remembered under, one per wording."""
    return f"captions.{network}[{index}]"


@dataclass(frozen=True)
class Wordings:
    captions: dict[str, list[str]]  # every network's wordings as the file should now hold them
    hashes: dict[str, str]  # per-wording hashes of what the hub wrote (kept for edited ones)
    kept: int  # wordings a person edited that the hub would now word differently


def merge_wordings(
    current: Mapping[str, Any] | None,
    written: Mapping[str, str],
    fresh: Mapping[str, Sequence[str]],
    value_hash: Any,
) -> Wordings:
    """Per wording: the hub's new text where the file still holds the hub's last one.

    `current` is the file's captions (None when the file is exactly as the
    hub last wrote it), `written` the remembered hashes, `fresh` the
    wordings rebuilt from the post's current fields. A wording a person
    edited stays, whatever happens to its neighbours; one a person deleted
    is not brought back. Files written before per-wording hashes count as
    the hub's when the whole network's list still matches its hash.
    """
    out: dict[str, list[str]] = {}
    hashes: dict[str, str] = {}
    kept = 0
    networks = sorted(set(fresh) | set((current or {}).keys()))
    for network in networks:
        new = list(fresh.get(network) or [])
        have = None if current is None else current.get(network)
        have_list = [str(w) for w in have] if isinstance(have, list) else None
        whole = written.get(f"captions.{network}")
        # States written before per-wording hashes: the whole list's hash decides.
        per_wording = any(k.startswith(f"captions.{network}[") for k in written)
        legacy_ours = (
            not per_wording and have_list is not None and whole is not None
            and value_hash(have_list) == whole
        )  # fmt: skip
        result: list[str] = []
        written_count = sum(1 for k in written if k.startswith(f"captions.{network}["))
        if have_list is not None and len(have_list) < written_count:
            # A person who cut the list down to their choice owns that list.
            out[network] = have_list
            hashes.update({k: v for k, v in written.items() if k.startswith(f"captions.{network}[")})
            kept += have_list != new
            continue
        size = max(len(new), len(have_list or []))
        for index in range(size):
            key = wording_path(network, index)
            mine = new[index] if index < len(new) else None
            if have_list is None:  # the file has no such network: fill it unless one was removed
                ours, theirs = current is None or (whole is None and key not in written), None
            elif index >= len(have_list):
                ours, theirs = key not in written, None  # a deleted wording stays deleted
            else:
                theirs = have_list[index]
                ours = legacy_ours or (key in written and value_hash(theirs) == written[key])
            if ours and mine is not None:
                result.append(mine)
                hashes[key] = value_hash(mine)
            else:  # a person's: edited, or deleted (remembered, so it stays deleted)
                if theirs is not None:
                    result.append(theirs)
                if key in written:
                    hashes[key] = written[key]
                if mine is not None and theirs != mine:
                    kept += 1
        if f"captions.{network}" in written and not result:
            hashes[f"captions.{network}"] = written[f"captions.{network}"]
        out[network] = result
    return Wordings(out, hashes, kept)
