# bench/plot-nixos.gp: the NixOS bench's start-up times as ratios to the
# patched binary, one group of bars per workload. Called by bench/nixos.sh
# with datafile (a header "workload VARIANT...", then a workload per line)
# and out.
set terminal pngcairo size 900,500 font ",10"
set output out
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top left
set grid ytics
set yrange [0:*]
set ylabel "median start-up time / patched binary's"
set title "Start-up in a simulated NixOS (interleaved rounds, medians)"
ncol = system("head -1 " . datafile . " | wc -w") + 0
plot for [k=2:ncol] datafile using k:xtic(1) title columnhead(k), \
	1 with lines lt 0 lw 2 notitle
