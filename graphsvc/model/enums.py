"""The closed vocabularies of the graph model."""

from enum import StrEnum


class Sector(StrEnum):
    VOLUNTARY = "voluntary and community"
    PUBLIC_SERVICES = "public services"
    LOCAL_GOVERNMENT = "local government"
    FUNDERS = "funders"
    UNIVERSITIES = "universities and research"
    SOCIAL_ENTERPRISE = "social enterprise and business"
    INDEPENDENT = "independent / lived experience"


class Visibility(StrEnum):
    """Who may see a person named; see DESIGN.md, "Privacy"."""

    NETWORK = "network"
    CONNECTORS = "connectors"
    HIDDEN = "hidden"


class PlaceLevel(StrEnum):
    NATION = "nation"
    REGION = "region"
    COUNTY = "county"
    DISTRICT = "district"
    TOWN = "town"


class CellKind(StrEnum):
    THEME_CELL = "theme cell"
    REGIONAL_GROUP = "regional group"
    INTER_CELL_GROUP = "inter-cell group"


class EventKind(StrEnum):
    GATHERING = "gathering"
    CELL_MEETING = "cell meeting"
    ROUNDTABLE = "roundtable"
    DROP_IN = "drop-in"
    ONLINE = "online"


class ThemeKind(StrEnum):
    INTEREST = "interest"
    BEHAVIOUR = "behaviour"


class MemberRole(StrEnum):
    MEMBER = "member"
    THOUGHT_LEADER = "thought_leader"
    CONVENOR = "convenor"
    CONNECTOR = "connector"


class AttendanceRole(StrEnum):
    ATTENDEE = "attendee"
    SPEAKER = "speaker"
    HOST = "host"


class IntroductionStatus(StrEnum):
    SUGGESTED = "suggested"
    MADE = "made"
    DECLINED = "declined"
    LED_SOMEWHERE = "led_somewhere"


class ReviewStatus(StrEnum):
    """Whether two possibly-same people still wait for a person's decision."""

    OPEN = "open"
    DIFFERENT = "different"
