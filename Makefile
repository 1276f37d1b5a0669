# The entry points a newcomer types. Each one installs what is missing (libgraphviz-dev) first.
.PHONY: demo test bench fuzz
demo:   ## build, make a leaky heap, dump it, analyse it, draw the top cycle
	scripts/demo
test:   ## every test, as CI runs them
	scripts/test
bench:  ## release-build benchmarks against their peers; see docs/performance.md
	scripts/bench
fuzz:   ## run the dump readers under libFuzzer for FUZZ_SECONDS (default 60) each
	scripts/fuzz
