"""The faults of the block C Authorization: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # dlist: the Local Authorization List in the authorization decision (C13 / C14) --------------------------------
    Fault("local_list_accepted_authorized_online", "station", ("C14.FR.02",),
          "an idToken listed Accepted in the Local Authorization List is still sent in an AuthorizeRequest while "
          "online (LocalPreAuthorize true) before charging starts",
          ("TC_C_27_CS",)),
    Fault("local_list_no_post_authorize", "station", ("C14.FR.03",),
          "an idToken listed with a status other than Accepted is refused locally while online, without the "
          "AuthorizeRequest that asks the CSMS for its current status (LocalAuthListCtrlr.DisablePostAuthorize "
          "false)",
          ("TC_C_28_CS", "TC_C_29_CS", "TC_C_30_CS", "TC_C_31_CS")),
    Fault("local_list_disable_post_authorize_ignored", "station", ("C14.FR.03",),
          "LocalAuthListCtrlr.DisablePostAuthorize true is ignored: an idToken listed Invalid is still sent in an "
          "AuthorizeRequest",
          ("TC_C_58_CS",)),
]
