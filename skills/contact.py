"""Contact details said aloud: phone numbers in digits or words, e-mail addresses
spelled letter by letter with "at" and "dot", and how both are read back.

phonenumbers validates numbers for the customer's country; email-validator checks
an address's syntax (offline: no DNS lookup)."""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def phone_from(text: str, region: str = "FR") -> str | None:
    """The phone number in what was said (digits, spaces, "+"), as E.164, if valid."""
    candidate = "".join(re.findall(r"[+\d]", text))
    if len(candidate.lstrip("+")) < 6:
        return None
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_read_back(e164: str, region: str = "FR") -> str:
    """Digit by digit in the national groups: "0 6, 1 2, 3 4, 5 6, 7 8"."""
    number = phonenumbers.parse(e164, region)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    groups = [group for group in re.split(r"[\s.-]+", national) if group]
    return ", ".join(" ".join(group) for group in groups)


def email_from(text: str, words: dict[str, str]) -> str | None:
    """An address spelled out ("j o h n dot doe at example dot com"): `words` maps the
    spoken words to their signs ({"at": "@", "dot": ".", "dash": "-", …}); letters and
    whole words are joined. None unless the result is a valid address."""
    tokens = text.lower().replace("@", " @ ").split()
    spelled = []
    i = 0
    while i < len(tokens):
        two = " ".join(tokens[i : i + 2])
        if two in words:
            spelled.append(words[two])
            i += 2
            continue
        spelled.append(words.get(tokens[i], tokens[i]))
        i += 1
    address = "".join(spelled)
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def email_read_back(address: str, words: dict[str, str]) -> str:
    """The address as said back: signs as words ("john dot doe at example dot com")."""
    names = {sign: word for word, sign in reversed(list(words.items()))}
    return (
        re.sub(r"[@.\-_]", lambda m: f" {names.get(m.group(), m.group())} ", address)
        .replace("  ", " ")
        .strip()
    )
