"""Block P DataTransfer, the SUT is a Charging Station (the harness is its CSMS).

P01 from the station's side is TC_P_01_CS. P02 (the station sends DataTransfer) has no case of
ours: what it requires of a station (use DataTransfer only for what OCPP does not cover, a
reversed-DNS vendorId) cannot be provoked or judged from outside, and which vendor extension a
station sends is its own business.
"""
