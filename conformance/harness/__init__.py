"""What test cases are written with: case metadata, checks, the SUT's two faces, reusable states (and the two
names a case may need from below: an action that failed, a configured idToken)."""

from ..actions.port import ActionFailed as ActionFailed
from ..config import IdTokenSpec as IdTokenSpec
from ..protocol.patterns import ABSENT as ABSENT
from ..protocol.patterns import OneOf as OneOf
from ..protocol.patterns import Satisfies as Satisfies
from . import reusable_states as reusable_states
from .case import CaseMeta as CaseMeta
from .case import case as case
from .sides import ChargingStationUnderTest as ChargingStationUnderTest
from .sides import CsmsUnderTest as CsmsUnderTest

__all__ = ["ABSENT", "ActionFailed", "CaseMeta", "ChargingStationUnderTest", "CsmsUnderTest", "IdTokenSpec", "OneOf", "Satisfies", "case",
           "reusable_states"]
