"""Resolved members to graph records: people, organisations, places, cells, themes."""

import datetime as dt

from graphsvc import model as m
from importers.graph_records import Directory, PersonRow, RecordBuilder, Records
from importers.membership import MembershipFile


def membership_records(
    members: MembershipFile, directory: Directory, source: str, seen: dt.date
) -> Records:
    """Records for every member row, resolved against ``directory`` and each other."""
    build = RecordBuilder(directory, source, seen)
    for member in members.members:
        provenance = build.provenance(first_seen=member.joined)
        person = build.person(
            PersonRow(
                row=member.row,
                name=member.name,
                email=member.email,
                organisations=(member.organisation,) if member.organisation else (),
                job_title=member.job_title,
                place=member.place,
                phone=member.phone,
                sector=member.sector,
                joined=member.joined,
                visibility=member.visibility,
                other_emails=member.other_emails,
                place_context=member.place_context,
            ),
            provenance,
        )
        for cell in member.cells:
            build.add_relationship(
                m.MemberOf(start=person, end=build.cell(cell), provenance=provenance)
            )
        for interest in member.interests:
            build.add_relationship(
                m.InterestedIn(start=person, end=build.theme(interest), provenance=provenance)
            )
    return build.finish()
