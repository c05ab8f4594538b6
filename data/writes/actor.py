"""Who is writing: a signed-in user, a screen token, or a system process such as the seeder."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """A writer's role and scope: the districts and facilities a duty officer looks after."""

    name: str
    role: str
    user_id: int | None = None
    district_codes: frozenset[str] = field(default_factory=frozenset)
    facility_ids: frozenset[int] = field(default_factory=frozenset)

    def covers(self, district_code: str | None, facility_id: int | None = None) -> bool:
        """Whether a record in this district (or of this facility) is inside the scope."""
        if facility_id is not None and facility_id in self.facility_ids:
            return True
        return district_code is not None and district_code in self.district_codes


# The demo seeder, the command line's maintenance commands and migrations of data.
SYSTEM = Actor(name="system", role="admin")
