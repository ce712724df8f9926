"""The words and proportions the synthetic network is made of.

The proportions are those of a real London-centred civil-society network,
not of the UK: strong in London and the South East and in the voluntary
sector, thin in the North East, Wales, Scotland and Northern Ireland.
"""

import importlib
from functools import cache

from graphsvc.model import Sector

BEHAVIOURS = (
    "Putting relationships first",
    "Sharing and building power",
    "Listening to each other",
    "Joining forces",
)

INTERESTS = (
    "Housing",
    "Health and care",
    "Youth work",
    "Mental health",
    "Climate and nature",
    "Food poverty",
    "Arts and culture",
    "Community development",
    "Place-based working",
    "Systems change",
    "Funding practice",
    "Digital inclusion",
    "Employment and skills",
    "Criminal justice",
    "Migration and refugees",
    "Disability rights",
    "Ageing well",
    "Education",
    "Local democracy",
    "Co-production",
    "Anti-racism",
    "Social prescribing",
)

# Share of members by sector (sums to 1).
SECTOR_MIX: dict[Sector, float] = {
    Sector.VOLUNTARY: 0.38,
    Sector.PUBLIC_SERVICES: 0.14,
    Sector.LOCAL_GOVERNMENT: 0.12,
    Sector.FUNDERS: 0.10,
    Sector.UNIVERSITIES: 0.09,
    Sector.SOCIAL_ENTERPRISE: 0.10,
    Sector.INDEPENDENT: 0.07,
}

# Share of members by ONS region / nation code (sums to 1).
MEMBER_REGION_MIX: dict[str, float] = {
    "E12000007": 0.35,  # London
    "E12000008": 0.15,  # South East
    "E12000002": 0.09,  # North West
    "E12000003": 0.07,  # Yorkshire and The Humber
    "E12000009": 0.07,  # South West
    "E12000006": 0.06,  # East of England
    "E12000005": 0.06,  # West Midlands
    "E12000004": 0.04,  # East Midlands
    "S92000003": 0.04,  # Scotland
    "W92000004": 0.03,  # Wales
    "E12000001": 0.02,  # North East
    "N92000002": 0.02,  # Northern Ireland
}

# Regions too thin to have grown a regional group of their own.
# The towns synthetic members live in: a few larger places in each region or
# nation, and London boroughs. (name, place level, ONS code of the region/nation)
TOWNS: tuple[tuple[str, str, str], ...] = (
    ("Newcastle upon Tyne", "town", "E12000001"),
    ("Sunderland", "town", "E12000001"),
    ("Durham", "town", "E12000001"),
    ("Middlesbrough", "town", "E12000001"),
    ("Gateshead", "town", "E12000001"),
    ("Darlington", "town", "E12000001"),
    ("Manchester", "town", "E12000002"),
    ("Liverpool", "town", "E12000002"),
    ("Preston", "town", "E12000002"),
    ("Lancaster", "town", "E12000002"),
    ("Bolton", "town", "E12000002"),
    ("Salford", "town", "E12000002"),
    ("Chester", "town", "E12000002"),
    ("Blackpool", "town", "E12000002"),
    ("Carlisle", "town", "E12000002"),
    ("Leeds", "town", "E12000003"),
    ("Sheffield", "town", "E12000003"),
    ("Bradford", "town", "E12000003"),
    ("Kingston upon Hull", "town", "E12000003"),
    ("York", "town", "E12000003"),
    ("Huddersfield", "town", "E12000003"),
    ("Doncaster", "town", "E12000003"),
    ("Nottingham", "town", "E12000004"),
    ("Leicester", "town", "E12000004"),
    ("Derby", "town", "E12000004"),
    ("Lincoln", "town", "E12000004"),
    ("Northampton", "town", "E12000004"),
    ("Birmingham", "town", "E12000005"),
    ("Coventry", "town", "E12000005"),
    ("Wolverhampton", "town", "E12000005"),
    ("Stoke-on-Trent", "town", "E12000005"),
    ("Worcester", "town", "E12000005"),
    ("Hereford", "town", "E12000005"),
    ("Cambridge", "town", "E12000006"),
    ("Norwich", "town", "E12000006"),
    ("Ipswich", "town", "E12000006"),
    ("Peterborough", "town", "E12000006"),
    ("Luton", "town", "E12000006"),
    ("Chelmsford", "town", "E12000006"),
    ("Colchester", "town", "E12000006"),
    ("Camden", "district", "E12000007"),
    ("Hackney", "district", "E12000007"),
    ("Islington", "district", "E12000007"),
    ("Lambeth", "district", "E12000007"),
    ("Southwark", "district", "E12000007"),
    ("Tower Hamlets", "district", "E12000007"),
    ("Westminster", "district", "E12000007"),
    ("Newham", "district", "E12000007"),
    ("Croydon", "district", "E12000007"),
    ("Haringey", "district", "E12000007"),
    ("Lewisham", "district", "E12000007"),
    ("Brent", "district", "E12000007"),
    ("Brighton and Hove", "town", "E12000008"),
    ("Oxford", "town", "E12000008"),
    ("Reading", "town", "E12000008"),
    ("Southampton", "town", "E12000008"),
    ("Portsmouth", "town", "E12000008"),
    ("Milton Keynes", "town", "E12000008"),
    ("Canterbury", "town", "E12000008"),
    ("Guildford", "town", "E12000008"),
    ("Bristol", "town", "E12000009"),
    ("Plymouth", "town", "E12000009"),
    ("Exeter", "town", "E12000009"),
    ("Bath", "town", "E12000009"),
    ("Gloucester", "town", "E12000009"),
    ("Truro", "town", "E12000009"),
    ("Bournemouth", "town", "E12000009"),
    ("Cardiff", "town", "W92000004"),
    ("Swansea", "town", "W92000004"),
    ("Newport", "town", "W92000004"),
    ("Wrexham", "town", "W92000004"),
    ("Caernarfon", "town", "W92000004"),
    ("Aberystwyth", "town", "W92000004"),
    ("Glasgow", "town", "S92000003"),
    ("Edinburgh", "town", "S92000003"),
    ("Aberdeen", "town", "S92000003"),
    ("Dundee", "town", "S92000003"),
    ("Inverness", "town", "S92000003"),
    ("Stirling", "town", "S92000003"),
    ("Belfast", "town", "N92000002"),
    ("Derry", "town", "N92000002"),
    ("Lisburn", "town", "N92000002"),
    ("Newry", "town", "N92000002"),
    ("Armagh", "town", "N92000002"),
)

