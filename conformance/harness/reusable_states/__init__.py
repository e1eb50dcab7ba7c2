"""Part 6 reusable states (§2.18 for Charging Stations, §3.18 for CSMSs), implemented once.

Two sibling modules with the same names for the same Part 6 states: :mod:`.station` (the SUT is a Charging
Station, the harness its CSMS) and :mod:`.csms` (the SUT is a CSMS, the harness plays the station). A case
imports the one of its role, always the same way::

    from conformance.harness.reusable_states import station as states   # testcases/station/...
    from conformance.harness.reusable_states import csms as states      # testcases/csms/...

    boot = await states.booted(station)
    async with states.availability_restored(station) as restore: ...

Each state is an async helper that drives the SUT into the state and checks the tool validations Part 6
lists for it. A case calls them in its "before" or "main" stage.
"""

from . import csms, station

__all__ = ["csms", "station"]
