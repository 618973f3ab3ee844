"""The people directory's rules: which HR fields it reads, newest wins, erasure and what may come back after it."""

from __future__ import annotations

from rexvet_coaching.domain import directory
from rexvet_coaching.domain.directory import PersonEntry, SignIn

from .conftest import at


def joined(entry: PersonEntry | None = None, minute: int = 0, **fields: object) -> PersonEntry | None:
    return directory.apply_hr_event(
        entry, tenant="omnia", person_id="s-1", hr_type="staff.joined", fields=fields, occurred_at=at(minute)
    )


def test_staff_joined_reads_name_email_and_roles() -> None:
    entry = joined(name="  Aino   Virtanen ", email="aino@omnia.fi", roles=["staff", "coach"])
    assert entry is not None
    assert (entry.display_name, entry.email, entry.roles) == ("Aino Virtanen", "aino@omnia.fi", ["coach", "staff"])
    assert entry.is_coach and entry.present


def test_display_name_and_space_separated_roles_are_read_too() -> None:
    entry = joined(display_name="Carl", roles="coach staff")
    assert entry is not None and entry.display_name == "Carl" and entry.roles == ["coach", "staff"]


def test_fields_of_the_wrong_shape_are_ignored_not_fatal() -> None:
    entry = joined(name=42, email="not an address", roles=[1, 2])
    assert entry is not None
    assert (entry.display_name, entry.email, entry.roles) == (None, None, [])


def test_role_changed_replaces_roles_and_keeps_what_it_does_not_carry() -> None:
    entry = joined(name="Aino", email="aino@omnia.fi", roles=["staff"])
    changed = directory.apply_hr_event(
        entry, tenant="omnia", person_id="s-1", hr_type="role.changed", fields={"roles": ["coach"]}, occurred_at=at(5)
    )
    assert changed is not None
    assert (changed.display_name, changed.email, changed.roles) == ("Aino", "aino@omnia.fi", ["coach"])


def test_an_older_event_than_the_entry_shows_changes_nothing() -> None:
    entry = joined(minute=10, name="New name")
    assert joined(entry, minute=5, name="Old name") is None


def test_other_hr_types_do_not_touch_the_directory() -> None:
    assert (
        directory.apply_hr_event(
            None, tenant="omnia", person_id="s-1", hr_type="mobility.completed", fields={}, occurred_at=at(0)
        )
        is None
    )


def test_staff_left_erases_everything_but_the_id_and_an_older_event_cannot_bring_it_back() -> None:
    entry = joined(name="Aino", email="aino@omnia.fi", roles=["coach"])
    left = directory.apply_hr_event(
        entry, tenant="omnia", person_id="s-1", hr_type="staff.left", fields={}, occurred_at=at(20)
    )
    assert left is not None and not left.present and not left.is_coach
    assert left.model_dump(exclude_none=True) == {"tenant": "omnia", "person_id": "s-1", "roles": [], "left_at": at(20)}
    assert joined(left, minute=15, name="Aino") is None  # a late redelivery from before the departure
    rejoined = joined(left, minute=30, name="Aino again")
    assert rejoined is not None and rejoined.present and rejoined.display_name == "Aino again"


def test_sign_in_takes_roles_from_the_token_and_keeps_a_name_it_was_not_given() -> None:
    entry = joined(name="Aino", email="aino@omnia.fi", roles=["staff"])
    signed = directory.apply_sign_in(
        entry, SignIn(tenant="omnia", person_id="s-1", roles=["coach"], display_name=None, email=None, at=at(3))
    )
    assert (signed.display_name, signed.email, signed.roles) == ("Aino", "aino@omnia.fi", ["coach"])


def test_sign_in_after_leaving_does_not_revive_the_erased_name() -> None:
    entry = joined(name="Aino", email="aino@omnia.fi", roles=["staff"])
    assert entry is not None
    left = directory.erase(entry, at=at(5))
    signed = directory.apply_sign_in(
        left, SignIn(tenant="omnia", person_id="s-1", roles=["staff"], display_name=None, email=None, at=at(6))
    )
    assert signed.present and signed.display_name is None and signed.email is None


def test_an_older_event_still_fills_in_the_fields_a_newer_one_did_not_carry() -> None:
    # A staff.joined whose delivery was retried until after the role.changed that followed it (the chaos drill's
    # case): the roles stay the newer ones, the name and e-mail arrive all the same.
    changed = directory.apply_hr_event(
        None, tenant="omnia", person_id="s-1", hr_type="role.changed", fields={"roles": ["coach"]}, occurred_at=at(10)
    )
    entry = joined(changed, minute=5, name="Aino", email="aino@omnia.fi", roles=["staff"])
    assert entry is not None
    assert (entry.display_name, entry.email, entry.roles) == ("Aino", "aino@omnia.fi", ["coach"])
    assert entry.updated_at == at(10)
    assert joined(entry, minute=5, name="Aino", email="aino@omnia.fi", roles=["staff"]) is not None  # same again
    assert joined(entry, minute=4, name="Older") is None  # older than every field it carries


def test_an_entry_stored_before_fields_were_timed_counts_its_fields_as_set_at_its_update() -> None:
    stored = PersonEntry(tenant="omnia", person_id="s-1", display_name="Aino", roles=["staff"], updated_at=at(10))
    assert joined(stored, minute=5, name="Old name") is None
    entry = joined(stored, minute=5, email="aino@omnia.fi")
    assert entry is not None and (entry.display_name, entry.email) == ("Aino", "aino@omnia.fi")