REGIONS_WITHOUT_GROUPS = frozenset({"E12000001", "N92000002"})

VISIBILITY_MIX = {"network": 0.60, "connectors": 0.25, "hidden": 0.15}

ADJECTIVES = (
    "Bright",
    "Common",
    "Open",
    "Rising",
    "Shared",
    "Green",
    "Brave",
    "Kind",
    "Good",
    "Local",
    "New",
    "Better",
    "Together",
    "Bold",
    "Clear",
    "Growing",
    "Stronger",
    "Fair",
    "True",
    "Little",
    "Northern",
    "Southern",
    "Riverside",
    "Hillside",
    "Harbour",
    "Valley",
    "Urban",
    "Rural",
    "Community",
    "People's",
)
NOUNS = (
    "Futures",
    "Roots",
    "Steps",
    "Voices",
    "Bridges",
    "Ground",
    "Table",
    "Commons",
    "Circle",
    "Path",
    "Kitchen",
    "Garden",
    "Works",
    "Network",
    "Hub",
    "Lantern",
    "Compass",
    "Harvest",
    "Threads",
    "Doorways",
)

# {town}, {adjective}, {noun}, {surname} are filled in by the generator.
ORGANISATION_PATTERNS: dict[Sector, tuple[str, ...]] = {
    Sector.VOLUNTARY: (
        "{town} Community Trust",
        "{adjective} {noun}",
        "{town} Voluntary Action",
        "{adjective} {noun} Collective",
        "Citizens Advice {town}",
        "{town} Youth Project",
        "Friends of {town}",
        "{town} Food Bank",
        "{adjective} {noun} Grapevine",
    ),
    Sector.PUBLIC_SERVICES: (
        "NHS {town} Integrated Care Board",
        "{town} Teaching Hospitals NHS Trust",
        "{town} Fire and Rescue Service",
        "{town} Primary Care Network",
        "{town} Probation Service",
    ),
    Sector.LOCAL_GOVERNMENT: (
        "{town} City Council",
        "{town} Borough Council",
        "{town} District Council",
    ),
    Sector.FUNDERS: (
        "The {surname} Foundation",
        "{town} Community Foundation",
        "The {adjective} {noun} Fund",
        "{surname} Charitable Trust",
    ),
    Sector.UNIVERSITIES: (
        "University of {town}",
        "{town} Institute for Social Research",
        "{town} College",
    ),
    Sector.SOCIAL_ENTERPRISE: (
        "{adjective} {noun} CIC",
        "{town} Works Ltd",
        "{adjective} {noun} Co-operative",
        "{adjective} {noun} Ltd",
    ),
}

JOB_TITLES: dict[Sector, tuple[str, ...]] = {
    Sector.VOLUNTARY: (
        "Chief Executive",
        "Project Coordinator",
        "Community Organiser",
        "Volunteer Manager",
        "Head of Partnerships",
    ),
    Sector.PUBLIC_SERVICES: (
        "Service Manager",
        "Commissioner",
        "Clinical Lead",
        "Head of Community Engagement",
    ),
    Sector.LOCAL_GOVERNMENT: (
        "Councillor",
        "Policy Officer",
        "Director of Communities",
        "Neighbourhood Manager",
    ),
    Sector.FUNDERS: ("Grants Manager", "Programme Director", "Trustee", "Funding Officer"),
    Sector.UNIVERSITIES: ("Lecturer", "Research Fellow", "Professor", "PhD Researcher"),
    Sector.SOCIAL_ENTERPRISE: ("Founder", "Director", "Operations Lead", "Managing Director"),
    Sector.INDEPENDENT: (
        "Independent Consultant",
        "Community Activist",
        "Peer Researcher",
        "Lived Experience Advisor",
    ),
}

# Faker locales whose name lists make up the membership, and their shares.
NAME_LOCALES = {
    "en_GB": 0.74,
    "en_IE": 0.06,
    "en_IN": 0.06,
    "en_PK": 0.04,
    "en_NG": 0.04,
    "pl_PL": 0.03,
    "fr_FR": 0.03,
}

GATHERING_PARTS = ("full day", "morning only", "dinner only")


def _names(values: object) -> tuple[str, ...]:
    return tuple(values.keys()) if isinstance(values, dict) else tuple(values)  # type: ignore[arg-type]


@cache
def name_pools() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(first names, last names) per locale of :data:`NAME_LOCALES`, from Faker."""
    pools = []
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        first = _names(getattr(provider, "first_names_female", ())) + _names(
            getattr(provider, "first_names_male", ())
        )
        # pl_PL's last_names is a placeholder; its surnames are in unisex_last_names.
        last = _names(getattr(provider, "unisex_last_names", ()))
        pools.append((first or _names(provider.first_names), last or _names(provider.last_names)))
    return tuple(pools)
