"""Site furniture that is never part of an article: share prompts, comment widgets, footers."""

from __future__ import annotations

import re

#: whole lines that are site furniture, by family (matched case-insensitively, after trimming);
#: general patterns, so "12 Comments", "Comments (3)" and "View all 40 comments" all go
FAMILIES: dict[str, list[str]] = {
    "share": [
        r"spread the word:?",
        r"share(?: this)?(?: (?:article|story|post|page|link))?(?: (?:on|via) \w+)?:?",
        r"share on (?:facebook|twitter|x|linkedin|whatsapp|email|reddit)",
        r"(?:shared|share[sd]?)\s*[\d,.]+\s*[kmKM]?\s*(?:times)?|[\d,.]+\s*[kmKM]?\s*shares?|shared [\d,.]+[kmKM]? times",
        r"(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|reddit|pinterest|telegram|flipboard|tweet|copy link|link copied|print)"
        r"(?:\s*[|·,/]\s*(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|reddit|pinterest|telegram|flipboard|tweet|copy link|print))*",
        r"print(?: this)?(?: article| page)?",
        r"(?:save|gift|bookmark) (?:this )?(?:article|story)",
        r"(?:email|e-mail|share|tweet|print|send) this (?:post|article|story|page)",
    ],
    "categories": [
        r"(?:categories|category|filed under|posted in|topics?)\s*:.*",
        r"tags\s*:\s*[, ]*",
    ],
    "comments": [
        r"leave a (?:reply|comment)",
        r"(?:cancel reply|post comment|submit comment|add comment|add a comment)",
        r"your email address will not be published\..*",
        r"required fields are marked \*?",
        r"(?:view|show|load|see|read)?\s*(?:all\s+)?\(?\d+\)?\s*(?:comments?|replies|responses)",
        r"comments?(?:\s*\(\d+\))?:?",
        r"no (?:replies|comments|responses) yet\.?",
        r"be the first to (?:comment|reply)\.?",
        r"loading(?: new| more)? (?:replies|comments)(?:\.\.\.|…)?",
        r"(?:view|show|load|hide|open|read) (?:all |more )?(?:replies|comments)",
        r"moderator",
        r"join the (?:full )?(?:discussion|conversation).*",
        r"(?:name|email|website|comment)\s*\*?",
        r"save my name, email, and website.*",
        r"comments are (?:closed|moderated).*",
    ],
    "newsletter": [
        r"(?:sign up|subscribe|register)(?: now| today| here| free)?(?: (?:for|to) (?:our|the|a) (?:free |daily |weekly )?(?:\w+ )?newsletters?.*)?",
        r"(?:get|receive) (?:our|the) (?:\w+ )?newsletter.*",
        r".{0,60}delivered (?:straight |directly )?to your inbox.{0,40}",
        r"already (?:a subscriber|have an account)\??.{0,40}",
        r"(?:log|sign) ?in(?: to (?:continue|read|comment).*)?",
        r"subscribe to (?:continue|read).*",
    ],
    "related": [
        r"(?:read more|also read|see also|related|recommended|more on this(?: story)?|more from [\w ]{1,30}|you may also like"
        r"|you might also like|most (?:read|popular)|trending(?: now)?|editor['’]s picks|top stories|latest news|what to read next"
        r"|more stories|further reading|watch|related (?:posts|articles|stories|reading|content|coverage|topics))"
        r"\s*(?:[:>»|–—-].{0,160})?",
        r"(?:continue reading|click here).{0,40}",
    ],
    "advertisement": [
        r"advertisements?",
        r"\(?(?:sponsored|paid)(?: content| post| partner content)?\)?",
        r"(?:story|article|text|content) continues (?:below|after)(?: this)?(?: (?:advertisement|ad|the ad|advert))?",
        r"continue reading (?:below|the main story)",
        r"scroll (?:down )?to continue(?: with content| reading)?",
        r"ad(?:vert)?\s*(?:feedback)?",
    ],
    "audio": [
        r"listen to (?:this )?(?:article|story)(?:\s*[·|:,–—-]?\s*\(?\d{1,3}\s*(?:min(?:ute)?s?|m)\)?)?.{0,20}",
        r"(?:listen|audio)\s*(?:\(\s*\d{1,3}\s*min(?:ute)?s?\s*\)|[·:]\s*\d{1,3}\s*min(?:ute)?s?)",
        r"\d{1,3}:\d{2}\s*(?:/\s*\d{1,3}:\d{2})?",
    ],
    "tip": [
        r"(?:have|got) (?:a )?(?:news )?tip\??.{0,120}",
        r"(?:send us|email us) (?:a|your) tips?.{0,120}",
        r"(?:contact|email) (?:the author|the reporter|us) at \S+@\S+.{0,40}",
    ],
    "follow": [
        r"(?:follow us|like us|find us|join us)(?: on .{0,60})?",
        r"follow @\w+.{0,40}",
        r"follow (?:the author|[A-Z]\w+ on (?:twitter|x|linkedin)).{0,40}",
    ],
    "cookies": [
        r".{0,120}\b(?:we|this (?:site|website)|our (?:site|website)|it) uses? cookies\b.{0,200}",
        r".{0,80}\buse of cookies\b.{0,120}",
        r"(?:accept|reject|allow|decline|refuse)(?: all)?(?: cookies)?(?: and (?:continue|close))?",
        r"(?:cookie|privacy) (?:settings|preferences|policy|notice|consent)",
        r"manage (?:cookies|preferences|consent|settings)",
        r"(?:i )?(?:agree|accept|got it|ok(?:ay)?)[.!]?",
    ],
    "navigation": [
        r"skip to (?:main )?(?:content|navigation|article|search)",
        r"(?:back to top|jump to|open menu|close menu|menu|search|home|next article|previous article|next|previous)",
        r"\(opens in a new (?:tab|window)\)",
    ],
}
_BOILERPLATE = re.compile("|".join(f"(?P<{family}>(?:{'|'.join(lines)})\\Z)" for family, lines in FAMILIES.items()),
                          re.IGNORECASE)


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
    return boilerplate_family(line) is not None


def boilerplate_family(line: str) -> str | None:
    """Return the family of site furniture the whole (trimmed) `line` is ("comments", "cookies" …), or None."""
    line = line.strip().strip("*_#>[]").strip()
    if len(line) > 320:
        return None
    match = _BOILERPLATE.match(line)
    return match.lastgroup if match else None


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
