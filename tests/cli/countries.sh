# countries.sh - country lists: listing, membership yes/no/unknown, the diff
# of Israel's cyber exemption list (AE, MA, SA, MX known dropped, India stayed).
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --source us-ofac-sdn --published 2024-05-03 data/lists/ofac_sdn_2024-05
expect_exit 0 "$EG" lists
expect_out '^il-cyber-exempt +2 +2021-11-01 +37 '
expect_exit 0 "$EG" lists diff il-cyber-exempt
expect_out '^dropped +4: AE MA MX SA$'
expect_out '^stayed +37: .* IN '
expect_out 'dropped in all: 65, of which 61 not named'
expect_exit 0 "$EG" lists diff il-cyber-exempt --json
expect_out '"dropped": \['
# lists member exits 1 yes, 0 no, 6 unknown (more in lists.sh)
expect_exit 1 "$EG" lists member il-cyber-exempt AE --as-of 2021-10-15
expect_out ': yes \(version of 2017-01-01\)'
expect_exit 0 "$EG" lists member il-cyber-exempt AE
expect_out ': no \(version of 2021-11-01\)'
expect_exit 6 "$EG" lists member il-cyber-exempt BR --as-of 2021-10-15
expect_out ': unknown'
expect_exit 1 "$EG" lists member il-cyber-exempt IN
expect_out ': yes'
# bad input
expect_exit 3 "$EG" lists member il-cyber-exempt XX
expect_exit 3 "$EG" lists member no-such-list FR
expect_exit 6 "$EG" lists member il-cyber-exempt FR --as-of 2010-01-01  # before the first version
expect_exit 2 "$EG" lists member il-cyber-exempt
