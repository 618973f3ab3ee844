"""Random status-list index allocation without collision.

Indexes are drawn at random so that a credential's position says nothing about when it was issued or who else
was issued with it (Bitstring Status List, privacy considerations). The caller passes the indexes already taken
(the issuer keeps them with its lists); the draw never returns one of them.
"""

from __future__ import annotations

import secrets
from collections.abc import Container
from random import Random


class StatusListFull(Exception):
    """Every index of the list is taken: start a new list."""


def allocate_index(taken: Container[int], size: int, *, taken_count: int, rng: Random | None = None) -> int:
    """A uniformly random index in [0, size) that is not in `taken`.

    Rejection sampling while the list is mostly free (the common case, a handful of draws); once more than half is
    taken it picks uniformly among the free indexes directly, so allocation stays bounded until the list is full.
    """
    if taken_count >= size:
        raise StatusListFull(f"all {size} indexes are taken")
    draw = rng.randrange if rng is not None else secrets.randbelow
    if taken_count * 2 < size:
        while True:
            candidate = draw(size)
            if candidate not in taken:
                return candidate
    free = [i for i in range(size) if i not in taken]
    if not free:
        raise StatusListFull(f"all {size} indexes are taken")
    return free[draw(len(free))]
