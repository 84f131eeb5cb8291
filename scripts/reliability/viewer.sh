# Part of scripts/reliability.sh (sourced): the lead's cases.
measure "render --input of a missing file" refused -- "$BIN" render --input "$WORK/none.png"
