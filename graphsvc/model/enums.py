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
    """Who may see a person named: the consent they gave.

    What each role may see is decided in :mod:`graphsvc.access.policy`, and
    nowhere else; see the README's "Roles and consent".
    """

    NETWORK = "network"
    CONNECTORS = "connectors"
    HIDDEN = "hidden"

    @classmethod
    def parse(cls, value: object) -> "Visibility":
        """A stored visibility as read back; missing or unknown reads as ``HIDDEN``.

        Consent that cannot be read was not given, so it is the most private
        setting. Every reader of a stored visibility goes through here.

        Examples
        --------
        >>> [Visibility.parse(v).name for v in ("connectors", None, "", "Network", 3)]
        ['CONNECTORS', 'HIDDEN', 'HIDDEN', 'HIDDEN', 'HIDDEN']
        """
        if isinstance(value, str) and value in cls._value2member_map_:
            return cls(value)
        return cls.HIDDEN


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
    """What came of an introduction."""

    SUGGESTED = "suggested"
    MADE = "made"
    DECLINED = "declined"
    LED_SOMEWHERE = "led_somewhere"

    @classmethod
    def parse(cls, value: object) -> "IntroductionStatus":
        """A stored status as read back; missing or unknown reads as ``SUGGESTED``.

        ``SUGGESTED`` is what the model records when no status is given, and
        the weakest claim: the introduction is known (so it is not suggested
        again) but is not taken to have happened (so it makes no tie).

        Examples
        --------
        >>> [IntroductionStatus.parse(v).name for v in ("made", None, "", "happened")]
        ['MADE', 'SUGGESTED', 'SUGGESTED', 'SUGGESTED']
        """
        if isinstance(value, str) and value in cls._value2member_map_:
            return cls(value)
        return cls.SUGGESTED


class SinglePointStatus(StrEnum):
    """Why a member counts as a single point of light."""

    ISOLATED = "isolated"  # no ties at all
    PERIPHERAL = "peripheral"  # one tie, or outside every constellation


class ReviewStatus(StrEnum):
    """Whether two possibly-same people still wait for a person's decision."""

    OPEN = "open"
    DIFFERENT = "different"
