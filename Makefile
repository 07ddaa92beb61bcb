# tianbao (填报) - build, test, demo and install.
#
#   make          build ./tianbao
#   make demo     install what is missing, build, and open tianbao on sample data
#   make test     install what is missing, build with sanitizers, run every test
#   make bench-ui / bench-merge / bench-report   the benchmarks (bench/)
#   make fuzz     the fuzzers, a minute each
#   make static   static tianbao folders for amd64 and arm64 (build/dist), run from anywhere
#   make deb      a .deb for each (build/dist); make stick DEST=folder: both, for a stick
#   make install  PREFIX=/usr/local DESTDIR=
#
# Missing Debian packages are installed with apt-get (through sudo when not root).

VERSION    := 0.1.0
# The day this version was made: a clock earlier than this is wrong (see store_clock_ok).
RELEASE_DATE := 2026-11-29
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     := $(PREFIX)/bin
DATADIR    := $(PREFIX)/share/tianbao
LOCALEDIR  := $(PREFIX)/share/locale
MANDIR     := $(PREFIX)/share/man
DOCDIR     := $(PREFIX)/share/doc/tianbao
# Read for a computer's own forms ($(SYSCONFDIR)/tianbao/forms), never written by make.
SYSCONFDIR ?= /etc

PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g

BUILD_PKGS := gcc make pkg-config gettext libncurses-dev libsqlite3-dev libiniparser-dev libxlsxwriter-dev
TEST_PKGS  := clang libclang-rt-14-dev libcmocka-dev libvterm-dev python3-openpyxl sqlite3 faketime dosfstools mtools strace fusefat \
              xvfb xterm fonts-wqy-microhei x11-apps netpbm xdotool man-db

WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes
DEFS     := -DTIANBAO_VERSION='"$(VERSION)"' -DTIANBAO_DATE='"$(RELEASE_DATE)"' -DLOCALEDIR='"$(LOCALEDIR)"' -DDATADIR='"$(DATADIR)"' -DSYSCONFDIR='"$(SYSCONFDIR)"'
PKGS     := ncursesw formw sqlite3
# libxlsxwriter: headers at build time, loaded with dlopen at run time (src/xlsx_lib.c).
HDR_PKGS := xlsxwriter
INCS     := -Isrc -I/usr/include/iniparser
ALL_CFLAGS = -std=gnu11 $(WARN) $(DEFS) $(INCS) $(shell $(PKG_CONFIG) --cflags $(PKGS) $(HDR_PKGS) 2>/dev/null)
LIBS       = -liniparser $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm -ldl

# TIANBAO_TEST: the overrides only the tests may use (weaker durability, to show that the
# power-loss test catches a loss: TIANBAO_TEST_SYNC, TIANBAO_TEST_NO_FSYNC).
TEST_CFLAGS := -O1 -g -fno-omit-frame-pointer -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined -DTIANBAO_TEST

