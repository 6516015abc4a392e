# Guest test: lvs_dr.sh with halo-vrrpd holding the VIP and halo-ipvs-sync's
# sync daemon following its instance (MASTER -> master sync daemon).
USE_VRRPD=1
. /test/lvs_dr.sh
