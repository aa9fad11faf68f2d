#!/bin/sh
# Image set-up after the packages are installed; run once, as root, by the Dockerfile.
set -eu

# The unprivileged sandbox user, the same uid as in the TeX Live images.
groupadd --gid 10001 tex
useradd --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin tex

# Where the service mounts a conversion's directory.
install -d -m 0755 /compile

apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/* /usr/share/info/*
