"""Reads about quarantine hotels."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from data import models
from data.measures.hotels import available_rooms


@dataclass(frozen=True)
class RoomTotals:
    """Rooms of the active quarantine hotels, from each hotel's latest report."""

    hotels: int
    total: int
    occupied: int
    cleaning: int

    @property
    def available(self) -> int:
        return available_rooms(self.total, self.occupied, self.cleaning)


def get_room_totals(*, session: Session) -> RoomTotals:
    """City-wide rooms of active hotels: total, occupied, being cleaned (latest reports)."""
    f, s = models.Facility, models.HotelState
    row = session.execute(
        select(
            func.count(s.hotel_id),
            func.coalesce(func.sum(s.rooms_total), 0),
            func.coalesce(func.sum(s.rooms_occupied), 0),
            func.coalesce(func.sum(s.rooms_cleaning), 0),
        )
        .join(f, f.id == s.hotel_id)
        .where(f.kind == "quarantine_hotel", f.status == "active")
    ).one()
    return RoomTotals(*(int(value) for value in row))
