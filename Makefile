# guichet: plain Makefile with pkg-config.
PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	 = $(PREFIX)/bin
MANDIR	 = $(PREFIX)/share/man
DATADIR	 = $(PREFIX)/share/guichet
UNITDIR	?= /lib/systemd/system
VERSION	:= $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)

PKGS	 = gmime-3.0 libetpan libconfig sqlite3 gnutls libexttextcat json-glib-1.0 libxml-2.0 libzstd
CC	?= cc
WARN	 = -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	   -Wpointer-arith -Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS	?= -O2 -g
# libetpan.pc adds a dpkg link spec that breaks PIE and fails without libdpkg-perl.
# Quiet when the libraries are not there yet: `make check` and `make demo`
# install them first (tests/ensure-deps.sh), then make runs again.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null | sed 's|-specs=[^ ]*||g') -llinear -lm
ALL_CFLAGS = -std=gnu11 $(WARN) $(WERROR) -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE \
	     -DGUICHET_VERSION='"$(VERSION)"' -DGUICHET_DATADIR='"$(DATADIR)"' \
	     $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = -pie -Wl,-z,relro -Wl,-z,now $(LDFLAGS) $(EXTRA_LDFLAGS)

BUILD	?= build
SRCS	:= $(sort $(wildcard src/*.c))
OBJS	:= $(SRCS:src/%.c=$(BUILD)/%.o)
LIBOBJS	:= $(filter-out $(BUILD)/main.o,$(OBJS))
TESTSRC	:= $(sort $(wildcard tests/unit/test_*.c))
TESTBIN	:= $(TESTSRC:tests/unit/%.c=$(BUILD)/tests/%)
PROG	?= guichet

.PHONY: FORCE print-cflags print-libs all check check-run asan install uninstall clean deps corpus bench fuzz demo lint unit deb

all: $(PROG)

# Each object depends on the headers it includes (-MMD writes build/*.d,
# -MP keeps a removed header from breaking the build).  An object without
# its .d file (built before -MMD, or by hand) is rebuilt: it would otherwise
# keep an old struct layout.
.SECONDEXPANSION:
$(BUILD)/%.o: src/%.c $$(if $$(wildcard $(BUILD)/$$*.d),,FORCE) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(OBJS:.o=.d)

$(BUILD):
	mkdir -p $(BUILD)/tests

FORCE:

$(BUILD)/libguichet.a: $(LIBOBJS)
	rm -f $@; ar rcs $@ $^

$(PROG): $(OBJS)
	$(CC) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/libguichet.a | $(BUILD)
	$(CC) $(ALL_CFLAGS) -Isrc -MMD -MP -o $@ $< $(BUILD)/libguichet.a $(ALL_LDFLAGS) $(PKG_LIBS)

-include $(TESTBIN:=.d)

unit: $(TESTBIN)

# The program's compile and link flags, for tests/fuzz/run.sh.
print-cflags:
	@echo $(PKG_CFLAGS)
print-libs:
	@echo $(PKG_LIBS)

# The whole suite: unit tests, then integration tests against real servers.
# Installs missing packages first (as root), then re-reads pkg-config.
check:
	@sh tests/ensure-deps.sh
	@$(MAKE) --no-print-directory check-run

check-run: $(PROG) $(TESTBIN)
	@GUICHET=$(CURDIR)/$(PROG) BUILD=$(BUILD) tests/run.sh

# The suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan PROG=guichet-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" check

corpus: $(PROG)
	@tests/corpus.sh $(CURDIR)/$(PROG) $(CORPUS)

bench: $(PROG) $(BUILD)/floor
	@tests/bench/run.sh $(CURDIR)/$(PROG) $(CURDIR)/$(BUILD)/floor

# The memory floor (issue 20): guichet's link line, its libraries' set-up, exit.
$(BUILD)/floor: tests/bench/floor.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(PKG_LIBS)

fuzz:
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

demo:
	@sh tests/ensure-deps.sh
	@$(MAKE) --no-print-directory $(PROG)
	@tests/demo.sh $(CURDIR)/$(PROG)

# cppcheck with the GLib, POSIX and SQLite library models (without them it
# stops at the first G_DEFINE_AUTOPTR_CLEANUP_FUNC); sources and test code.
lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem --library=gtk --library=posix --library=sqlite3 \
	  -Isrc src tests/unit tests/fuzz tests/bench

deps:
	@if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root (apt-get)" >&2; exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  pkg-config gcc make libc6-dev libetpan-dev libgmime-3.0-dev libconfig-dev libsqlite3-dev \
	  libgnutls28-dev libsasl2-dev libsasl2-modules libexttextcat-dev libexttextcat-data \
	  libjson-glib-dev libxml2-dev liblinear-dev libzstd-dev sqlite3 \
	  dovecot-imapd dovecot-lmtpd exim4-daemon-light openssl ca-certificates \
	  clang libclang-rt-14-dev valgrind cppcheck python3 systemd libxml2-utils \
	  procps iproute2 chromium debhelper dpkg-dev lintian strace

install: $(PROG)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(MANDIR)/man8 \
	  $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)/etc/guichet
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/guichet
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 644 rules/*.conf $(DESTDIR)$(DATADIR)/rules/
	cp -R rules/training $(DESTDIR)$(DATADIR)/rules/
	cp -R templates/. $(DESTDIR)$(DATADIR)/templates/
	for u in systemd/*.service systemd/*.timer; do \
	  sed 's|/usr/local/bin/guichet|$(BINDIR)/guichet|g' $$u > $(DESTDIR)$(UNITDIR)/$$(basename $$u); \
	  chmod 644 $(DESTDIR)$(UNITDIR)/$$(basename $$u); done
	# The production template (placeholders to fill in, `guichet check`
	# names them), never the test-stack sample; an existing file is kept.
	sed -e 's|@DATADIR@|$(DATADIR)|g' systemd/guichet.conf.in > $(DESTDIR)$(DATADIR)/guichet.conf.in
	chmod 644 $(DESTDIR)$(DATADIR)/guichet.conf.in
	[ -f $(DESTDIR)/etc/guichet/guichet.conf ] || \
	  sed -e 's|@DATADIR@|$(DATADIR)|g' systemd/guichet.conf.in > $(DESTDIR)/etc/guichet/guichet.conf
	chmod 640 $(DESTDIR)/etc/guichet/guichet.conf

# The Debian package (debian/, debhelper): ../guichet_VERSION_ARCH.deb,
# copied here.  Needs debhelper and the -dev packages of `make deps`.
deb:
	dpkg-buildpackage -us -uc -b
	cp ../guichet_$$(dpkg-parsechangelog -S Version)_$$(dpkg-architecture -qDEB_HOST_ARCH).deb .

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/guichet
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan guichet guichet-asan tests/tmp guichet_*.deb
