# The seed demo inside the qemu guest (demo/halo-demo.sh runs it through
# tests/vm/vm-run.sh when the host kernel has no IPVS): the seed_pair guest
# test in its demo mode, told for a person rather than checked for CI.
SEED_MODE=demo
. /test/seed_pair.sh
