#!/bin/sh
# Image set-up after the packages are installed; run once, as root, by the Dockerfile.
set -eu
here=$(dirname "$0")

# The unprivileged sandbox user. The service runs containers as this uid by default.
groupadd --gid 10001 tex
useradd --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin tex

# The sandbox's TeX file access and shell-escape policy, merged into texmf.cnf.
install -m 0644 "$here/texmf-sandbox.cnf" /etc/texmf/texmf.d/99sandbox.cnf
update-texmf >/dev/null

# The server-owned latexmk configuration, and the hook the service runs in each sandbox before its compile.
install -d -m 0755 /etc/latexmk
install -m 0644 "$here/latexmkrc" /etc/latexmk/sandbox.rc
install -D -m 0755 "$here/warm-up" /usr/local/lib/texfarm/warm-up

# Fonts that exist only as METAFONT source are made into the project's font cache (see mktexfont).
install -m 0755 "$here/mktexfont" /usr/local/bin/mktexpk
install -m 0755 "$here/mktexfont" /usr/local/bin/mktextfm

# Font caches built now, so that a read-only container never rebuilds them on a compile:
# fontconfig's system cache, and luaotfload's names database (which the warm-up hook copies into
# the container's /tmp) plus the Latin Modern font caches (read in place: TEXMFCACHE lists them).
fc-cache -s -f >/dev/null
prebuilt=/var/lib/texmf-sandbox
install -d -m 0755 "$prebuilt"
export TEXMFVAR="$prebuilt" TEXMFCACHE="$prebuilt"
luaotfload-tool --update --force >/dev/null
warmup=$(mktemp -d)
printf '%s\n' '\documentclass{article}\usepackage{fontspec}\begin{document}Aa \textbf{Bb} \emph{Cc} $x^2$\end{document}' >"$warmup/warmup.tex"
(cd "$warmup" && lualatex -interaction=batchmode warmup.tex >/dev/null)
rm -rf "$warmup"
chmod -R a+rX "$prebuilt"

# luaotfload never rescans the fonts when one is not found: the image's fonts are all in the
# database built above, and a rescan takes some 20 seconds of a compile.
install -D -m 0644 "$here/luaotfload.conf" /usr/local/share/texmf/tex/luatex/luaotfload.conf
mktexlsr /usr/local/share/texmf >/dev/null

# Where the service mounts a project.
install -d -m 0755 /compile

apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/* /usr/share/info/*
