"""Site furniture that is never part of an article: share prompts, comment widgets, footers."""

from __future__ import annotations

import re

#: whole lines that are site boilerplate (matched case-insensitively, after trimming)
_LINES = [
    r"spread the word:?",
    r"share(?: this)?(?: (?:article|story|post|page))?(?: on \w+)?:?",
    r"share on (?:facebook|twitter|x|linkedin|whatsapp|email)",
    r"(?:categories|category|filed under|posted in)\s*:.*",
    r"tags\s*:\s*[, ]*",
    r"leave a (?:reply|comment)",
    r"(?:cancel reply|post comment|submit comment|add comment)",
    r"your email address will not be published\..*",
    r"required fields are marked \*?",
    r"\d+ (?:comments?|replies|responses)",
    r"no (?:replies|comments|responses) yet\.?",
    r"be the first to (?:comment|reply)\.?",
    r"loading(?: new| more)? (?:replies|comments)(?:\.\.\.|…)?",
    r"(?:view|show|load) (?:more )?(?:replies|comments)",
    r"moderator",
    r"join the (?:full )?discussion.*",
    r"(?:name|email|website|comment)\s*\*?",
    r"save my name, email, and website.*",
    r"(?:sign up|subscribe)(?: now| today)?(?: for| to) (?:our|the) newsletter.*",
    r"(?:related|recommended) (?:posts|articles|stories|reading):?",
    r"(?:read more|continue reading|click here).{0,40}",
    r"advertisement",
    r"print(?: this)?(?: article)?",
    r"(?:follow us|like us) on .{0,40}",
    r"you may also like:?",
]
_BOILERPLATE = re.compile("(?:" + "|".join(_LINES) + r")\Z", re.IGNORECASE)

#: a copyright line; group "owner" is who holds the rights (a publisher signal)
_COPYRIGHT = re.compile(
    r"(?:copyright\s*)?(?:©|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<owner>[^.©]*?)\s*[™®]?\s*\.?\s*,?\s*all rights reserved\.?\Z"
    r"|(?:(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?|copyright\s+\d{4}(?:\s*[-–]\s*\d{4})?)"
    r"\s*,?\s*(?P<owner2>[^.]*?)[™®]?\.?\Z",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    """Return whether the whole (trimmed) `line` is site furniture."""
    return bool(_BOILERPLATE.match(line))


def copyright_owner(line: str) -> str | None:
    """Return the rights holder named by a copyright `line` ("" when unnamed), or None if it is not one."""
    match = _COPYRIGHT.match(line)
    if not match:
        return None
    owner = (match.group("owner") if match.group("owner") is not None else match.group("owner2")) or ""
    owner = owner.strip(" ,.-–™®©")
    if owner.lower().startswith(("copyright", "©")):
        owner = owner.split(None, 1)[1] if " " in owner else ""
    return owner if len(owner.split()) <= 6 else None
