"""Alt text and captions that follow a post's current words, wherever the post came from.

A post's `image_alt` and every caption wording are derived from its title,
summary, hashtags (and category, language, place); comms edit those fields,
and the derived ones must follow. Ownership is per wording: a wording (or
the alt text) still holding exactly what the hub last wrote there is the
hub's and is rebuilt; one a person edited is theirs for good
(hub.posts.captions.merge_wordings). The sync writes the result into the
post files (synced posts and hand-written ones alike); the site generator
uses the same function in memory for a post edited since the last sync, so
a wording derived from an old title, or from the TODO text of `advocacy-hub
new`, is never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.cards.cardtext import card_text
from hub.config import HubConfig
from hub.posts import captions, state
from hub.posts import schema as posts
from hub.posts.share import tracked_url

ALT = "image_alt"


def tracked_link(meta: Mapping[str, Any], config: HubConfig, slug: str) -> str:
    """The tracked URL a share link appends ('' for a post with nothing to share)."""
    if not meta.get("canonical_url"):
        return ""
    return tracked_url(
        str(meta["canonical_url"]), source="linkedin", medium=config.site.utm_medium,
        campaign=meta.get("campaign") or slug,
    )


def derived_fields(meta: Mapping[str, Any], config: HubConfig, slug: str) -> dict[str, Any]:
    """Alt text and captions rebuilt from the post's current fields (comms' edits included)."""
    url = tracked_link(meta, config, slug)
    return {
        ALT: card_text(meta, config.brand).alt(),
        "captions": captions.build_captions(captions.post_input(meta, config.brand.name, url)),
    }


@dataclass
class Derived:
    """What to write into a post so its derived fields follow its words."""

    changes: dict[str, Any] = field(default_factory=dict)  # `image_alt`, `captions.<network>`
    hashes: dict[str, str] = field(default_factory=dict)  # of what the hub now owns there
    kept: int = 0  # wordings (or alt text) a person edited that the hub would word differently


def reconcile(
    meta: Mapping[str, Any], fields: Mapping[str, str], config: HubConfig, slug: str,
    *, untouched: bool = False,
) -> Derived:
    """The derived fields of `meta` rebuilt where they are still the hub's.

    `fields` are the remembered hashes (a state entry's), `untouched` says
    the file is exactly as the hub last wrote it (everything in it is the
    hub's). Only the `image_alt` and `captions...` hashes are returned.
    """
    fresh = derived_fields(meta, config, slug)
    out = Derived()
    have = meta.get(ALT)
    if ALT in fields:
        ours = untouched or posts.value_hash(have) == fields[ALT]
    else:
        ours = untouched or have in posts.EMPTY
    if ours:
        if fresh[ALT] != have:
            out.changes[ALT] = fresh[ALT]
        out.hashes[ALT] = posts.value_hash(fresh[ALT])
    else:
        if ALT in fields:
            out.hashes[ALT] = fields[ALT]
        out.kept += fresh[ALT] != have
    on_file = meta.get("captions") or {}
    wordings = captions.merge_wordings(
        None if untouched else on_file, fields, fresh["captions"], posts.value_hash
    )
    out.changes.update({
        f"captions.{n}": w for n, w in wordings.captions.items()
        if w != on_file.get(n) and (w or n in on_file)  # no empty list where none was
    })
    out.hashes.update(wordings.hashes)
    out.kept += wordings.kept
    return out


def written_fields(meta: Mapping[str, Any]) -> dict[str, str]:
    """The hashes of the alt text and every wording a post holds, as the hub's own."""
    fields = {
        captions.wording_path(str(network), index): posts.value_hash(wording)
        for network, wordings in (meta.get("captions") or {}).items()
        if isinstance(wordings, list)
        for index, wording in enumerate(wordings)
    }
    if meta.get(ALT) not in posts.EMPTY:
        fields[ALT] = posts.value_hash(meta[ALT])
    return fields


def adopted_fields(meta: Mapping[str, Any], config: HubConfig) -> dict[str, str]:
    """Hashes for a hand-written post the hub has no memory of.

    Posts `advocacy-hub new` made before it recorded what it wrote: their
    wordings were built from the title and hashtags alone (the summary was
    the TODO placeholder), so a wording that still reads exactly so is the
    hub's; every other wording, and alt text the hub would not write, is the
    person's.
    """
    before = captions.build_captions(
        captions.CaptionInput(
            title=str(meta.get("title") or ""),
            hashtags=[str(t) for t in meta.get("hashtags") or ()],
            brand=config.brand.name,
            language="en",
            is_job=meta.get("category") == "jobs",
        )
    )
    fields: dict[str, str] = {}
    on_file = meta.get("captions") or {}
    for network in captions.CAPTION_KEYS:
        if network not in on_file:  # left out on purpose: not filled in
            fields[f"captions.{network}"] = state.EDITED
    for network, wordings in on_file.items():
        if not isinstance(wordings, list):
            continue
        for index, wording in enumerate(wordings):
            hub_words = before.get(str(network)) or []
            fields[captions.wording_path(str(network), index)] = (
                posts.value_hash(wording) if wording in hub_words else state.EDITED
            )
        for index in range(len(wordings), captions.WORDINGS):  # a shorter list is the person's
            fields[captions.wording_path(str(network), index)] = state.EDITED
    alt = meta.get(ALT)
    same = alt not in posts.EMPTY and alt == card_text(meta, config.brand).alt()
    # Left out, it stays out: the site describes the card itself (generator._alt).
    fields[ALT] = posts.value_hash(alt) if same else state.EDITED
    return fields


def shown(
    meta: Mapping[str, Any], text: str, entry: state.ItemState | None, config: HubConfig,
    slug: str, *, handwritten: bool,
) -> Mapping[str, Any]:
    """The post's fields as the site shows them: derived ones brought up to date in memory.

    A post the sync has seen as it is now is shown as it is. A post edited
    since (a pull request the sync has not run on) or a hand-written post
    the sync never saw is shown with the wordings the next sync will write.
    A synced post without any state entry (no memory to judge by) is shown
    as it is.
    """
    if entry is None and not handwritten:
        return meta
    if entry is not None and state.digest(text) in {entry.file, entry.seen} - {""}:
        return meta
    fields = entry.fields if entry is not None else adopted_fields(meta, config)
    result = reconcile(meta, fields, config, slug)
    if not result.changes:
        return meta
    out = dict(meta)
    caps = dict(out.get("captions") or {})
    for path, value in result.changes.items():
        if path == ALT:
            out[ALT] = value
        else:
            caps[path.split(".", 1)[1]] = value
    out["captions"] = caps
    return out
