# The entry points a newcomer types. Each one installs what is missing (libgraphviz-dev) first.
.PHONY: demo test bench fuzz install uninstall
demo:   ## build, make a leaky heap, dump it, analyse it, draw the top cycle
	scripts/demo
test:   ## every test, as CI runs them
	scripts/test
bench:  ## release-build benchmarks against their peers; see docs/performance.md
	scripts/bench
fuzz:   ## run the dump readers under libFuzzer for FUZZ_SECONDS (default 60) each
	scripts/fuzz

# Installing: `make install` (PREFIX=/usr/local by default; DESTDIR for staging) puts the release binary
# on the PATH with its bash, zsh and fish completions and a man page generated from the same help text
# (ArgumentParser's generate-manual tool); `make uninstall` removes exactly those files.
PREFIX ?= /usr/local
BINDIR  = $(DESTDIR)$(PREFIX)/bin
MANDIR  = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR  = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
RELEASE = .build/release
SWIFT_RELEASE = swift build -c release --static-swift-stdlib
install:  ## install heapscan, its completions and man page under PREFIX (default /usr/local)
	scripts/setup
	$(SWIFT_RELEASE) --product heapscan
	$(SWIFT_RELEASE) --product generate-manual
	install -d "$(BINDIR)" "$(MANDIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	install -m 755 $(RELEASE)/heapscan "$(BINDIR)/heapscan"
	$(RELEASE)/heapscan --generate-completion-script bash > "$(BASHDIR)/heapscan"
	$(RELEASE)/heapscan --generate-completion-script zsh > "$(ZSHDIR)/_heapscan"
	$(RELEASE)/heapscan --generate-completion-script fish > "$(FISHDIR)/heapscan.fish"
	rm -rf $(RELEASE)/heapscan-manual && mkdir -p $(RELEASE)/heapscan-manual
	$(RELEASE)/generate-manual $(RELEASE)/heapscan --output-directory $(RELEASE)/heapscan-manual \
	    --authors "the heapscan authors" --section 1
	install -m 644 $(RELEASE)/heapscan-manual/heapscan.1 "$(MANDIR)/heapscan.1"
	@echo "installed $(BINDIR)/heapscan (man heapscan; completions for bash, zsh, fish)"
uninstall:  ## remove what `make install` installed under PREFIX
	rm -f "$(BINDIR)/heapscan" "$(MANDIR)/heapscan.1" "$(BASHDIR)/heapscan" "$(ZSHDIR)/_heapscan" "$(FISHDIR)/heapscan.fish"
