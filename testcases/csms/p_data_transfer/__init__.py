"""Block P DataTransfer, the SUT is a CSMS (the harness plays the Charging Station).

P02 from the CSMS's side is TC_P_02_CSMS. P01 (the CSMS sends DataTransfer) has no case of
ours: its requirements on the sender (use DataTransfer only for what OCPP does not cover, a
reversed-DNS vendorId) cannot be judged from one request, and which vendor extension a CSMS
sends is its own business.
"""
