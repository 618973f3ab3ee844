#!/usr/bin/env bash
# The browser tests (tests/browser) drive Debian's `chromium` through Playwright's `executable_path`: Playwright's own
# browser download cannot reach its host from these machines, Debian's package mirror can. `make test` runs this once
# before pytest; as root it installs the package when it is missing (apt-get update once, then install), otherwise it
# says what to run. It prints the browser's path on success.
#
#   ensure-chromium.sh          install when missing (root), print the path
#   ensure-chromium.sh --check  only print the path; exit 1 with the instructions when it is missing
#
# REXVET_CHROMIUM names another executable (a developer's own Chromium or Chrome); it must exist, nothing is installed.
set -euo pipefail

log() { printf '[browser] %s\n' "$*" >&2; }
die() {
	printf '[browser] error: %s\n' "$*" >&2
	exit 1
}

HOW_TO_INSTALL="install Debian's chromium package: sudo apt-get update && sudo apt-get install -y chromium (or run \`make test\` as root, which installs it), or point REXVET_CHROMIUM at a Chromium or Chrome executable"

chromium_path() {
	if [[ -n "${REXVET_CHROMIUM:-}" ]]; then
		[[ -x "$REXVET_CHROMIUM" ]] && echo "$REXVET_CHROMIUM"
		return 0
	fi
	local candidate
	for candidate in /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"; do
		if [[ -n "$candidate" && -x "$candidate" ]]; then
			echo "$candidate"
			return 0
		fi
	done
}

install_chromium() {
	[[ "$(id -u)" == 0 ]] || die "chromium not found and this is not root, so it cannot be installed here: $HOW_TO_INSTALL"
	command -v apt-get >/dev/null 2>&1 || die "chromium not found and there is no apt-get on this machine: $HOW_TO_INSTALL"
	log "chromium not found; installing Debian's chromium package (once)"
	# The package lists may be old or absent on a fresh machine: one update first, as the install needs them. Another
	# install on the machine (a colleague's, or a parallel test run) holds the lock for a while: wait for it, do not fail.
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q >&2 || die "apt-get update failed: $HOW_TO_INSTALL"
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium >&2 || die "apt-get install chromium failed: $HOW_TO_INSTALL"
}

main() {
	local path
	path="$(chromium_path)"
	if [[ -z "$path" ]]; then
		[[ -n "${REXVET_CHROMIUM:-}" ]] && die "REXVET_CHROMIUM=$REXVET_CHROMIUM is not an executable: unset it or point it at chromium"
		[[ "${1:-}" == --check ]] && die "chromium not found: $HOW_TO_INSTALL"
		install_chromium
		path="$(chromium_path)"
		[[ -n "$path" ]] || die "chromium was installed but /usr/bin/chromium is missing: $HOW_TO_INSTALL"
	fi
	echo "$path"
}

main "$@"
