"""People: this keybox's age identities and its contacts, for sharing files as age files.

An *identity* is an age key pair of the keybox's owner: the secret is wrapped under the
root key (like a profile key), the recipient string is stored beside it so that it can be
shown while the keybox is locked. A *contact* is another person's recipient under a name
chosen here. Both tables are in the keybox's authenticated state (integrity.state_macs),
so someone who can write the database but holds no key slot cannot swap a contact's
recipient for their own: the next unlock refuses the keybox.

New identities are post-quantum hybrid (mlkem768x25519, age 1.3) unless asked otherwise.
The service (service.py) hands itself in; this module uses its write transaction and root
key, and nothing else of it.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as ConstraintViolation

from .. import age
from ..errors import Hint, UsageError, VaultError
from .actor import actor
from .integrity import log, tampered
from .models import PersonKey
from .names import check_name, unique
from .schema import AuditRow, ContactRow, IdentityRow
from .timeutil import utcnow
from .wrapping import context, unwrap, wrap

if TYPE_CHECKING:
    from .service import Keybox

DEFAULT_IDENTITY = "me"
"""The name of an identity made without one."""


def identity_context(keybox_id: str, identity_id: str, kind: str) -> bytes:
    """The associated data binding a wrapped identity to its keybox, id and kind."""
    return context("age-identity", keybox_id, identity_id, kind)


class People:
    """Identities and contacts of one keybox (`Keybox.people`)."""

    def __init__(self, box: Keybox) -> None:
        self._box = box

    # --- identities ----------------------------------------------------------------------

    def identities(self) -> list[PersonKey]:
        """Every identity, oldest first (the first is the default one). No unlock needed."""
        return [PersonKey(r.name, r.recipient, r.kind, r.created_at)
                for r in self._identity_rows()]

    def _identity_rows(self) -> list[IdentityRow]:
        """Every identity row, oldest first (the first is the default identity)."""
        with self._box.store.session() as s:
            return list(s.scalars(select(IdentityRow).order_by(IdentityRow.created_at,
                                                               IdentityRow.identity_id)))

    def identity(self, name: str | None = None) -> PersonKey:
        """The identity called `name`; without one, the default (oldest) identity."""
        found = self.identities()
        if not found:
            raise UsageError("this keybox has no identity yet", hint=Hint.NO_IDENTITY)
        if name is None:
            return found[0]
        for person in found:
            if person.name == name:
                return person
        raise UsageError(f"there is no identity named {name!r}", hint=Hint.NO_SUCH_IDENTITY)

    def new_identity(self, name: str | None = None, *, classic: bool = False) -> PersonKey:
        """Make an identity: hybrid post-quantum (mlkem768x25519), or X25519 if `classic`."""
        made: age.KeyIdentity = age.X25519Identity.generate() if classic \
            else age.HybridIdentity.generate()
        return self._store_identity(made, name, "identity.new")

    def import_identity(self, text: str, name: str | None = None) -> PersonKey:
        """Take in an age identity file's key (`AGE-SECRET-KEY-…`, comments allowed). A key
        the keybox already holds is refused."""
        keys = age.parse_identity_file(text)
        if len(keys) != 1:
            raise UsageError(f"the identity file holds {len(keys)} keys; import one at a time")
        recipient = keys[0].recipient().encode()
        if any(p.recipient == recipient for p in self.identities()):
            raise VaultError("this keybox already holds that identity")
        return self._store_identity(keys[0], name, "identity.import")

    def _store_identity(self, key: age.KeyIdentity, name: str | None, action: str) \
            -> PersonKey:
        box = self._box
        root = box.require_root()
        identity_id = secrets.token_hex(16)
        recipient = key.recipient().encode()
        now = utcnow()
        try:
            with box._writing() as s:  # the service's transaction: this module is its part
                taken = set(s.scalars(select(IdentityRow.name)).all())
                chosen = check_name(name) if name else unique(DEFAULT_IDENTITY, taken)
                if chosen in taken:
                    raise _taken("an identity", chosen)
                s.add(IdentityRow(
                    identity_id=identity_id, name=chosen, kind=key.kind, recipient=recipient,
                    wrapped_secret=wrap(root, key.secret_bytes,
                                        identity_context(box.keybox_id, identity_id, key.kind)),
                    created_at=now))
                log(s, _audit(action, f"{key.kind} identity {chosen!r}: {recipient}"))
        except ConstraintViolation:
            raise _taken("an identity", name or DEFAULT_IDENTITY) from None
        return PersonKey(chosen, recipient, key.kind, now)

    def export_identity(self, name: str | None = None) -> str:
        """The identity's secret as an age identity file (for `age -d -i`); recorded in the
        audit log, because whoever holds it opens every file shared with this identity."""
        person = self.identity(name)
        (key,) = [k for k, p in self._unwrapped() if p.name == person.name]
        with self._box._writing(state=False) as s:
            log(s, _audit("identity.export", f"identity {person.name!r} exported"))
        return (f"# created: {person.created_at.isoformat(timespec='seconds')}\n"
                f"# public key: {person.recipient}\n{key.encode()}\n")

    def age_identities(self) -> list[age.KeyIdentity]:
        """Every identity's key, for opening age files (the keybox must be unlocked)."""
        return [key for key, _ in self._unwrapped()]

    def _unwrapped(self) -> list[tuple[age.KeyIdentity, PersonKey]]:
        box = self._box
        root = box.require_root()
        out: list[tuple[age.KeyIdentity, PersonKey]] = []
        for r in self._identity_rows():
            secret = unwrap(root, r.wrapped_secret,
                            identity_context(box.keybox_id, r.identity_id, r.kind))
            key: age.KeyIdentity | None = None
            if secret is not None:
                key = age.HybridIdentity(secret) if r.kind == "hybrid" else \
                    age.X25519Identity(secret) if r.kind == "x25519" else None
            if key is None or key.recipient().encode() != r.recipient:
                raise tampered(f"identity {r.name!r} does not match its stored recipient")
            out.append((key, PersonKey(r.name, r.recipient, r.kind, r.created_at)))
        return out

    # --- contacts ------------------------------------------------------------------------

    def contacts(self) -> list[PersonKey]:
        with self._box.store.session() as s:
            rows = s.scalars(select(ContactRow).order_by(ContactRow.name)).all()
        return [PersonKey(r.name, r.recipient, r.kind, r.created_at) for r in rows]

    def add_contact(self, name: str, recipient: str) -> PersonKey:
        """Remember another person's recipient (`age1…` or `age1pq1…`) under `name`."""
        name = check_name(name)
        parsed = age.parse_recipient(recipient)
        text = parsed.encode()
        now = utcnow()
        try:
            with self._box._writing() as s:
                if s.scalar(select(ContactRow).where(ContactRow.name == name)) is not None:
                    raise _taken("a contact", name)
                s.add(ContactRow(contact_id=secrets.token_hex(16), name=name,
                                 kind=parsed.kind, recipient=text, created_at=now))
                log(s, _audit("contact.add", f"{parsed.kind} contact {name!r}: {text}"))
        except ConstraintViolation:
            raise _taken("a contact", name) from None
        return PersonKey(name, text, parsed.kind, now)

    def rename_contact(self, old: str, new: str) -> PersonKey:
        new = check_name(new)
        try:
            with self._box._writing() as s:
                row = _contact_row(s.scalars(select(ContactRow).where(
                    ContactRow.name == old).with_for_update()).first(), old)
                if new != old and s.scalar(select(ContactRow).where(
                        ContactRow.name == new)) is not None:
                    raise _taken("a contact", new)
                row.name = new
                log(s, _audit("contact.rename", f"contact {old!r} -> {new!r}"))
                return PersonKey(row.name, row.recipient, row.kind, row.created_at)
        except ConstraintViolation:
            raise _taken("a contact", new) from None

    def remove_contact(self, name: str) -> None:
        with self._box._writing() as s:
            row = _contact_row(s.scalars(select(ContactRow).where(
                ContactRow.name == name).with_for_update()).first(), name)
            s.delete(row)
            log(s, _audit("contact.remove", f"contact {name!r}: {row.recipient}"))

    # --- recipients for sealing -----------------------------------------------------------

    def recipients(self, names_or_keys: list[str]) -> list[age.KeyRecipient]:
        """What `seal --to` names: a contact's name, an identity's name (yourself), or a
        recipient string. A string that is none of these is a usage error naming it."""
        contacts = {p.name: p.recipient for p in self.contacts()}
        mine = {p.name: p.recipient for p in self.identities()}
        out: list[age.KeyRecipient] = []
        for given in names_or_keys:
            text = contacts.get(given) or mine.get(given) or given
            if text is given and not given.strip().startswith("age1"):
                raise UsageError(f"{given!r} is neither a contact, an identity nor an age "
                                 "recipient (age1… or age1pq1…)", hint=Hint.NO_SUCH_CONTACT)
            recipient = age.parse_recipient(text)
            if recipient not in out:
                out.append(recipient)
        return out


def _contact_row(row: ContactRow | None, name: str) -> ContactRow:
    if row is None:
        raise UsageError(f"there is no contact named {name!r}", hint=Hint.NO_SUCH_CONTACT)
    return row


def _audit(action: str, details: str) -> AuditRow:
    return AuditRow(at=utcnow(), actor=actor(), action=action, profile=None, key_id=None,
                    files=0, details=details)


def _taken(what: str, name: str) -> VaultError:
    return VaultError(f"{what} named {name!r} already exists")
