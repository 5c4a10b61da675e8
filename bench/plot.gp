# bench/plot.gp: overhead against environment size, from the data file the
# driver writes with -p. Called by bench/run.sh with datafile, out and cols
# (its header line: "# vars", a median per variant, then a ratio and an
# extra-microseconds column per variant after the first: 3 words a variant).
set terminal pngcairo size 900,700 font ",10"
set output out
nw = words(cols)
nvar = nw / 3
name(k) = substr(word(cols, 3 + k), 1, strlen(word(cols, 3 + k)) - 10)
ratiocol(k) = 1 + nvar + 2 * (k - 1) + 1
# A log axis has no 0: the empty environment is drawn at 10.
x(v) = v > 0 ? v : 10
set logscale x
set xtics ("0" 10, "100" 100, "1,000" 1000, "10,000" 10000, "100,000" 100000)
set xrange [7:150000]
set grid
set key top left
set multiplot layout 2,1 title "Start-up through a loader vs the real ld.so directly (hello world, medians)"
set ylabel "extra start-up time (µs)"
plot for [k=1:nvar-1] datafile using (x($1)):(column(ratiocol(k) + 1)) \
	with linespoints lw 2 title name(k)
set ylabel "ratio to direct"
set xlabel "environment variables"
plot for [k=1:nvar-1] datafile using (x($1)):(column(ratiocol(k))) \
	with linespoints lw 2 title name(k), 1 with lines lt 0 notitle
unset multiplot
