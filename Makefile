# Two commands do all set-up on a fresh machine:
#   make casebook   installs what is missing, then builds every design into output/
#   make test       installs what is missing, then runs the test suite
# System packages come from apt-get (run as root, or with sudo); Python packages go into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := graphviz fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium

.PHONY: casebook test check system clean

casebook: $(BIN)/mlsd
	$(BIN)/mlsd build

test: $(BIN)/mlsd
	$(BIN)/python -m pytest

check: $(BIN)/mlsd
	$(BIN)/mlsd check

# Install the system packages only when one of them is missing, after one apt-get update.
system:
	@command -v dpkg >/dev/null || { echo "no dpkg: install Graphviz and Pango yourself"; exit 0; }; \
	missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BIN)/mlsd: pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

clean:
	rm -rf $(VENV)