SRCS      := $(sort $(wildcard src/*.c src/*/*.c))
GEN_SRCS  := build/gen/schema_sql.c build/gen/export_sql.c build/gen/package_sql.c build/gen/gbk_table.c build/gen/demo_script.c
REL_OBJS  := $(SRCS:src/%.c=build/rel/%.o) $(GEN_SRCS:build/gen/%.c=build/rel/%.o)
TEST_OBJS := $(SRCS:src/%.c=build/test/%.o) $(GEN_SRCS:build/gen/%.c=build/test/%.o)
LIB_TEST_OBJS := $(filter-out build/test/main.o,$(TEST_OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/test/%)
# powercut.c is an LD_PRELOAD shim (a shared library, not a program): see its rule.
TOOL_SRCS := $(filter-out tests/tools/powercut.c,$(sort $(wildcard tests/tools/*.c)))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=build/test/tools/%) build/test/tools/powercut.so

PO_FILES  := $(wildcard po/*.po)
MO_FILES  := $(PO_FILES:po/%.po=build/locale/%/LC_MESSAGES/tianbao.mo)

.PHONY: all deps test-deps build-test test check demo demo-en install uninstall clean pot bench bench-merge stress fuzz
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory tianbao locale

# ---- dependencies ---------------------------------------------------------------

define ensure_packages
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    echo "tianbao: installing missing Debian packages:$$missing"; \
	    if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	    $$sudo apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else \
	  echo "tianbao: not a Debian system; make sure these are installed: $(1)"; \
	fi
endef

deps:
	$(call ensure_packages,$(BUILD_PKGS))

test-deps: deps static-deps
	$(call ensure_packages,$(TEST_PKGS))

# ---- the program ----------------------------------------------------------------

# db/schema.sql and db/migrations/from_N.sql (the database), db/export.sql,
# db/export_v1.sql, db/export_v2.sql and db/export_v3.sql (export files) and db/package.sql (form
# packages) become C strings in the binary.
MIGRATIONS := $(shell ls db/migrations/from_*.sql 2>/dev/null | sort -t_ -k2 -n)
sql_to_c = sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $(1)

build/gen/schema_sql.c: db/schema.sql $(MIGRATIONS) Makefile
	@mkdir -p $(@D)
	@{ echo '/* Generated from db/schema.sql and db/migrations by the Makefile. */'; \
	   echo '#include "store/schema_sql.h"'; \
	   echo 'const char schema_sql[] ='; $(call sql_to_c,db/schema.sql); echo ';'; \
	   n=0; for m in $(MIGRATIONS); do \
	     n=$$((n + 1)); \
	     [ "$$m" = "db/migrations/from_$$n.sql" ] || { echo "expected db/migrations/from_$$n.sql, found $$m" >&2; exit 1; }; \
	     echo "static const char migration_$$n[] ="; $(call sql_to_c,$$m); echo ';'; \
	   done; \
	   echo 'const char *const schema_migrations[] = {'; \
	   n=0; for m in $(MIGRATIONS); do n=$$((n + 1)); echo "  migration_$$n,"; done; \
	   echo '  0 };'; \
	   echo "const int schema_migration_count = $$n;"; } > $@.tmp && mv $@.tmp $@

build/gen/export_sql.c: db/export.sql db/export_v1.sql db/export_v2.sql db/export_v3.sql Makefile
	@mkdir -p $(@D)
	@{ echo '/* Generated from db/export*.sql by the Makefile. */'; \
	   echo '#include "tbx/export_sql.h"'; \
	   echo 'const char export_sql[] ='; $(call sql_to_c,db/export.sql); echo ';'; \
	   echo 'const char export_v1_sql[] ='; $(call sql_to_c,db/export_v1.sql); echo ';'; \
	   echo 'const char export_v2_sql[] ='; $(call sql_to_c,db/export_v2.sql); echo ';'; \
	   echo 'const char export_v3_sql[] ='; $(call sql_to_c,db/export_v3.sql); echo ';'; } > $@.tmp && mv $@.tmp $@

build/gen/package_sql.c: db/package.sql Makefile
	@mkdir -p $(@D)
	@{ echo '/* Generated from db/package.sql by the Makefile. */'; \
	   echo '#include "tbx/package_sql.h"'; \
	   echo 'const char package_sql[] ='; $(call sql_to_c,db/package.sql); echo ';'; } > $@.tmp && mv $@.tmp $@

# GBK as Unicode and GB2312's pinyin initials, read from this machine's iconv by a
# tool run here (the binary, even a static or cross-built one, needs no iconv module).
# db/demo.tb, the demo township's script, for `tianbao demo` (src/cli/cmd_demo.c).
build/gen/demo_script.c: db/demo.tb Makefile
	@mkdir -p $(@D)
	@{ echo '/* Generated from db/demo.tb by the Makefile. */'; \
	   echo '#include "cli/demo_script.h"'; \
	   echo 'const char demo_script[] ='; $(call sql_to_c,db/demo.tb); echo ';'; } > $@.tmp && mv $@.tmp $@

build/gen/gbk_table: tools/gbk_table.c src/lib/gbk_table.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -Werror -O1 -Isrc -o $@ $<

build/gen/gbk_table.c: build/gen/gbk_table
	@$< >$@.tmp && mv $@.tmp $@

# Objects are rebuilt when the flags change (PREFIX is compiled in: make install PREFIX=...).
build/rel/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CFLAGS) $(CFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(CFLAGS)' >$@
FORCE:
.PHONY: FORCE
$(REL_OBJS): build/rel/flags

build/rel/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

build/rel/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) -c $< -o $@

tianbao: $(REL_OBJS)
	$(CC) $(CFLAGS) -o $@ $(REL_OBJS) $(LIBS)

build/locale/%/LC_MESSAGES/tianbao.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

locale: $(MO_FILES)
.PHONY: locale

# ---- tests ----------------------------------------------------------------------

build/test/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -MMD -MP -c $< -o $@

build/test/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c $< -o $@

build/test/tianbao: $(TEST_OBJS)
	$(CC) $(TEST_CFLAGS) -o $@ $(TEST_OBJS) $(LIBS)

build/test/test_%: tests/unit/test_%.c $(LIB_TEST_OBJS)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit -o $@ $< $(LIB_TEST_OBJS) $(LIBS) -lcmocka

# Not built with the sanitizers: it is preloaded under the program (which has them).
build/test/tools/powercut.so: tests/tools/powercut.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -Wno-format-truncation -Werror -O1 -g -fPIC -shared -o $@ $< -ldl

build/test/tools/%: tests/tools/%.c $(LIB_TEST_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/tools -o $@ $< $(LIB_TEST_OBJS) $(LIBS) $(shell $(PKG_CONFIG) --libs vterm 2>/dev/null) -lutil

# Fuzzers (libFuzzer, clang): the parsers of untrusted input. `make test` replays the
# seeds and fuzzes a few seconds each; `make fuzz` runs each for FUZZ_SECONDS. Both take
# each harness's -max_len from tests/fuzz/max_len.sh: above its largest seed.
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS   := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_OBJS   := $(filter-out build/fuzz/main.o,$(SRCS:src/%.c=build/fuzz/%.o) $(GEN_SRCS:build/gen/%.c=build/fuzz/%.o))
# Kept between builds (make would remove them as intermediates of the pattern rules).
.SECONDARY: $(FUZZ_OBJS)
FUZZ_SECONDS ?= 60

# With their header dependencies, like the other builds: a header changed is never
# linked beside objects compiled against its old layout.
build/fuzz/%.o: src/%.c
	@mkdir -p $(@D)
	clang $(ALL_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

build/fuzz/%.o: build/gen/%.c
	@mkdir -p $(@D)
	clang $(ALL_CFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	clang $(ALL_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LIBS)

fuzz: test-deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	  name=$${f#build/fuzz/fuzz_}; mkdir -p build/fuzz/corpus/$$name; \
	  echo "fuzzing $$name for $(FUZZ_SECONDS) s"; \
	  TIANBAO_ROOT=$(CURDIR) $$f -max_total_time=$(FUZZ_SECONDS) -max_len=$$(tests/fuzz/max_len.sh $$name) \
	    build/fuzz/corpus/$$name tests/fuzz/seeds/$$name || exit 1; \
	done

# Both compilers must stay warning-free; clang only parses (the gcc build links).
check-clang:
	@for f in $(SRCS); do clang -fsyntax-only $(ALL_CFLAGS) -Werror $$f || exit 1; done
.PHONY: check-clang

build-test: build/test/tianbao $(UNIT_BINS) $(TOOL_BINS) $(FUZZ_BINS) tianbao locale check-clang

test: test-deps
	@$(MAKE) --no-print-directory build-test
	@tests/run.sh

check: test

# Long loops kept out of `make test` (which runs short versions of them).
stress: test-deps
	@$(MAKE) --no-print-directory build-test
	@TIANBAO_STRESS=1 tests/run.sh

# ---- benchmarks (numbers, not pass/fail: see bench/) ------------------------------

# Start-up of the screens and opening a form, five years of a township's data.
bench-ui: test-deps
	@$(MAKE) --no-print-directory tianbao
	@bench/ui-start.sh
.PHONY: bench-ui

# Merging 300 village export files: tianbao against the sqlite3 shell (see bench/merge.sh).
bench-merge: test-deps
	@$(MAKE) --no-print-directory tianbao
	@bench/merge.sh
.PHONY: bench-merge

# The reports on a county-sized database (3,000 units), release binary: each under 1 s.
bench-report: deps
	@$(MAKE) --no-print-directory tianbao
	@bench/report-bench.sh
.PHONY: bench-report

# ---- static binaries, .debs and the stick (packaging/) ------------------------------

# One statically linked tianbao per processor, for computers without Debian's libraries
# (UOS, Kylin, an older glibc): ncursesw, tinfo, SQLite and iniparser from Debian's .a
# libraries; arm64 cross-built with Debian's cross compiler and its multiarch libraries.
# Built for /usr (the .deb) and finding its files beside itself when run from a folder
# (src/lib/bundle.h). No Excel files: a static binary cannot load libxlsxwriter.
STATIC_ARCHS   := amd64 arm64
STATIC_PKGS    := dpkg-dev lintian qemu-user-static gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
                  libncurses-dev:arm64 libsqlite3-dev:arm64 libiniparser-dev:arm64
CC_amd64       := gcc
CC_arm64       := aarch64-linux-gnu-gcc
STRIP_amd64    := strip
STRIP_arm64    := aarch64-linux-gnu-strip
STATIC_DEFS    := -DTIANBAO_VERSION='"$(VERSION)"' -DTIANBAO_DATE='"$(RELEASE_DATE)"' -DLOCALEDIR='"/usr/share/locale"' \
                  -DDATADIR='"/usr/share/tianbao"' -DSYSCONFDIR='"/etc"' -DTIANBAO_STATIC
STATIC_CFLAGS   = -std=gnu11 $(WARN) -Werror -O2 $(STATIC_DEFS) $(INCS) $(shell $(PKG_CONFIG) --cflags $(PKGS) $(HDR_PKGS) 2>/dev/null)
STATIC_LIBS    := -liniparser -lformw -lncursesw -ltinfo -lsqlite3 -lm
DIST           := build/dist

static-deps: deps
	@dpkg --print-foreign-architectures 2>/dev/null | grep -qx arm64 || { \
	  echo "tianbao: adding Debian's arm64 architecture (for the cross-built binary)"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo dpkg --add-architecture arm64 && $$sudo apt-get update -qq; }
	$(call ensure_packages,$(STATIC_PKGS))
.PHONY: static-deps

define static_arch
STATIC_OBJS_$(1) := $$(SRCS:src/%.c=build/static-$(1)/%.o) $$(GEN_SRCS:build/gen/%.c=build/static-$(1)/%.o)
build/static-$(1)/flags: FORCE
	@mkdir -p $$(@D)
	@echo '$$(CC_$(1)) $$(STATIC_CFLAGS)' | cmp -s - $$@ || echo '$$(CC_$(1)) $$(STATIC_CFLAGS)' >$$@
$$(STATIC_OBJS_$(1)): build/static-$(1)/flags
build/static-$(1)/%.o: src/%.c
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(STATIC_CFLAGS) -MMD -MP -c $$< -o $$@
build/static-$(1)/%.o: build/gen/%.c
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(STATIC_CFLAGS) -c $$< -o $$@
build/static-$(1)/tianbao: $$(STATIC_OBJS_$(1))
	$$(CC_$(1)) -static -o $$@ $$(STATIC_OBJS_$(1)) $$(STATIC_LIBS)
	$$(STRIP_$(1)) $$@
# The folder that runs from wherever it is copied.
$(DIST)/tianbao-$(1)/tianbao: build/static-$(1)/tianbao $$(MO_FILES) $$(wildcard forms/*.ini) docs/tianbao.1 docs/tianbao.zh_CN.1 packaging/folder.sh packaging/README.folder.txt
	@packaging/folder.sh $(1) build/static-$(1)/tianbao $(DIST)/tianbao-$(1)
-include $$(STATIC_OBJS_$(1):.o=.d)
endef
$(foreach a,$(STATIC_ARCHS),$(eval $(call static_arch,$(a))))

static: static-deps
	@$(MAKE) --no-print-directory $(STATIC_ARCHS:%=$(DIST)/tianbao-%/tianbao)
	@for a in $(STATIC_ARCHS); do echo "$(DIST)/tianbao-$$a/"; done
.PHONY: static

# A .deb per processor (dpkg-deb, nothing from the network): the static binary in /usr.
DEB_FILES := $(STATIC_ARCHS:%=$(DIST)/tianbao_$(VERSION)_%.deb)
$(DIST)/tianbao_$(VERSION)_%.deb: $(DIST)/tianbao-%/tianbao packaging/deb.sh
	@packaging/deb.sh $* $(VERSION) $(DIST)/tianbao-$* $@

deb: static-deps
	@$(MAKE) --no-print-directory $(DEB_FILES)
	@for d in $(DEB_FILES); do echo "$$d"; done
.PHONY: deb

# The tests run them: tests/tui/static.sh, tests/cli/{arm64,deb,stick}.sh.
build-test: $(STATIC_ARCHS:%=$(DIST)/tianbao-%/tianbao) $(DEB_FILES)

# What a trainer copies to a stick: both folders, both .debs, a README, checksums.
stick: static-deps
	@[ -n "$(DEST)" ] || { echo "make stick DEST=folder: name the folder to write (a stick's, or one to copy)"; exit 2; }
	@$(MAKE) --no-print-directory $(DEB_FILES)
	@packaging/stick.sh "$(DEST)" $(DIST) $(VERSION) $(STATIC_ARCHS)
.PHONY: stick

# ---- demo -----------------------------------------------------------------------

# A fresh demo database of the sample township (never the user's own), then the screens:
# `tianbao demo` builds it from db/demo.tb (an installed tianbao does the same).
DEMO_DB   := build/demo/demo.db
DEMO_LANG ?= zh

demo: deps
	@$(MAKE) --no-print-directory tianbao locale
	@rm -rf $(dir $(DEMO_DB))
	@./tianbao --lang $(DEMO_LANG) demo --db $(DEMO_DB)

demo-en:
	@$(MAKE) --no-print-directory demo DEMO_LANG=en

# ---- translations -----------------------------------------------------------------

pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -c -o po/tianbao.pot --package-name=tianbao \
	  --package-version=$(VERSION) $(SRCS)
	for p in $(PO_FILES); do msgmerge -q -U --backup=none --no-fuzzy-matching $$p po/tianbao.pot; done

# ---- install --------------------------------------------------------------------

# Only the defaults: the binary, DATADIR/forms, the catalogues and the manual. A township's own forms
# live in $(SYSCONFDIR)/tianbao/forms or ~/.config/tianbao/forms (src/core/config.h),
# which install and uninstall never write or remove: an upgrade keeps them.
FORM_FILES := $(notdir $(wildcard forms/*.ini))

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/forms
	install -m 755 tianbao $(DESTDIR)$(BINDIR)/tianbao
	install -m 644 forms/*.ini $(DESTDIR)$(DATADIR)/forms/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/zh_CN/man1
	install -m 644 docs/tianbao.1 $(DESTDIR)$(MANDIR)/man1/tianbao.1
	install -m 644 docs/tianbao.zh_CN.1 $(DESTDIR)$(MANDIR)/zh_CN/man1/tianbao.1
	install -d $(DESTDIR)$(DOCDIR)
	install -m 644 docs/guide.md $(DESTDIR)$(DOCDIR)/guide.md
	for mo in $(MO_FILES); do \
	  lang=$$(echo $$mo | cut -d/ -f3); \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
	  install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/tianbao.mo; \
	done

# What install wrote, file by file; a folder only when nothing else is left in it.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tianbao
	rm -f $(DESTDIR)$(MANDIR)/man1/tianbao.1 $(DESTDIR)$(MANDIR)/zh_CN/man1/tianbao.1
	rm -f $(DESTDIR)$(DOCDIR)/guide.md
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true
	for f in $(FORM_FILES); do rm -f $(DESTDIR)$(DATADIR)/forms/$$f; done
	rmdir $(DESTDIR)$(DATADIR)/forms $(DESTDIR)$(DATADIR) 2>/dev/null || true
	for mo in $(MO_FILES); do \
	  lang=$$(echo $$mo | cut -d/ -f3); \
	  rm -f $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/tianbao.mo; \
	done

clean:
	rm -rf build tianbao

-include $(REL_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)
